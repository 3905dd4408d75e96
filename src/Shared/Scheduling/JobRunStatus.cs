namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>The status of a run as job_runs records it (<c>running</c> until the run ends).</summary>
public enum JobRunStatus
{
    Running,
    Succeeded,
    Failed,
    Skipped,

    /// <summary>Another replica took the lease while this run held it (renewal failed): the run was cancelled.</summary>
    LostLease,
}

/// <summary>What started a run: the cron schedule (including a catch-up after downtime) or an operator's <c>run-job</c>.</summary>
public enum JobRunTrigger
{
    Schedule,
    Cli,
}

/// <summary>The wire spellings of the scheduling enums, as stored in job_runs and printed by <c>run-job</c>.</summary>
public static class SchedulingWireNames
{
    public static string Of(JobRunStatus status) => status switch
    {
        JobRunStatus.Running => "running",
        JobRunStatus.Succeeded => "succeeded",
        JobRunStatus.Failed => "failed",
        JobRunStatus.Skipped => "skipped",
        JobRunStatus.LostLease => "lost-lease",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown job run status."),
    };

    public static string Of(JobRunTrigger trigger) => trigger switch
    {
        JobRunTrigger.Schedule => "schedule",
        JobRunTrigger.Cli => "cli",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Unknown job run trigger."),
    };

    public static JobRunStatus ToRunStatus(JobOutcomeStatus status) => status switch
    {
        JobOutcomeStatus.Succeeded => JobRunStatus.Succeeded,
        JobOutcomeStatus.Failed => JobRunStatus.Failed,
        JobOutcomeStatus.Skipped => JobRunStatus.Skipped,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown job outcome status."),
    };
}
