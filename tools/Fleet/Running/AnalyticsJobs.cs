using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Fleet.Reporting;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Fleet.Running;

/// <summary>
/// Runs each analytics aggregation once at the end of a run with MongoDB, through the same leased runner as
/// <c>run-job</c> (the analytics worker composed but not started: no schedule, no consumer), and reports how each went.
/// </summary>
internal static class AnalyticsJobs
{
    public static IReadOnlyList<string> Jobs { get; } = [DailyMessageStatsJob.Name, UnreadCountsJob.Name, CounterReconciliationJob.Name, ModerationDailyJob.Name];

    public static async Task<AnalyticsSummary> RunOnceAsync(FleetEnvironment environment, string runDirectory, CancellationToken cancellationToken)
    {
        await using var app = WorkerHostFactory.Build(FleetWorkers.Analytics, environment, runDirectory, stores: null);
        var runner = app.Services.GetRequiredService<LeasedJobRunner>();
        var jobs = new List<JobSummary>();
        foreach (var job in Jobs)
        {
            try
            {
                var result = await runner.RunAsync(new JobRunRequest(job, JobRunTrigger.Cli, null, default), cancellationToken);
                jobs.Add(new JobSummary(job, SchedulingWireNames.Of(result.Status), result.Counts, result.Message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                jobs.Add(new JobSummary(job, "error", new Dictionary<string, long>(), ex.Message));
            }
        }

        return new AnalyticsSummary(null, jobs);
    }
}
