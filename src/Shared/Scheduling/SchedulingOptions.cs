using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Scheduling settings, bound from the "Scheduling" section and validated at start (<see cref="SchedulingOptionsValidator"/>).</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>How long a run's lease lasts without renewal: how long a crashed owner blocks the job. Default 2 minutes.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a running job extends its lease. At most half of <see cref="LeaseDuration"/>, so one failed renewal can be retried. Default 30 s.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a <c>locks</c> or <c>job_runs</c> write waits for w:majority (<c>wtimeout</c>). At most
    /// <see cref="RenewInterval"/>, so a stuck renewal ends before the next one is due; a renewal still unanswered at the
    /// lease's end is abandoned by the heartbeat anyway (docs/scheduling.md, "Timeouts"). Default 10 s.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The database holding <c>locks</c> and <c>job_runs</c>, by role (its name comes from Mongo:*Database). Default Analytics.</summary>
    public QuikAppDatabase Database { get; set; } = QuikAppDatabase.Analytics;

    /// <summary>Per job (by name): <c>Cron</c>, <c>Enabled</c> and a free-form <c>Parameters</c> section.</summary>
    public Dictionary<string, ScheduledJobSettings> Jobs { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static string JobKey(string job, string setting) => $"{SectionName}:{nameof(Jobs)}:{job}:{setting}";
}

/// <summary>One job's settings under <c>Scheduling:Jobs:&lt;name&gt;</c>; <c>Parameters</c> is read as raw configuration.</summary>
public sealed class ScheduledJobSettings
{
    /// <summary>Quartz cron (seconds first), evaluated in UTC; unset means the default the job was registered with.</summary>
    public string? Cron { get; set; }

    /// <summary>False stops the schedule on this worker; <c>run-job</c> still runs the job. Default true.</summary>
    public bool Enabled { get; set; } = true;
}
