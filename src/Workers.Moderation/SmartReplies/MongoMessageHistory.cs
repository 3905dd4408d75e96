using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// Reads <c>QuikApp_messages.messages</c> (written by the message-service) for smart replies: only the fields the rules
/// need, and the mention count rather than the mentioned users' ids.
/// </summary>
/// <remarks>
/// Reads go to the primary: the message-service writes a message before publishing its event, and a secondary that
/// lags could miss the parent of a reply that has just been sent (or a deletion that has just been made).
/// Thread queries use the seed's <c>{ threadId: 1, createdAt: 1 }</c> index, channel queries <c>{ channelId: 1,
/// createdAt: -1 }</c>, bounded in time by the quick-reply window so a busy channel's thread replies are never scanned
/// far. A document without a usable <c>_id</c>, ids, or <c>createdAt</c> is ignored (after the query's limit: it still
/// takes its place in the conversation).
/// <para>Ids are matched by BSON type: equality and <c>$in</c> never match an ObjectId with a string. A reply whose
/// <c>threadId</c> the message-service wrote as the parent's 24-hex string is read as a thread reply, so the thread
/// queries match the parent's id in both types (two point intervals of the same index). A top-level message is one
/// whose <c>threadId</c> is null or missing (<c>{ threadId: null }</c> matches both, as the seed writes explicit nulls).</para>
/// </remarks>
public sealed class MongoMessageHistory(MongoCatalog catalog) : IMessageHistory
{
    private static readonly BsonDocument Projection = new()
    {
        { "workspaceId", 1 },
        { "channelId", 1 },
        { "userId", 1 },
        { "content", 1 },
        { "contentType", 1 },
        { "threadId", 1 },
        { "createdAt", 1 },
        { "deleted", 1 },
        { "mentionsEveryone", 1 },
        {
            "mentionCount", new BsonDocument("$cond", new BsonArray
            {
                new BsonDocument("$isArray", "$mentions"),
                new BsonDocument("$size", "$mentions"),
                0,
            })
        },
    };

    private IMongoCollection<BsonDocument> Messages => catalog.Messages;

    public async Task<IReadOnlyList<ChatMessage>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return [];
        }

        var filter = new BsonDocument("_id", new BsonDocument("$in", new BsonArray(messageIds.Distinct())));
        return await ReadAsync(Messages.Find(filter).Project(Projection), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ChatMessage>> ThreadBeforeAsync(ObjectId threadId, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var filter = InThread(threadId).Add("createdAt", new BsonDocument("$lt", before.UtcDateTime));
        var latestFirst = await ReadAsync(
            Messages.Find(filter).Sort(new BsonDocument("createdAt", -1)).Limit(limit).Project(Projection), cancellationToken).ConfigureAwait(false);
        return [.. latestFirst.Reverse()];
    }

    public async Task<IReadOnlyList<ChatMessage>> ThreadAfterAsync(ObjectId threadId, DateTimeOffset? after, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var filter = InThread(threadId);
        if (after is { } start)
        {
            filter.Add("createdAt", new BsonDocument("$gt", start.UtcDateTime));
        }

        return await ReadAsync(
            Messages.Find(filter).Sort(new BsonDocument("createdAt", 1)).Limit(limit).Project(Projection), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ChatMessage?> ChannelMessageBeforeAsync(Guid channelId, DateTimeOffset before, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var filter = new BsonDocument
        {
            { "channelId", Uuid(channelId) },
            { "createdAt", new BsonDocument { { "$lt", before.UtcDateTime }, { "$gte", notBefore.UtcDateTime } } },
            { "threadId", BsonNull.Value }, // null or missing: a top-level message
        };
        var found = await ReadAsync(
            Messages.Find(filter).Sort(new BsonDocument("createdAt", -1)).Limit(1).Project(Projection), cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<ChatMessage?> ChannelMessageAfterAsync(Guid channelId, DateTimeOffset after, DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        var filter = new BsonDocument
        {
            { "channelId", Uuid(channelId) },
            { "createdAt", new BsonDocument { { "$gt", after.UtcDateTime }, { "$lte", notAfter.UtcDateTime } } },
            { "threadId", BsonNull.Value },
        };
        var found = await ReadAsync(
            Messages.Find(filter).Sort(new BsonDocument("createdAt", 1)).Limit(1).Project(Projection), cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>
    /// The replies of thread <paramref name="threadId"/>: <c>threadId</c> holding the parent's ObjectId or its 24-hex string
    /// (an <c>$in</c> never matches across BSON types).
    /// </summary>
    internal static BsonDocument InThread(ObjectId threadId) =>
        new("threadId", new BsonDocument("$in", new BsonArray { threadId, threadId.ToString() }));

    /// <summary>Reads one message document as projected (with <c>mentionCount</c>); null when it is not shaped as the seed says.</summary>
    /// <remarks>Public so that the in-memory history reads the documents it holds exactly as this store does.</remarks>
    public static ChatMessage? Parse(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!document.TryGetValue("_id", out var id) || !id.IsObjectId
            || Guid(document, "workspaceId") is not { } workspaceId
            || Guid(document, "channelId") is not { } channelId
            || Guid(document, "userId") is not { } userId
            || !document.TryGetValue("createdAt", out var createdAt) || !createdAt.IsValidDateTime)
        {
            return null;
        }

        var threadId = document.GetValue("threadId", BsonNull.Value) switch
        {
            BsonObjectId parent => parent.Value,
            // Only the form InThread matches (ObjectId.ToString()), so a reply found here is found by its thread's queries.
            BsonString text when ObjectId.TryParse(text.Value, out var parsed) && parsed.ToString() == text.Value => parsed,
            _ => (ObjectId?)null,
        };
        return new ChatMessage(
            id.AsObjectId,
            workspaceId,
            channelId,
            userId,
            document.GetValue("content", BsonNull.Value) is BsonString content ? content.Value : "",
            ContentType(document.GetValue("contentType", BsonNull.Value)),
            threadId,
            new DateTimeOffset(createdAt.ToUniversalTime(), TimeSpan.Zero),
            document.GetValue("deleted", BsonNull.Value) is BsonBoolean { Value: true },
            document.GetValue("mentionCount", 0) is { IsNumeric: true } count ? count.ToInt32() : 0,
            document.GetValue("mentionsEveryone", BsonNull.Value) is BsonBoolean { Value: true });
    }

    // The seed defaults contentType to "text"; a value the contract does not list makes the message unusable (null).
    private static MessageContentType? ContentType(BsonValue value) => value switch
    {
        BsonNull => MessageContentType.Text,
        BsonString { Value: "text" } => MessageContentType.Text,
        BsonString { Value: "rich" } => MessageContentType.Rich,
        BsonString { Value: "code" } => MessageContentType.Code,
        BsonString { Value: "file" } => MessageContentType.File,
        _ => null,
    };

    private static Guid? Guid(BsonDocument document, string name) =>
        document.GetValue(name, BsonNull.Value) is BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } binary
            ? binary.ToGuid(GuidRepresentation.Standard)
            : null;

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    private static async Task<IReadOnlyList<ChatMessage>> ReadAsync(IFindFluent<BsonDocument, BsonDocument> find, CancellationToken cancellationToken)
    {
        var documents = await find.ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. documents.Select(Parse).OfType<ChatMessage>()];
    }
}
