using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Creates the declared indexes a worker owns, idempotently, and reports which were created, already there, or conflicting.</summary>
/// <remarks>
/// Each index is sent in its own createIndexes command so one conflict cannot stop the others (a multi-index
/// createIndexes fails as a whole). The server decides sameness: an identical existing index makes the command a
/// no-op (numIndexesBefore == numIndexesAfter, note "all indexes already exist"); a different one is refused with
/// 85 IndexOptionsConflict or 86 IndexKeySpecsConflict, which we classify against listIndexes and report. An existing
/// index is never dropped or modified here.
/// </remarks>
public sealed partial class MongoIndexBootstrapper
{
    internal const int IndexAlreadyExistsCode = 68;
    internal const int IndexOptionsConflictCode = 85;
    internal const int IndexKeySpecsConflictCode = 86;

    private readonly MongoCatalog _catalog;
    private readonly ILogger<MongoIndexBootstrapper> _logger;

    public MongoIndexBootstrapper(MongoCatalog catalog, ILogger<MongoIndexBootstrapper> logger)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(logger);
        _catalog = catalog;
        _logger = logger;
    }

    /// <summary>Ensures every index in <see cref="MongoIndexCatalog"/> that the given owners own.</summary>
    public Task<MongoIndexBootstrapReport> EnsureAsync(IEnumerable<IndexOwner> owners, CancellationToken cancellationToken) =>
        EnsureAsync(MongoIndexCatalog.OwnedBy(owners), cancellationToken);

    /// <summary>Ensures the given index declarations, in order.</summary>
    public async Task<MongoIndexBootstrapReport> EnsureAsync(IEnumerable<MongoIndexDefinition> indexes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var results = new List<IndexBootstrapResult>();
        foreach (var index in indexes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await EnsureOneAsync(index, cancellationToken).ConfigureAwait(false));
        }

        var report = new MongoIndexBootstrapReport(results);
        LogSummary(_logger, report.Created.Count, report.AlreadyPresent.Count, report.Conflicts.Count);
        return report;
    }

    /// <summary>Whether a createIndexes reply shows a new index (on a replica set; on mongos per shard under <c>raw</c>).</summary>
    internal static bool ReplyShowsNewIndex(BsonDocument reply)
    {
        if (reply.TryGetValue("numIndexesBefore", out var before) && reply.TryGetValue("numIndexesAfter", out var after))
        {
            return after.ToInt32() > before.ToInt32();
        }

        if (reply.TryGetValue("raw", out var raw) && raw is BsonDocument shards)
        {
            return shards.Values.OfType<BsonDocument>().Any(ReplyShowsNewIndex);
        }

        return !reply.Contains("note");
    }

    /// <summary>Matches a refused index to what listIndexes shows, so the report names the culprit.</summary>
    internal static IndexBootstrapResult ClassifyConflict(
        MongoIndexDefinition index,
        string databaseName,
        IReadOnlyList<BsonDocument> existingIndexes,
        string serverError)
    {
        var sameName = existingIndexes.FirstOrDefault(existing => existing.GetValue("name", BsonNull.Value) == index.Name);
        if (sameName is not null)
        {
            var differences = index.DifferencesFrom(sameName);
            var kind = differences.Any(difference => difference.Option == "key") ? IndexConflictKind.SameNameDifferentKeys
                : differences.Count > 0 && differences.All(difference => difference.Option == "expireAfterSeconds") ? IndexConflictKind.TtlExpiryDiffers
                : IndexConflictKind.SameNameDifferentOptions;
            var detail = differences.Count > 0 ? string.Join("; ", differences) : serverError;
            return new(index, databaseName, IndexBootstrapOutcome.Conflict, kind, sameName, detail);
        }

        var storedKey = index.StoredKeyPattern();
        var sameKeys = existingIndexes
            .Where(existing => existing.GetValue("key", BsonNull.Value) is BsonDocument key && MongoIndexDefinition.KeyPatternsEqual(storedKey, key))
            .ToList();
        // The server only refuses a same-keys index when filter (and collation) match too; prefer that one.
        var equivalent = sameKeys.FirstOrDefault(existing =>
                Equals(existing.GetValue("partialFilterExpression", BsonNull.Value) as BsonDocument, index.PartialFilterExpression))
            ?? sameKeys.FirstOrDefault();
        if (equivalent is not null)
        {
            var existingName = equivalent.GetValue("name", BsonNull.Value).ToString();
            return new(index, databaseName, IndexBootstrapOutcome.Conflict, IndexConflictKind.SameKeysDifferentName, equivalent,
                $"an equivalent index named '{existingName}' already exists");
        }

        return new(index, databaseName, IndexBootstrapOutcome.Conflict, IndexConflictKind.Other, null, serverError);
    }

    private async Task<IndexBootstrapResult> EnsureOneAsync(MongoIndexDefinition index, CancellationToken cancellationToken)
    {
        var database = _catalog.Database(index.Database);
        var databaseName = _catalog.DatabaseName(index.Database);
        var command = new BsonDocument
        {
            { "createIndexes", index.Collection },
            { "indexes", new BsonArray { index.ToIndexSpec() } },
        };
        // runCommand sends the command as written, so the client's write concern has to be added by hand.
        var writeConcern = database.Settings.WriteConcern;
        if (!writeConcern.IsServerDefault)
        {
            command.Add("writeConcern", writeConcern.ToBsonDocument());
        }

        BsonDocument reply;
        try
        {
            // Index builds are writes: they must go to the primary whatever the client's read preference is.
            reply = await database.RunCommandAsync<BsonDocument>(command, MongoCatalog.Reads, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code is IndexOptionsConflictCode or IndexKeySpecsConflictCode or IndexAlreadyExistsCode)
        {
            var existing = await ListIndexesAsync(database, index.Collection, cancellationToken).ConfigureAwait(false);
            var conflict = ClassifyConflict(index, databaseName, existing, $"{ex.CodeName} ({ex.Code}): {ex.ErrorMessage}");
            LogConflict(
                _logger,
                databaseName,
                index.Collection,
                index.Name,
                conflict.ConflictKind!.Value,
                conflict.Detail ?? string.Empty,
                conflict.ExistingIndex?.ToJson() ?? "(none)");
            return conflict;
        }

        if (reply.TryGetValue("writeConcernError", out var writeConcernError))
        {
            throw new InvalidOperationException(
                $"createIndexes for index {index.Name} on {databaseName}.{index.Collection} did not satisfy the write concern: {writeConcernError.ToJson()}");
        }

        if (ReplyShowsNewIndex(reply))
        {
            LogCreated(_logger, databaseName, index.Collection, index.Name, index.Owner);
            return new(index, databaseName, IndexBootstrapOutcome.Created);
        }

        LogAlreadyPresent(_logger, databaseName, index.Collection, index.Name);
        return new(index, databaseName, IndexBootstrapOutcome.AlreadyPresent);
    }

    private static async Task<List<BsonDocument>> ListIndexesAsync(IMongoDatabase database, string collection, CancellationToken cancellationToken)
    {
        // listIndexes on the primary: we are comparing against what the createIndexes just saw.
        var indexes = database.GetCollection<BsonDocument>(collection).Indexes;
        using var cursor = await indexes.ListAsync(cancellationToken).ConfigureAwait(false);
        return await cursor.ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created MongoDB index {IndexName} on {Database}.{Collection} (owner {Owner})")]
    private static partial void LogCreated(ILogger logger, string database, string collection, string indexName, IndexOwner owner);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MongoDB index {IndexName} on {Database}.{Collection} already present")]
    private static partial void LogAlreadyPresent(ILogger logger, string database, string collection, string indexName);

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "MongoDB index {IndexName} on {Database}.{Collection} conflicts with an existing index ({ConflictKind}): {Detail}. Existing: {ExistingIndex}. Left as is; nothing was dropped")]
    private static partial void LogConflict(
        ILogger logger,
        string database,
        string collection,
        string indexName,
        IndexConflictKind conflictKind,
        string detail,
        string existingIndex);

    [LoggerMessage(Level = LogLevel.Information, Message = "MongoDB index bootstrap: {Created} created, {AlreadyPresent} already present, {Conflicting} conflicting")]
    private static partial void LogSummary(ILogger logger, int created, int alreadyPresent, int conflicting);
}
