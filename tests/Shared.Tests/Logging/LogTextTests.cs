using QuikApp.Workers.Shared.Logging;

namespace QuikApp.Workers.Shared.Tests.Logging;

/// <summary>Untrusted keys and broker errors are bounded and sanitised before they reach a log line or /health/ready (issue 12, defect 7).</summary>
public sealed class LogTextTests
{
    [Fact]
    public void Bounded_LongKeyWithNewlines_IsCutAndCannotForgeALogLine()
    {
        var key = "files/" + new string('a', 2_000) + "\n{\"@l\":\"Error\"}";

        var text = LogText.Bounded($"Refusing local://files/{key}", 300);

        Assert.Equal(301, text.Length);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', LogText.Bounded("a\nb\u0000c"));
        Assert.Equal("a\\u000ab\\u0000c", LogText.Bounded("a\nb\u0000c"));
    }

    [Theory]
    [InlineData("127.0.0.1:34585/bootstrap: Connect to ipv4#127.0.0.1:34585 failed: Connection refused")]
    [InlineData("kafka-0.kafka-headless.quikapp.svc.cluster.local:9092/0: Disconnected (after 12ms in state UP)")]
    [InlineData("1/1 brokers are down: [fd00::12]:9093/2 unreachable")]
    public void WithoutAddresses_LibrdkafkaErrors_KeepTheReasonAndDropEveryAddress(string error)
    {
        var text = LogText.WithoutAddresses(error);

        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kafka-0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fd00", text, StringComparison.Ordinal);
        Assert.Contains("<broker>", text, StringComparison.Ordinal);
    }
}
