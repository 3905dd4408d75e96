using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Job leases in <c>&lt;Scheduling:Database&gt;.locks</c>, one document per job (<c>_id</c> = job name).</summary>
/// <remarks>
/// Acquisition is a single findOneAndUpdate with upsert (see <see cref="MongoLeaseCommands"/>), so "is it free?" and "take it"
/// are one atomic step on the primary. Times come from the injected <see cref="TimeProvider"/>: replicas' clocks are assumed
/// NTP-synchronised to well within <c>LeaseDuration - RenewInterval</c> (docs/scheduling.md, "Clocks").
/// </remarks>
public sealed class MongoLeaseStore : ILeaseStore
{
    private const int DuplicateKeyCode = 11000;

    private readonly IMongoCollection<BsonDocument> _locks;
    private readonly TimeProvider _time;

    public MongoLeaseStore(MongoCatalog catalog, IOptions<SchedulingOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        // Reads decide catch-up and explain refusals: the catalog's handle reads the primary. Writes wait for w:majority at
        // most Scheduling:OperationTimeout (wtimeout), so a renewal does not wait past the lease it is meant to extend.
        _locks = MongoOperationBounds.WithWriteTimeout(
            catalog.Collection<BsonDocument>(options.Value.Database, MongoCatalog.Collections.Locks), options.Value.OperationTimeout);
        _time = time;
    }

    /// <summary>The handle every lease operation goes through (its settings are what tests assert).</summary>
    internal IMongoCollection<BsonDocument> Locks => _locks;

    public async Task<LeaseAcquisition> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        // Before, so the log can say whose lease we took over: null means the upsert inserted it (the job's first run).
        var options = new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.Before };
        try
        {
            var before = await _locks.FindOneAndUpdateAsync<BsonDocument>(
                MongoLeaseCommands.AcquireFilter(request, now),
                MongoLeaseCommands.AcquireUpdate(request, now),
                options,
                cancellationToken).ConfigureAwait(false);
            var previous = before is null ? null : MongoLeaseCommands.ToState(before);
            // What was stored (BSON dates are milliseconds), so callers compare against the value the next reader sees.
            return LeaseAcquisition.Taken(MongoLeaseCommands.Millis(now + request.Duration), LeaseRules.Evaluate(previous, request.Owner, now, request.FireTime), previous);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            // Not ours to take. Read the holder only to say why; the read is after the fact and may have moved on.
            var current = await ReadAsync(request.Name, cancellationToken).ConfigureAwait(false);
            var verdict = LeaseRules.Evaluate(current, request.Owner, now, request.FireTime);
            return LeaseAcquisition.Refused(LeaseRules.CanAcquire(verdict) ? LeaseVerdict.HeldByOther : verdict, current);
        }
    }

    public async Task<DateTimeOffset?> RenewAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var result = await _locks.UpdateOneAsync(
            MongoLeaseCommands.OwnedFilter(name, owner),
            MongoLeaseCommands.RenewUpdate(now, duration),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.MatchedCount == 1 ? MongoLeaseCommands.Millis(now + duration) : null;
    }

    public async Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        await _locks.UpdateOneAsync(
            MongoLeaseCommands.OwnedFilter(name, owner),
            MongoLeaseCommands.ReleaseUpdate(_time.GetUtcNow()),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<LeaseState?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var document = await _locks.Find(new BsonDocument(MongoLeaseCommands.Id, name)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return document is null ? null : MongoLeaseCommands.ToState(document);
    }

    /// <summary>findAndModify reports E11000 as a command error; a plain write reports it as a write error. Both mean "taken".</summary>
    internal static bool IsDuplicateKey(Exception exception) => exception switch
    {
        MongoCommandException command => command.Code == DuplicateKeyCode,
        MongoWriteException write => write.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        _ => false,
    };
}
