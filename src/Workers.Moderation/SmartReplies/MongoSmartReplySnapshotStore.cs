using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// Smart-reply snapshot records in <c>QuikApp_ml.training_sets</c>: <c>{ _id: "smart-reply-20261125T0230Z", kind:
/// "smart-reply", createdAt, cutoff, counts: { pairs, thread, quick }, filters: { contextMessages,
/// quickReplyWindowSeconds, minCharacters, maxCharacters, excluded } }</c>. The collection is shared with the
/// ml-service's own training sets, so every read is filtered on <c>kind</c>.
/// </summary>
/// <remarks>
/// A record is written once: an upsert on <c>_id</c> whose every field is <c>$setOnInsert</c>, so a second run for the
/// same version keeps the first record (and two racing inserts are settled by the server's duplicate-key retry on an
/// <c>_id</c>-only filter; a duplicate-key error that still surfaces reads as "exists"). Recent versions come from
/// <c>{ kind: 1, createdAt: -1 }</c>; records of other kinds, and ids of other BSON types, are never read as ours.
/// Dates are stored to the millisecond.
/// </remarks>
public sealed class MongoSmartReplySnapshotStore(MongoCatalog catalog) : ISmartReplySnapshotStore
{
    public async Task<bool> TryInsertAsync(SmartReplySnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        try
        {
            var result = await catalog.TrainingSets.UpdateOneAsync(
                new BsonDocument("_id", snapshot.Version),
                new BsonDocument("$setOnInsert", Render(snapshot)),
                new UpdateOptions { IsUpsert = true },
                cancellationToken).ConfigureAwait(false);
            return result.UpsertedId is not null;
        }
        catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            // The server retries a racing upsert's E11000 on an _id-only filter, but a bounded number of times
            // (SERVER-60897); one that still surfaces means another run inserted this version: it is kept.
            return false;
        }
    }

    public async Task<SmartReplySnapshot?> FindAsync(string version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var document = await catalog.TrainingSets
            .Find(new BsonDocument { { "_id", version }, { "kind", SmartReplySnapshot.Kind } })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return document is null ? null : Parse(document);
    }

    public async Task<IReadOnlyList<string>> RecentVersionsAsync(int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return []; // limit(0) means "no limit" to MongoDB, not "none"
        }

        var documents = await catalog.TrainingSets
            .Find(new BsonDocument("kind", SmartReplySnapshot.Kind))
            .Sort(new BsonDocument("createdAt", -1))
            .Limit(limit)
            .Project(new BsonDocument("_id", 1))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. documents.Select(d => d["_id"]).OfType<BsonString>().Select(id => id.Value)];
    }

    /// <summary>The record's fields other than <c>_id</c>.</summary>
    /// <remarks>Public so that the in-memory store keeps the same documents.</remarks>
    public static BsonDocument Render(SmartReplySnapshot snapshot) => new()
    {
        { "kind", SmartReplySnapshot.Kind },
        { "createdAt", snapshot.CreatedAt.UtcDateTime },
        { "cutoff", snapshot.Cutoff.UtcDateTime },
        {
            "counts", new BsonDocument
            {
                { "pairs", snapshot.Counts.Pairs },
                { "thread", snapshot.Counts.Thread },
                { "quick", snapshot.Counts.Quick },
            }
        },
        {
            "filters", new BsonDocument
            {
                { "contextMessages", snapshot.Filters.ContextMessages },
                { "quickReplyWindowSeconds", snapshot.Filters.QuickReplyWindowSeconds },
                { "minCharacters", snapshot.Filters.MinCharacters },
                { "maxCharacters", snapshot.Filters.MaxCharacters },
                { "excluded", new BsonArray(snapshot.Filters.Excluded) },
            }
        },
    };

    /// <summary>Reads a smart-reply record (as <see cref="Render"/> writes it, with its <c>_id</c>).</summary>
    public static SmartReplySnapshot Parse(BsonDocument document)
    {
        var counts = document.GetValue("counts", new BsonDocument()).AsBsonDocument;
        var filters = document.GetValue("filters", new BsonDocument()).AsBsonDocument;
        return new SmartReplySnapshot(
            document["_id"].AsString,
            new DateTimeOffset(document["createdAt"].ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(document["cutoff"].ToUniversalTime(), TimeSpan.Zero),
            new ReplyPairCounts(Long(counts, "pairs"), Long(counts, "thread"), Long(counts, "quick")),
            new SnapshotFilters(
                (int)Long(filters, "contextMessages"),
                (int)Long(filters, "quickReplyWindowSeconds"),
                (int)Long(filters, "minCharacters"),
                (int)Long(filters, "maxCharacters"),
                [.. filters.GetValue("excluded", new BsonArray()).AsBsonArray.OfType<BsonString>().Select(s => s.Value)]));
    }

    private static long Long(BsonDocument document, string name) =>
        document.GetValue(name, 0) is { IsNumeric: true } value ? value.ToInt64() : 0;
}
