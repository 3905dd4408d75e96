using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// Reads the action, content hash and deleted flag of several messages from <c>QuikApp_moderation.auto_mod_results</c>
/// in one query (unique index on <c>messageId</c>), from the primary: the handler has just written them.
/// </summary>
public sealed class MongoModerationActions(MongoCatalog catalog) : IModerationActions
{
    private static readonly BsonDocument Projection = new()
    {
        { "_id", 0 },
        { "messageId", 1 },
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
        return documents.Select(Parse).OfType<StoredModeration>().ToDictionary(s => s.MessageId);
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
