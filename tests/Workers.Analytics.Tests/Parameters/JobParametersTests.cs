using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Analytics.Parameters;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.UnreadCounts;

namespace QuikApp.Workers.Analytics.Tests.Parameters;

/// <summary>Each job's parameters: defaults are valid, bad values are named by their full key.</summary>
public sealed class JobParametersTests
{
    [Fact]
    public void Defaults_AreValidForEveryJob()
    {
        Assert.Empty(new DailyMessageStatsParameters().Problems("s"));
        Assert.Empty(new UnreadCountsParameters().Problems("s"));
        Assert.Empty(new CounterReconciliationParameters().Problems("s"));
        Assert.Empty(new ModerationDailyParameters().Problems("s"));
    }

    [Fact]
    public void Problems_OutOfRange_NameTheFullKey()
    {
        var section = JobParametersRegistration.SectionFor(UnreadCountsJob.Name);

        var problems = new UnreadCountsParameters { Cap = 0, BatchSize = 20_000 }.Problems(section).ToList();

        Assert.Equal("Scheduling:Jobs:unread-counts:Parameters", section);
        Assert.Contains("Scheduling:Jobs:unread-counts:Parameters:Cap must be between 1 and 1000000 (got 0).", problems);
        Assert.Contains(problems, problem => problem.StartsWith("Scheduling:Jobs:unread-counts:Parameters:BatchSize ", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_NegativeOverlap_IsNamed()
    {
        var problems = new DailyMessageStatsParameters { Overlap = TimeSpan.FromMinutes(-1) }.Problems("p").ToList();

        Assert.Equal(["p:Overlap must be between 00:00:00 and 1.00:00:00 (got -00:01:00)."], problems);
    }
}
