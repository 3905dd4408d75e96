using System.Globalization;
using Microsoft.Extensions.Logging;
using Quartz;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>
/// The one Quartz job type: each firing resolves the named <see cref="IScheduledJob"/> (the JobKey's name) and runs it
/// through <see cref="LeasedJobRunner"/>, so the firing runs once across replicas.
/// </summary>
/// <remarks>
/// <see cref="DisallowConcurrentExecutionAttribute"/> is per JobKey, i.e. per named job: a firing that comes due while the
/// previous run of the same job is still going waits, and if it waits past the misfire threshold the trigger's
/// FireAndProceed policy folds every slot missed meanwhile into one firing. Different jobs still run side by side.
/// </remarks>
[DisallowConcurrentExecution]
public sealed partial class LeasedQuartzJob(ScheduledJobCatalog catalog, LeasedJobRunner runner, ILogger<LeasedQuartzJob> logger) : IJob
{
    /// <summary>JobDataMap key of a catch-up firing's slot (ISO 8601), set by <see cref="ScheduledJobRegistrar"/>.</summary>
    public const string CatchUpSlotKey = "quikapp.catchUpSlot";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.JobDetail.Key.Name;
        if (catalog.Find(name) is not { } definition)
        {
            LogUnknownJob(logger, name);
            return;
        }

        var slot = FireSlot(definition, context);
        try
        {
            await runner.RunAsync(new JobRunRequest(name, JobRunTrigger.Schedule, slot, default), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Swallowed on purpose: Quartz would only log it too, and a refire would be a second run of the slot. The next
            // slot fires on schedule; this one is recorded (or, if MongoDB was unreachable, retried by no one: see the log).
            LogRunFailed(logger, ex, name, slot);
        }
    }

    /// <summary>The cron slot this firing stands for: a catch-up's recorded slot, else the scheduled fire time mapped onto the schedule.</summary>
    internal static DateTimeOffset FireSlot(ScheduledJobDefinition definition, IJobExecutionContext context)
    {
        if (context.MergedJobDataMap.TryGetValue(CatchUpSlotKey, out var value) && value is string text &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var catchUp))
        {
            return catchUp;
        }

        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        return JobCron.LatestSlotAtOrBefore(definition.Schedule, scheduled) ?? scheduled;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Quartz fired job {Job}, which this worker does not register")]
    private static partial void LogUnknownJob(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled run of job {Job} for slot {Slot} could not run")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string job, DateTimeOffset slot);
}
