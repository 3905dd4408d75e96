using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>What one run of a job knows: its id, window, fire time, parameters, a logger in the run's scope, and the counts it reports.</summary>
public sealed class JobRunContext
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public JobRunContext(
        Guid runId,
        string jobName,
        JobRunTrigger trigger,
        JobWindow window,
        DateTimeOffset? scheduledFireTime,
        IConfiguration parameters,
        ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(logger);
        RunId = runId;
        JobName = jobName;
        Trigger = trigger;
        Window = window;
        ScheduledFireTime = scheduledFireTime;
        Parameters = parameters;
        Logger = logger;
    }

    public Guid RunId { get; }

    public string JobName { get; }

    public JobRunTrigger Trigger { get; }

    /// <summary>
    /// The window an operator asked for (<c>run-job --from/--to</c>, a backfill). Empty for a scheduled run: the job derives
    /// its window itself (typically from <see cref="ScheduledFireTime"/>) and may report it in <see cref="JobOutcome.Window"/>.
    /// </summary>
    public JobWindow Window { get; }

    /// <summary>The cron slot this run executes (UTC); null for a <c>run-job</c> run.</summary>
    public DateTimeOffset? ScheduledFireTime { get; }

    /// <summary>The job's free-form <c>Scheduling:Jobs:&lt;name&gt;:Parameters</c> section (empty when not configured).</summary>
    public IConfiguration Parameters { get; }

    /// <summary>A logger whose scope (job name, run id, trigger, fire time) is active for the whole run.</summary>
    public ILogger Logger { get; }

    /// <summary>Structured counts recorded in job_runs (e.g. <c>fixed=12</c>). Safe to update from parallel work.</summary>
    public IDictionary<string, long> Counts => _counts;

    /// <summary>Adds <paramref name="amount"/> to a count, atomically.</summary>
    public void Add(string count, long amount = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(count);
        _counts.AddOrUpdate(count, amount, (_, current) => current + amount);
    }

    internal IReadOnlyDictionary<string, long> SnapshotCounts() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);
}
