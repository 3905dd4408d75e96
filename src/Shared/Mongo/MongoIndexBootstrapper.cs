using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Creates the declared indexes a worker owns, idempotently, and reports which were created, already there, or conflicting.</summary>
/// <remarks>
/// Each index is sent in its own createIndexes command so one conflict cannot stop the others (a multi-index
/// createIndexes fails as a whole). The server decides sameness: an identical existing index makes the command a
/// no-op (numIndexesBefore == numIndexesAfter, note "all indexes already exist"); a different one is refused with
/// 85 IndexOptionsConflict or 86 IndexKeySpecsConflict, which we classify against listIndexes and report. A unique
/// index over documents that already hold duplicate keys fails with 11000 DuplicateKey: reported as
/// <see cref="IndexConflictKind.DuplicateKeys"/>, not thrown (a throw would fail start-up on every restart). Each build is
/// bounded by Mongo:IndexBuildTimeout (maxTimeMS, so the server aborts it) and sent with Mongo:IndexCommitQuorum. An
/// existing index is never dropped or modified here.
/// </remarks>
public sealed partial class MongoIndexBootstrapper
{
    internal const int IndexAlreadyExistsCode = 68;
    internal const int IndexOptionsConflictCode = 85;
    internal const int IndexKeySpecsConflictCode = 86;
    internal const int DuplicateKeyCode = 11000;
    internal const int MaxTimeMSExpiredCode = 50;

    // Beyond maxTimeMS, so the server's own abort (and its error) normally arrives first; this only covers a server
    // that does not answer at all (or is not reached: server selection waits too).
    private static readonly TimeSpan MaxClientGrace = TimeSpan.FromSeconds(15);

    private readonly MongoCatalog _catalog;
    private readonly ILogger<MongoIndexBootstrapper> _logger;
    private readonly MongoOptions _options;

    public MongoIndexBootstrapper(MongoCatalog catalog, ILogger<MongoIndexBootstrapper> logger, IOptions<MongoOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(logger);
        _catalog = catalog;
        _logger = logger;
        _options = options?.Value ?? new MongoOptions();
    }

    /// <summary>
    /// The createIndexes command for one index: <c>{ createIndexes, indexes: [spec], commitQuorum?, maxTimeMS, writeConcern? }</c>.
    /// </summary>
    internal static BsonDocument CreateIndexesCommand(MongoIndexDefinition index, MongoOptions options, WriteConcern writeConcern)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(writeConcern);
        var command = new BsonDocument
        {
            { "createIndexes", index.Collection },
            { "indexes", new BsonArray { index.ToIndexSpec() } },
        };
        if (options.IndexCommitQuorum is { Length: > 0 } quorum)
        {
            command.Add("commitQuorum", int.TryParse(quorum, NumberStyles.None, CultureInfo.InvariantCulture, out var members) ? members : quorum);
        }

        command.Add("maxTimeMS", (long)Math.Ceiling(options.IndexBuildTimeout.TotalMilliseconds));
        // runCommand sends the command as written, so the client's write concern has to be added by hand.
        if (!writeConcern.IsServerDefault)
        {
            command.Add("writeConcern", writeConcern.ToBsonDocument());
        }

        return command;
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
        LogSummary(_logger, report.Created.Count, report.AlreadyPresent.Count, report.Conflicts.Count + report.TimedOut.Count);
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
        // The server refuses a same-keys index under another name only when it is the same index: since 5.0 that means key
        // pattern, collation, partial filter, unique and sparse all equal (an index differing in any of them is built beside
        // it). Prefer the existing one that matches on those.
        var equivalent = sameKeys.FirstOrDefault(existing =>
                Equals(existing.GetValue("partialFilterExpression", BsonNull.Value) as BsonDocument, index.PartialFilterExpression)
                && existing.GetValue("unique", false).ToBoolean() == index.Unique
                && existing.GetValue("sparse", false).ToBoolean() == index.Sparse)
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
        var command = CreateIndexesCommand(index, _options, database.Settings.WriteConcern);

        BsonDocument reply;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ClientDeadline(_options.IndexBuildTimeout));
        try
        {
            // Index builds are writes: they must go to the primary whatever the client's read preference is.
            reply = await database.RunCommandAsync<BsonDocument>(command, MongoCatalog.Reads, timeout.Token).ConfigureAwait(false);
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
        catch (MongoCommandException ex) when (ex.Code == DuplicateKeyCode)
        {
            // The server's message quotes a duplicate key value (user data): not repeated here.
            var conflict = DuplicateKeysConflict(index, databaseName);
            LogConflict(_logger, databaseName, index.Collection, index.Name, IndexConflictKind.DuplicateKeys, conflict.Detail!, "(none)");
            return conflict;
        }
        catch (MongoCommandException ex) when (ex.Code == MaxTimeMSExpiredCode)
        {
            return TimedOut(index, databaseName);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(index, databaseName);
        }
        catch (MongoExecutionTimeoutException)
        {
            return TimedOut(index, databaseName);
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

    /// <summary>How long the client waits for one createIndexes: the build timeout plus a grace of at most 15 s.</summary>
    internal static TimeSpan ClientDeadline(TimeSpan buildTimeout) =>
        buildTimeout + (buildTimeout < MaxClientGrace ? buildTimeout : MaxClientGrace);

    /// <summary>A unique index refused because existing documents share a key (11000 from the build).</summary>
    internal static IndexBootstrapResult DuplicateKeysConflict(MongoIndexDefinition index, string databaseName) => new(
        index,
        databaseName,
        IndexBootstrapOutcome.Conflict,
        IndexConflictKind.DuplicateKeys,
        null,
        $"documents in {databaseName}.{index.Collection} already hold duplicate values of {index.Keys.ToJson()}: the unique index cannot be built until they are removed or merged");

    private IndexBootstrapResult TimedOut(MongoIndexDefinition index, string databaseName)
    {
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"the build did not finish within Mongo:IndexBuildTimeout ({_options.IndexBuildTimeout}) and was aborted; build it out of band (docs/operations.md, \"Index builds\")");
        LogTimedOut(_logger, databaseName, index.Collection, index.Name, _options.IndexBuildTimeout);
        return new(index, databaseName, IndexBootstrapOutcome.TimedOut, null, null, detail);
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

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "MongoDB index {IndexName} on {Database}.{Collection} was not built within {Timeout} (Mongo:IndexBuildTimeout); the server aborted the build. Build it out of band")]
    private static partial void LogTimedOut(ILogger logger, string database, string collection, string indexName, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "MongoDB index bootstrap: {Created} created, {AlreadyPresent} already present, {Conflicting} conflicting")]
    private static partial void LogSummary(ILogger logger, int created, int alreadyPresent, int conflicting);
}
