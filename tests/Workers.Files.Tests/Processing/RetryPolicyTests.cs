using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Files.Tests.Processing;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static RetryPolicy Policy(int maxAttempts = 4) => new(Options.Create(new FileProcessingOptions
    {
        MaxAttempts = maxAttempts,
        RetryBackoff = TimeSpan.FromMinutes(15),
        MaxRetryBackoff = TimeSpan.FromMinutes(45),
    }));

    private static FileOutcome Outcome(ProcessingStatus status, string? reason) => new(
        Guid.NewGuid(), Guid.NewGuid(), new ScanVerdict(FileScanStatus.Error, null, reason, null, Now), null,
        new FileMediaMetadata(null, null, null, null), [], [], null, null, status, reason, null, StageTimings.None);

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 45)]
    public void Decide_FailedBeforeTheLastAttempt_RetriesAfterADoublingBackoffUpToTheMaximum(int attempt, int minutes)
    {
        var decision = Policy().Decide(Outcome(ProcessingStatus.Failed, "timed out"), attempt, Now);

        Assert.Equal(Now.AddMinutes(minutes), decision.RetryAfter);
        Assert.Equal("timed out", decision.Reason);
    }

    [Fact]
    public void Decide_FailedAtTheLastAttempt_GivesUpAndSaysSo()
    {
        var decision = Policy().Decide(Outcome(ProcessingStatus.Failed, "clamd: Can't allocate memory"), 4, Now);

        Assert.Null(decision.RetryAfter);
        Assert.Equal("gave up after 4 attempts: clamd: Can't allocate memory", decision.Reason);
    }

    [Theory]
    [InlineData(ProcessingStatus.Done)]
    [InlineData(ProcessingStatus.Skipped)]
    public void Decide_FinalOutcome_IsNeverRetried(ProcessingStatus status)
    {
        var decision = Policy().Decide(Outcome(status, "no thumbnail: not an image"), 1, Now);

        Assert.Equal(new RetryDecision(null, "no thumbnail: not an image"), decision);
    }
}
