using System.Globalization;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Deployment.Tests.Kafka;

/// <summary>deploy/kafka/topics.txt, what the compose topic-init step creates, is the contract in code (EventTopics).</summary>
public sealed class TopicListTests
{
    /// <summary>What the embedded Kafka creates (KafkaConnection.CreateContractTopics): each topic, then its .dlq topic.</summary>
    private static List<string> Expected() =>
    [
        .. EventTopics.All.SelectMany(t => new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Partitions}"),
            string.Create(CultureInfo.InvariantCulture, $"{EventTopics.DeadLetterTopic(t.Name)} {t.Partitions}"),
        }),
    ];

    [Fact]
    public void TopicList_IsTheContractsTopicsAndDeadLetterTopicsWithTheirPartitionCounts()
    {
        var listed = RepositoryFiles.Text("deploy/kafka/topics.txt")
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();

        var expected = Expected();
        Assert.True(expected.SequenceEqual(listed),
            "deploy/kafka/topics.txt differs from src/Shared/Events/EventTopics.cs; its topic lines should be:\n" + string.Join('\n', expected));
    }

    [Fact]
    public void TopicInitScript_ReadsTheListBesideIt_AndCreatesIdempotently()
    {
        var script = RepositoryFiles.Text("deploy/kafka/create-topics.sh");

        Assert.Contains("topics.txt", script, StringComparison.Ordinal);
        Assert.Contains("--create --if-not-exists", script, StringComparison.Ordinal);
        Assert.Contains("--alter --topic", script, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(RepositoryFiles.PathOf("deploy/kafka/create-topics.sh")) & UnixFileMode.UserExecute) != 0,
                "deploy/kafka/create-topics.sh must be executable");
        }
    }
}
