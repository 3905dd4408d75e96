using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Tests.Kafka.Consuming;

public class RetryBackoffTests
{
    private static readonly RetryBackoffOptions Options = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(10),
        Multiplier = 2,
        Jitter = 0.5,
    };

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 200)]
    [InlineData(3, 800)]
    [InlineData(7, 10_000)] // 12.8 s capped at 10 s
    [InlineData(1_000_000, 10_000)]
    public void DelayFor_NoRandomness_GrowsExponentiallyUpToTheCap(int attempt, double expectedMs)
    {
        var backoff = new RetryBackoff(Options, () => 1.0);

        Assert.Equal(expectedMs, backoff.DelayFor(attempt).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void DelayFor_WithJitter_StaysWithinTheJitteredShareOfTheBaseDelay()
    {
        var backoff = new RetryBackoff(Options);
        for (var i = 0; i < 1_000; i++)
        {
            var delay = backoff.DelayFor(2).TotalMilliseconds; // base 400 ms, half of it random
            Assert.InRange(delay, 200, 400);
        }
    }

    [Fact]
    public void DelayFor_WithJitter_Spreads()
    {
        var backoff = new RetryBackoff(Options);
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.DelayFor(4)).Distinct().Count();

        Assert.True(delays > 50, $"only {delays} distinct delays out of 200");
    }

    [Fact]
    public void DelayFor_ZeroJitter_IsDeterministic()
    {
        var backoff = new RetryBackoff(new RetryBackoffOptions { InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 });

        Assert.Equal(TimeSpan.FromSeconds(4), backoff.DelayFor(2));
    }
}
