using System.Runtime.CompilerServices;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// <c>QuikApp_smartreply.reply_pairs</c>: one document per pair, <c>{ _id: "&lt;replyMessageId&gt;:&lt;kind&gt;", kind,
/// workspaceId, channelId, replyMessageId, messageIds, context: [{ text, sameAuthorAsReply }], reply, replyAt, builtAt }</c>.
/// </summary>
/// <remarks>
/// A batch's changes are one ordered bulk write: a <c>deleteMany</c> (pairs containing the messages, or with the given
/// ids, except those about to be written) and then one upsert per pair. Each upsert is filtered on <c>_id</c> alone, so
/// the server itself retries the duplicate-key error of two upserts racing to insert the same pair. The upsert is a
/// pipeline: its first stage keeps the stored <c>builtAt</c> when messages, context and reply are unchanged (a
/// redelivery) and stamps the new one otherwise; field values are <c>$literal</c> so that a text starting with
/// <c>$</c> is never read as a field path. Containment uses the multikey index <c>{ messageIds: 1 }</c>; snapshots
/// use <c>{ builtAt: 1, _id: 1 }</c>, which also orders the export without an in-memory sort; the export reads it in
/// pages (keyset on builtAt, _id) so that no cursor outlives a page. Snapshot reads go to the primary: a secondary that
/// lags could still hold a pair that a deletion has already removed. <c>builtAt</c> is stored to the millisecond (BSON
/// dates), and cut-offs are compared at that precision: the driver truncates the cutoff the same way.
/// </remarks>
public sealed class MongoSmartReplyPairStore(MongoCatalog catalog) : ISmartReplyPairStore
{
    public async Task<long> ApplyAsync(ReplyPairChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var models = WriteModels(changes);
        if (models.Count == 0)
        {
            return 0;
        }

        var result = await catalog.ReplyPairs.BulkWriteAsync(models, new BulkWriteOptions { IsOrdered = true }, cancellationToken)
            .ConfigureAwait(false);
        return result.DeletedCount;
    }

    public Task<long> DeleteContainingAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken) =>
        ApplyAsync(new ReplyPairChanges([], messageIds, []), cancellationToken);

    public async Task<IReadOnlyList<ObjectId>> FindReplyIdsContainingAsync(IReadOnlyCollection<ObjectId> messageIds, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0 || limit <= 0)
        {
            return [];
        }

        var documents = await catalog.ReplyPairs
            .Find(Containing(messageIds))
            .Project(new BsonDocument { { "_id", 0 }, { "replyMessageId", 1 } })
            .Limit(limit)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. documents.Select(d => d.GetValue("replyMessageId", BsonNull.Value)).OfType<BsonObjectId>().Select(id => id.Value).Distinct()];
    }

    public async Task<ReplyPairCounts> CountAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var pipeline = new[]
        {
            new BsonDocument("$match", UpTo(cutoff)),
            new BsonDocument("$group", new BsonDocument { { "_id", "$kind" }, { "count", new BsonDocument("$sum", 1) } }),
        };
        using var groups = await catalog.ReplyPairs
            .AggregateAsync<BsonDocument>(pipeline, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var byKind = (await groups.ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(g => g["_id"].IsString ? g["_id"].AsString : "", g => g["count"].ToInt64());
        var thread = byKind.GetValueOrDefault(ReplyPairKind.Thread.ToWire());
        var quick = byKind.GetValueOrDefault(ReplyPairKind.Quick.ToWire());
        return new ReplyPairCounts(byKind.Values.Sum(), thread, quick);
    }

    public async IAsyncEnumerable<SnapshotPair> StreamAsync(DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Page by page, each page one query that returns all its documents in its first batch (limit = batchSize), so no
        // cursor stays open while the caller writes: an export to a slow pipe would otherwise leave the cursor idle past
        // the server's cursorTimeoutMillis (10 min) and fail with CursorNotFound. The next page starts after the last
        // (builtAt, _id) read; many pairs share a builtAt (one per batch), so _id breaks the ties.
        var options = new FindOptions { BatchSize = ExportPageSize };
        BsonDocument? last = null;
        while (true)
        {
            var page = await catalog.ReplyPairs
                .Find(ExportPageFilter(cutoff, last), options)
                .Sort(ExportOrder)
                .Limit(ExportPageSize)
                .Project(ExportFields)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            foreach (var document in page)
            {
                yield return ParseSnapshotPair(document);
            }

            if (page.Count < ExportPageSize)
            {
                yield break;
            }

            last = page[^1];
        }
    }

    /// <summary>How many pairs one export query reads (tests use small pages to cross page boundaries).</summary>
    internal int ExportPageSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a page holds at least one pair (limit 0 is no limit)");
    } = DefaultExportPageSize;

    /// <summary>A page of at most ~2 MB (context lines are bounded by MaxCharacters): well inside one 16 MiB batch.</summary>
    internal const int DefaultExportPageSize = 1000;

    private static readonly BsonDocument ExportOrder = new() { { "builtAt", 1 }, { "_id", 1 } };

    private static readonly BsonDocument ExportFields = new() { { "_id", 1 }, { "builtAt", 1 }, { "kind", 1 }, { "context", 1 }, { "reply", 1 } };

    /// <summary>
    /// The pairs built at or before <paramref name="cutoff"/> that come after <paramref name="last"/> (a previous page's
    /// last document, or null for the first page) in (builtAt, _id) order. Both branches are ranges of
    /// <c>{ builtAt: 1, _id: 1 }</c>, which also returns them in that order.
    /// </summary>
    internal static BsonDocument ExportPageFilter(DateTimeOffset cutoff, BsonDocument? last)
    {
        if (last is null)
        {
            return UpTo(cutoff);
        }

        var builtAt = last["builtAt"];
        return new BsonDocument("$or", new BsonArray
        {
            new BsonDocument("builtAt", new BsonDocument { { "$gt", builtAt }, { "$lte", cutoff.UtcDateTime } }),
            new BsonDocument { { "builtAt", builtAt }, { "_id", new BsonDocument("$gt", last["_id"]) } },
        });
    }

    /// <summary>The bulk write for <paramref name="changes"/> (exposed for tests that compare it with the intended commands).</summary>
    internal static List<WriteModel<BsonDocument>> WriteModels(ReplyPairChanges changes)
    {
        var models = new List<WriteModel<BsonDocument>>(changes.Upserts.Count + 1);
        var branches = new BsonArray();
        if (changes.RemoveContaining.Count > 0)
        {
            branches.Add(Containing(changes.RemoveContaining));
        }

        if (changes.RemoveIds.Count > 0)
        {
            branches.Add(new BsonDocument("_id", new BsonDocument("$in", new BsonArray(changes.RemoveIds.Distinct(StringComparer.Ordinal)))));
        }

        if (branches.Count > 0)
        {
            var filter = new BsonDocument("$or", branches);
            if (changes.Upserts.Count > 0)
            {
                // Pairs rewritten in this batch are upserted, not deleted and re-inserted: they keep their builtAt when unchanged.
                filter = new BsonDocument("$and", new BsonArray
                {
                    filter,
                    new BsonDocument("_id", new BsonDocument("$nin", new BsonArray(changes.Upserts.Select(p => p.Id).Distinct(StringComparer.Ordinal)))),
                });
            }

            models.Add(new DeleteManyModel<BsonDocument>(filter));
        }

        models.AddRange(changes.Upserts.Select(UpsertModel));
        return models;
    }

    /// <summary>One pair's upsert: the builtAt stage, then the values.</summary>
    internal static UpdateOneModel<BsonDocument> UpsertModel(ReplyPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var messageIds = new BsonArray(pair.MessageIds);
        var context = new BsonArray(pair.Context.Select(line => new BsonDocument
        {
            { "text", line.Text },
            { "sameAuthorAsReply", line.SameAuthorAsReply },
        }));
        var unchanged = new BsonDocument("$and", new BsonArray
        {
            Equal("$messageIds", messageIds),
            Equal("$context", context),
            Equal("$reply", pair.Reply),
        });
        // Evaluated against the stored document (a missing one compares unequal), before the values are replaced.
        var builtAt = new BsonDocument("$set", new BsonDocument("builtAt",
            new BsonDocument("$cond", new BsonArray { unchanged, "$builtAt", Literal(pair.BuiltAt.UtcDateTime) })));
        var values = new BsonDocument
        {
            { "kind", pair.Kind.ToWire() },
            { "workspaceId", Uuid(pair.WorkspaceId) },
            { "channelId", Uuid(pair.ChannelId) },
            { "replyMessageId", pair.ReplyMessageId },
            { "messageIds", messageIds },
            { "context", context },
            { "reply", pair.Reply },
            { "replyAt", pair.ReplyAt.UtcDateTime },
        };
        var set = new BsonDocument("$set", new BsonDocument(values.Select(e => new BsonElement(e.Name, Literal(e.Value)))));
        var pipeline = new BsonDocumentStagePipelineDefinition<BsonDocument, BsonDocument>([builtAt, set]);
        return new UpdateOneModel<BsonDocument>(new BsonDocument("_id", pair.Id), Builders<BsonDocument>.Update.Pipeline(pipeline))
        {
            IsUpsert = true,
        };
    }

    internal static SnapshotPair ParseSnapshotPair(BsonDocument document)
    {
        var context = document.GetValue("context", new BsonArray()).AsBsonArray
            .OfType<BsonDocument>()
            .Select(line => new ReplyContextLine(line.GetValue("text", "").AsString, line.GetValue("sameAuthorAsReply", false).ToBoolean()))
            .ToList();
        return new SnapshotPair(ReplyPairKinds.Parse(document["kind"].AsString), context, document.GetValue("reply", "").AsString);
    }

    private static BsonDocument Containing(IEnumerable<ObjectId> messageIds) =>
        new("messageIds", new BsonDocument("$in", new BsonArray(messageIds.Distinct())));

    private static BsonDocument UpTo(DateTimeOffset cutoff) => new("builtAt", new BsonDocument("$lte", cutoff.UtcDateTime));

    private static BsonDocument Equal(string field, BsonValue value) => new("$eq", new BsonArray { field, Literal(value) });

    private static BsonDocument Literal(BsonValue value) => new("$literal", value);

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);
}
