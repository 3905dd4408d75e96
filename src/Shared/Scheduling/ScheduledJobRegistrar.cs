using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Puts the enabled jobs on the Quartz scheduler at start, and fires one catch-up run for a job whose slot passed while the fleet was down.</summary>
/// <remarks>
/// Registered before Quartz's hosted service, so the triggers are stored before the scheduler starts. The catch-up reads
/// each lease's lastFireTime (the last slot any replica ran): when a later slot has passed, one firing is queued for the
/// latest missed slot — every replica does this, and the lease lets one of them run it. A job that never ran anywhere is
/// not caught up (nothing says it was due). MongoDB being unreachable skips catch-up with a warning; the schedule still starts.
/// </remarks>
public sealed partial class ScheduledJobRegistrar(
    ISchedulerFactory schedulers,
    ScheduledJobCatalog catalog,
    ILeaseStore leases,
    TimeProvider time,
    ILogger<ScheduledJobRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        foreach (var definition in catalog.Jobs)
        {
            if (!definition.Enabled)
            {
                LogDisabled(logger, definition.Name);
                continue;
            }

            var trigger = LeasedJobSchedule.BuildTrigger(definition);
            await scheduler.ScheduleJob(LeasedJobSchedule.BuildJob(definition), trigger, ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
            LogScheduled(logger, definition.Name, definition.Cron);
            await CatchUpAsync(scheduler, definition, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CatchUpAsync(IScheduler scheduler, ScheduledJobDefinition definition, CancellationToken cancellationToken)
    {
        LeaseState? lease;
        try
        {
            lease = await leases.ReadAsync(definition.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCatchUpUnknown(logger, ex, definition.Name);
            return;
        }

        if (JobCron.MissedSlot(definition.Schedule, lease?.LastFireTime, time.GetUtcNow()) is not { } missed)
        {
            return;
        }

        var data = new JobDataMap { [LeasedQuartzJob.CatchUpSlotKey] = missed.ToString("O", CultureInfo.InvariantCulture) };
        await scheduler.TriggerJob(LeasedJobSchedule.JobKeyFor(definition.Name), data, cancellationToken).ConfigureAwait(false);
        LogCatchUp(logger, definition.Name, missed, lease!.LastFireTime);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled job {Job} is disabled on this worker (run-job still runs it)")]
    private static partial void LogDisabled(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled job {Job} on cron '{Cron}' (UTC)")]
    private static partial void LogScheduled(ILogger logger, string job, string cron);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: could not read its lease to check for a missed slot; no catch-up run")]
    private static partial void LogCatchUpUnknown(ILogger logger, Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: slot {Slot} passed while no replica ran it (last ran {LastFireTime}); one catch-up run queued")]
    private static partial void LogCatchUp(ILogger logger, string job, DateTimeOffset slot, DateTimeOffset? lastFireTime);
}
