using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// Reads the action, content hash and deleted flag of several messages from <c>QuikApp_moderation.auto_mod_results</c>
/// in one query (unique index on <c>messageId</c>), from the primary: the handler has just written them.
/// </summary>
/// <remarks>
/// While the unique index is missing (an upstream non-unique <c>messageId_1</c> kept it from being built), a message can
/// have several documents. The reader then does not fail: it takes the newest judged content (<c>content.at</c>, then
/// <c>content.eventId</c>, the order the result store applies versions in; a document without a version is the oldest),
/// and a message is deleted when any of its documents says so, since a deletion tombstone carries no version.
/// </remarks>
public sealed class MongoModerationActions(MongoCatalog catalog) : IModerationActions
{
    private static readonly BsonDocument Projection = new()
    {
        { "_id", 1 },
        { "messageId", 1 },
        { "content.at", 1 },
        { "content.eventId", 1 },
        { "action", 1 },
        { "contentHash", 1 },
        { "deleted", 1 },
    };

    public async Task<IReadOnlyDictionary<ObjectId, StoredModeration>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return new Dictionary<ObjectId, StoredModeration>();
        }

        var filter = new BsonDocument("messageId", new BsonDocument("$in", new BsonArray(messageIds.Distinct())));
        var documents = await catalog.AutoModResults
            .Find(filter)
            .Project(Projection)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return Merge(documents);
    }

    /// <summary>One entry per message id, deterministic whatever order the documents come in (see the remarks).</summary>
    internal static Dictionary<ObjectId, StoredModeration> Merge(IEnumerable<BsonDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var merged = new Dictionary<ObjectId, StoredModeration>();
        foreach (var group in documents
            .Select(d => (Document: d, Parsed: Parse(d)))
            .Where(p => p.Parsed is not null)
            .GroupBy(p => p.Parsed!.MessageId))
        {
            var newest = group.OrderByDescending(p => p.Document, VersionOrder.Instance).First().Parsed!;
            merged[group.Key] = newest with { Deleted = group.Any(p => p.Parsed!.Deleted) };
        }

        return merged;
    }

    /// <summary>Reads one result as projected; null without a messageId. No action (a tombstone) reads as null.</summary>
    internal static StoredModeration? Parse(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.GetValue("messageId", BsonNull.Value) is not BsonObjectId messageId)
        {
            return null;
        }

        var action = document.GetValue("action", BsonNull.Value) switch
        {
            BsonString { Value: "allow" } => ModerationAction.Allow,
            BsonString { Value: "flag" } => ModerationAction.Flag,
            BsonString { Value: "block" } => ModerationAction.Block,
            // An action this worker does not know (a newer writer's) is not an allow.
            BsonString => ModerationAction.Block,
            _ => (ModerationAction?)null,
        };
        return new StoredModeration(
            messageId.Value,
            action,
            document.GetValue("contentHash", BsonNull.Value) is BsonString hash ? hash.Value : null,
            document.GetValue("deleted", BsonNull.Value) is BsonBoolean { Value: true });
    }
}

/// <summary>Orders result documents by judged version: <c>content.at</c>, then <c>content.eventId</c> (as BinData compares), then <c>_id</c>.</summary>
internal sealed class VersionOrder : IComparer<BsonDocument>
{
    public static readonly VersionOrder Instance = new();

    public int Compare(BsonDocument? x, BsonDocument? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var (xContent, yContent) = (Content(x), Content(y));
        var byAt = At(xContent).CompareTo(At(yContent));
        if (byAt != 0)
        {
            return byAt;
        }

        var byEvent = CompareBinData(Event(xContent), Event(yContent));
        return byEvent != 0 ? byEvent : x.GetValue("_id", BsonNull.Value).CompareTo(y.GetValue("_id", BsonNull.Value));
    }

    private static BsonDocument Content(BsonDocument d) => d.GetValue("content", BsonNull.Value) as BsonDocument ?? [];

    private static long At(BsonDocument content) =>
        content.GetValue("at", BsonNull.Value) is BsonDateTime at ? at.MillisecondsSinceEpoch : long.MinValue;

    private static BsonValue Event(BsonDocument content) => content.GetValue("eventId", BsonNull.Value);

    /// <summary>As MongoDB orders BinData: length, subtype, then bytes; anything that is not BinData sorts first.</summary>
    private static int CompareBinData(BsonValue x, BsonValue y) => (x, y) switch
    {
        (BsonBinaryData a, BsonBinaryData b) => a.Bytes.Length != b.Bytes.Length ? a.Bytes.Length.CompareTo(b.Bytes.Length)
            : a.SubType != b.SubType ? ((byte)a.SubType).CompareTo((byte)b.SubType)
            : a.Bytes.AsSpan().SequenceCompareTo(b.Bytes),
        (BsonBinaryData, _) => 1,
        (_, BsonBinaryData) => -1,
        _ => 0,
    };
}
