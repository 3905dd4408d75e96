using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Builds the indexes this worker owns before the worker starts consuming, when Mongo:EnsureIndexesOnStart is on.</summary>
/// <remarks>
/// Runs in <see cref="StartAsync"/>, which the host awaits in registration order: register it (via
/// <see cref="MongoServiceCollectionExtensions.AddMongoIndexBootstrap"/>) before the consumers. Each build is bounded by
/// Mongo:IndexBuildTimeout. A conflict on an ordinary index is logged and reported, and the existing index is left for an
/// operator. A <b>required</b> index (<see cref="MongoIndexDefinition.Required"/>) that is missing, conflicting or refused
/// for duplicate keys closes the <see cref="MongoRequiredIndexGate"/>: readiness fails with the reason, the consumers do not
/// start, and the index is retried every Mongo:RequiredIndexRetryInterval in the background until it is in place. Start-up
/// itself returns, so the health endpoints answer and the process is not restarted in a loop. MongoDB being unreachable
/// is fatal: start-up fails and the orchestrator restarts the worker.
/// </remarks>
public sealed partial class MongoIndexBootstrapService : IHostedService, IDisposable
{
    private readonly Func<IReadOnlyList<MongoIndexDefinition>, CancellationToken, Task<MongoIndexBootstrapReport>> _ensure;
    private readonly IOptions<MongoOptions> _options;
    private readonly MongoIndexOwners _owners;
    private readonly MongoRequiredIndexGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger<MongoIndexBootstrapService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _retries;

    public MongoIndexBootstrapService(
        MongoIndexBootstrapper bootstrapper,
        IOptions<MongoOptions> options,
        MongoIndexOwners owners,
        ILogger<MongoIndexBootstrapService> logger,
        MongoRequiredIndexGate? gate = null,
        TimeProvider? time = null)
        : this((bootstrapper ?? throw new ArgumentNullException(nameof(bootstrapper))).EnsureAsync, options, owners, logger, gate, time)
    {
    }

    /// <summary>For tests: <paramref name="ensure"/> stands for <see cref="MongoIndexBootstrapper.EnsureAsync(IEnumerable{MongoIndexDefinition}, CancellationToken)"/>.</summary>
    internal MongoIndexBootstrapService(
        Func<IReadOnlyList<MongoIndexDefinition>, CancellationToken, Task<MongoIndexBootstrapReport>> ensure,
        IOptions<MongoOptions> options,
        MongoIndexOwners owners,
        ILogger<MongoIndexBootstrapService> logger,
        MongoRequiredIndexGate? gate = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(ensure);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(logger);
        _ensure = ensure;
        _options = options;
        _owners = owners;
        _logger = logger;
        _gate = gate ?? new MongoRequiredIndexGate();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The report of the latest run (start-up or retry); null when bootstrapping was switched off or has not run.</summary>
    public MongoIndexBootstrapReport? LastReport { get; private set; }

    /// <summary>The gate this service closes while a required index is not in place.</summary>
    public MongoRequiredIndexGate Gate => _gate;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var owners = string.Join(", ", _owners.Owners);
        if (!_options.Value.EnsureIndexesOnStart)
        {
            LogSkipped(_logger, owners);
            return;
        }

        var report = await _ensure(MongoIndexCatalog.OwnedBy(_owners.Owners), cancellationToken).ConfigureAwait(false);
        LastReport = report;
        if (report.HasConflicts)
        {
            LogConflicts(_logger, owners, report.Conflicts.Count + report.TimedOut.Count);
        }

        var unsatisfied = report.RequiredUnsatisfied;
        _gate.Set(unsatisfied);
        if (unsatisfied.Count > 0)
        {
            foreach (var result in unsatisfied)
            {
                LogRequiredMissing(_logger, result.Namespace, result.Index.Name, result.Detail ?? result.Outcome.ToString());
            }

            _retries = RetryRequiredAsync([.. unsatisfied.Select(result => result.Index)], _stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_retries is { } retries)
        {
            await retries.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RetryRequiredAsync(IReadOnlyList<MongoIndexDefinition> pending, CancellationToken stopping)
    {
        var interval = _options.Value.RequiredIndexRetryInterval;
        while (pending.Count > 0)
        {
            try
            {
                await Task.Delay(interval, _time, stopping).ConfigureAwait(false);
                var report = await _ensure(pending, stopping).ConfigureAwait(false);
                LastReport = report;
                var unsatisfied = report.RequiredUnsatisfied;
                _gate.Set(unsatisfied);
                pending = [.. unsatisfied.Select(result => result.Index)];
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MongoException or TimeoutException or InvalidOperationException)
            {
                // InvalidOperationException: a build whose write concern was not satisfied (a majority down).
                // MongoDB unreachable for a moment: the gate stays closed and the next round tries again.
                LogRetryFailed(_logger, ex, pending.Count);
            }
        }

        LogRequiredInPlace(_logger, string.Join(", ", _owners.Owners));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mongo:EnsureIndexesOnStart is off; not building the indexes owned by {Owners}")]
    private static partial void LogSkipped(ILogger logger, string owners);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MongoDB index bootstrap for {Owners} found {ConflictCount} conflicting or unfinished indexes; they were left as is (see the errors above)")]
    private static partial void LogConflicts(ILogger logger, string owners, int conflictCount);

    [LoggerMessage(
        Level = LogLevel.Critical,
        Message = "Required MongoDB index {IndexName} on {Namespace} is not in place ({Detail}); the worker is not ready and does not consume until it is (retried every Mongo:RequiredIndexRetryInterval)")]
    private static partial void LogRequiredMissing(ILogger logger, string @namespace, string indexName, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying {Count} required MongoDB indexes failed; trying again later")]
    private static partial void LogRetryFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every required MongoDB index for {Owners} is now in place; consuming")]
    private static partial void LogRequiredInPlace(ILogger logger, string owners);
}

/// <summary>The index owners a worker bootstraps at start (see <see cref="MongoIndexBootstrapService"/>).</summary>
public sealed record MongoIndexOwners(IReadOnlyList<IndexOwner> Owners);

/// <summary>Owners one registration adds to <see cref="MongoIndexOwners"/> (a worker's own, or a shared feature's).</summary>
internal sealed record MongoIndexOwnerContribution(IReadOnlyList<IndexOwner> Owners);
