using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Metrics;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>What to run: a job, why (schedule or CLI), for which cron slot and window.</summary>
public sealed record JobRunRequest(string Job, JobRunTrigger Trigger, DateTimeOffset? ScheduledFireTime, JobWindow Window);

/// <summary>How a run went, as <c>run-job</c> prints it. <see cref="RunId"/> is null when the lease was not acquired (nothing ran, nothing was recorded).</summary>
public sealed record JobRunResult(
    Guid? RunId,
    string Job,
    JobRunTrigger Trigger,
    JobRunStatus Status,
    DateTimeOffset? ScheduledFireTime,
    JobWindow Window,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, long> Counts,
    string? Message,
    JobRunError? Error,
    bool LeaseAcquired);

/// <summary>
/// Runs one job under its lease: acquire, record the start, run with a heartbeat renewing the lease, record the end, release.
/// The one path for scheduled firings (<see cref="LeasedQuartzJob"/>) and <c>run-job</c>.
/// </summary>
public sealed partial class LeasedJobRunner
{
    // Recording the end and releasing happen after the caller's token may have fired (shutdown): they get their own budget.
    private static readonly TimeSpan CleanupBudget = TimeSpan.FromSeconds(15);

    private readonly ScheduledJobCatalog _catalog;
    private readonly ILeaseStore _leases;
    private readonly IJobRunStore _runs;
    private readonly IServiceScopeFactory _scopes;
    private readonly SchedulingOptions _options;
    private readonly LeaseOwner _owner;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly WorkerMetrics? _metrics;

    public LeasedJobRunner(
        ScheduledJobCatalog catalog,
        ILeaseStore leases,
        IJobRunStore runs,
        IServiceScopeFactory scopes,
        IOptions<SchedulingOptions> options,
        LeaseOwner owner,
        TimeProvider time,
        ILoggerFactory loggers,
        WorkerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _scopes = scopes ?? throw new ArgumentNullException(nameof(scopes));
        _options = options.Value;
        _owner = owner ?? throw new ArgumentNullException(nameof(owner));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _loggers = loggers;
        _logger = loggers.CreateLogger<LeasedJobRunner>();
        _metrics = metrics;
    }

    /// <summary>Runs the job once if its lease can be taken. Infrastructure failures (MongoDB down) throw; the job's own failures are results.</summary>
    /// <exception cref="KeyNotFoundException">No job of that name is registered.</exception>
    public async Task<JobRunResult> RunAsync(JobRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = _catalog.Find(request.Job) ?? throw new KeyNotFoundException($"No scheduled job named '{request.Job}' is registered.");
        var lease = new LeaseRequest(definition.Name, _owner.Value, _options.LeaseDuration, request.ScheduledFireTime);

        var acquisition = await _leases.TryAcquireAsync(lease, cancellationToken).ConfigureAwait(false);
        if (!acquisition.Acquired)
        {
            var reason = LeaseRules.Describe(acquisition.Verdict, acquisition.Current, request.ScheduledFireTime);
            LogNotAcquired(_logger, definition.Name, reason);
            return new JobRunResult(null, definition.Name, request.Trigger, JobRunStatus.Skipped, request.ScheduledFireTime, request.Window,
                null, null, new Dictionary<string, long>(), $"not run: {reason}", null, LeaseAcquired: false);
        }

        if (acquisition.Verdict == LeaseVerdict.Expired && acquisition.Current is { } previous && LeaseRules.WasAbandoned(previous))
        {
            LogTookOver(_logger, definition.Name, previous.Owner, previous.LockedUntil);
        }

        try
        {
            return await RunLeasedAsync(definition, request, lease, acquisition.LockedUntil!.Value, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
        }
    }

    private async Task<JobRunResult> RunLeasedAsync(
        ScheduledJobDefinition definition,
        JobRunRequest request,
        LeaseRequest lease,
        DateTimeOffset lockedUntil,
        CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var runId = Guid.CreateVersion7(startedAt);
        await _runs.RecordStartAsync(
            new JobRunStart(runId, definition.Name, request.Trigger, request.Window, request.ScheduledFireTime, startedAt, _owner.Value),
            cancellationToken).ConfigureAwait(false);

        var jobLogger = _loggers.CreateLogger($"QuikApp.Workers.Jobs.{definition.Name}");
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["Job"] = definition.Name,
            ["RunId"] = runId,
            ["JobTrigger"] = SchedulingWireNames.Of(request.Trigger),
            ["ScheduledFireTime"] = request.ScheduledFireTime,
        });
        var context = new JobRunContext(runId, definition.Name, request.Trigger, request.Window, request.ScheduledFireTime, definition.Parameters, jobLogger);

        using var jobCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        JobOutcome? outcome = null;
        JobRunError? error = null;
        bool lost;
        var heartbeat = new LeaseHeartbeat(_leases, lease, lockedUntil, _options.RenewInterval, _time, _logger, jobCancellation);
        await using (heartbeat.ConfigureAwait(false))
        {
            LogStarted(_logger, definition.Name, runId);
            try
            {
                var jobScope = _scopes.CreateAsyncScope();
                await using (jobScope.ConfigureAwait(false))
                {
                    var job = jobScope.ServiceProvider.GetRequiredKeyedService<IScheduledJob>(definition.Name);
                    outcome = await job.RunAsync(context, jobCancellation.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                error = JobRunError.From(ex);
                if (!heartbeat.Lost)
                {
                    LogFailed(_logger, ex, definition.Name, runId);
                }
            }

            lost = heartbeat.Lost;
        }

        var counts = MergeCounts(context, outcome);
        var status = lost ? JobRunStatus.LostLease
            : error is not null ? JobRunStatus.Failed
            : SchedulingWireNames.ToRunStatus(outcome!.Status);
        var message = lost ? "the lease was lost while running; the run was cancelled" : outcome?.Message ?? error?.Message;
        var finishedAt = _time.GetUtcNow();
        var window = outcome?.Window is { IsEmpty: false } reported ? reported : request.Window;

        using (var budget = new CancellationTokenSource(CleanupBudget, _time))
        {
            try
            {
                await _runs.RecordFinishAsync(new JobRunFinish(runId, finishedAt, status, counts, message, error, outcome?.Window), budget.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The run happened; failing to record its end must not turn into a second run or hide the outcome.
                LogRecordFailed(_logger, ex, definition.Name, runId);
            }
        }

        LogFinished(_logger, definition.Name, runId, SchedulingWireNames.Of(status), finishedAt - startedAt);
        _metrics?.JobRunFinished(definition.Name, SchedulingWireNames.Of(status), SchedulingWireNames.Of(request.Trigger), finishedAt - startedAt);
        return new JobRunResult(runId, definition.Name, request.Trigger, status, request.ScheduledFireTime, window, startedAt, finishedAt, counts, message, error, LeaseAcquired: true);
    }

    private async Task ReleaseAsync(LeaseRequest lease)
    {
        using var budget = new CancellationTokenSource(CleanupBudget, _time);
        try
        {
            await _leases.ReleaseAsync(lease.Name, lease.Owner, budget.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Harmless beyond a delay: the lease expires at lockedUntil, and this slot's lastFireTime is already recorded.
            LogReleaseFailed(_logger, ex, lease.Name);
        }
    }

    private static Dictionary<string, long> MergeCounts(JobRunContext context, JobOutcome? outcome)
    {
        var counts = new Dictionary<string, long>(context.SnapshotCounts(), StringComparer.Ordinal);
        foreach (var (name, value) in outcome?.Counts ?? new Dictionary<string, long>())
        {
            counts[name] = value;
        }

        return counts;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} not run: {Reason}")]
    private static partial void LogNotAcquired(ILogger logger, string job, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: took over the expired lease of {PreviousOwner} (it ran until {LockedUntil} without releasing)")]
    private static partial void LogTookOver(ILogger logger, string job, string? previousOwner, DateTimeOffset lockedUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} run {RunId} started")]
    private static partial void LogStarted(ILogger logger, string job, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job, Guid runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} run {RunId} finished: {Status} in {Duration}")]
    private static partial void LogFinished(ILogger logger, string job, Guid runId, string status, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} run {RunId}: recording its end in job_runs failed")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string job, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the lease of job {Job} failed; it expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string job);
}
