using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>Fetches reported messages from <c>QuikApp_messages.messages</c> by <c>_id</c>, a bounded batch per query.</summary>
public sealed class MongoMessageContentStore(MongoCatalog catalog) : IMessageContentStore
{
    /// <summary>Ids per <c>$in</c>: keeps each query document far below 16 MB and each reply a few MB.</summary>
    internal const int BatchSize = 1000;

    public async Task<IReadOnlyDictionary<ObjectId, MessageContent>> GetAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var found = new Dictionary<ObjectId, MessageContent>(messageIds.Count);
        var projection = Builders<BsonDocument>.Projection.Include("content").Include("deleted").Include("editedAt");
        foreach (var batch in messageIds.Distinct().Chunk(BatchSize))
        {
            var filter = new BsonDocument("_id", new BsonDocument("$in", new BsonArray(batch)));
            var documents = await catalog.Messages.Find(filter).Project(projection).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var message in documents.Select(Parse).OfType<MessageContent>())
            {
                found[message.MessageId] = message;
            }
        }

        return found;
    }

    public static MessageContent? Parse(BsonDocument document)
    {
        if (document.GetValue("_id", BsonNull.Value) is not BsonObjectId id)
        {
            return null;
        }

        var text = document.GetValue("content", BsonNull.Value) is BsonString content ? content.Value : "";
        var deleted = document.GetValue("deleted", BsonNull.Value) is BsonBoolean { Value: true };
        DateTimeOffset? editedAt = document.GetValue("editedAt", BsonNull.Value) is BsonDateTime at
            ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero)
            : null;
        return new MessageContent(id.Value, text, deleted, editedAt);
    }
}
