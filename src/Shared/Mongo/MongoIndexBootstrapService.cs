using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Builds the indexes this worker owns before the worker starts consuming, when Mongo:EnsureIndexesOnStart is on.</summary>
/// <remarks>
/// Runs in <see cref="StartAsync"/>, which the host awaits in registration order: register it (via
/// <see cref="MongoServiceCollectionExtensions.AddMongoIndexBootstrap"/>) before the consumers, so idempotency rests on the
/// unique indexes from the first event on. Conflicts are logged and reported, not fatal: the existing index is left
/// for an operator. MongoDB being unreachable is fatal: start-up fails and the orchestrator restarts the worker.
/// </remarks>
public sealed partial class MongoIndexBootstrapService : IHostedService
{
    private readonly MongoIndexBootstrapper _bootstrapper;
    private readonly IOptions<MongoOptions> _options;
    private readonly MongoIndexOwners _owners;
    private readonly ILogger<MongoIndexBootstrapService> _logger;

    public MongoIndexBootstrapService(
        MongoIndexBootstrapper bootstrapper,
        IOptions<MongoOptions> options,
        MongoIndexOwners owners,
        ILogger<MongoIndexBootstrapService> logger)
    {
        ArgumentNullException.ThrowIfNull(bootstrapper);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(logger);
        _bootstrapper = bootstrapper;
        _options = options;
        _owners = owners;
        _logger = logger;
    }

    /// <summary>The report of the start-up run; null when bootstrapping was switched off or has not run.</summary>
    public MongoIndexBootstrapReport? LastReport { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var owners = string.Join(", ", _owners.Owners);
        if (!_options.Value.EnsureIndexesOnStart)
        {
            LogSkipped(_logger, owners);
            return;
        }

        LastReport = await _bootstrapper.EnsureAsync(_owners.Owners, cancellationToken).ConfigureAwait(false);
        if (LastReport.HasConflicts)
        {
            LogConflicts(_logger, owners, LastReport.Conflicts.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Mongo:EnsureIndexesOnStart is off; not building the indexes owned by {Owners}")]
    private static partial void LogSkipped(ILogger logger, string owners);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MongoDB index bootstrap for {Owners} found {ConflictCount} conflicting indexes; they were left as is (see the errors above)")]
    private static partial void LogConflicts(ILogger logger, string owners, int conflictCount);
}

/// <summary>The index owners a worker bootstraps at start (see <see cref="MongoIndexBootstrapService"/>).</summary>
public sealed record MongoIndexOwners(IReadOnlyList<IndexOwner> Owners);

/// <summary>Owners one registration adds to <see cref="MongoIndexOwners"/> (a worker's own, or a shared feature's).</summary>
internal sealed record MongoIndexOwnerContribution(IReadOnlyList<IndexOwner> Owners);
