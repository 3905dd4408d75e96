using MongoDB.Bson;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Housekeeping.Messages;

/// <summary>One batch of soft-deleted messages past retention: their ids and the channels they were in.</summary>
/// <param name="ChannelIds">Distinct channel ids, or null when a message had none (the receipt repair then cannot narrow by channel).</param>
internal sealed record MessageBatch(IReadOnlyList<BsonValue> MessageIds, IReadOnlyList<BsonValue>? ChannelIds)
{
    /// <summary>The batch from messages read with <see cref="MessageRetentionCascade.SelectionProjection"/>.</summary>
    public static MessageBatch From(IReadOnlyList<BsonDocument> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var channels = messages.Select(message => message.GetValue("channelId", BsonNull.Value)).ToList();
        return new MessageBatch(
            [.. messages.Select(message => message["_id"])],
            channels.Any(channel => channel.IsBsonNull) ? null : [.. channels.Distinct()]);
    }
}

/// <summary>What a cascade step does to its collection.</summary>
internal enum CascadeAction
{
    DeleteMany,
    UpdateMany,
}

/// <summary>One write of the cascade: where, what, and the count it adds to (job_runs).</summary>
internal sealed record CascadeStep(string Count, QuikAppDatabase Database, string Collection, CascadeAction Action, BsonDocument Filter, BsonDocument? Update = null);

/// <summary>
/// message-retention as pure BSON: which messages a batch takes, and the ordered writes that hard-delete them with their
/// cascade. The order is the resumption mechanism: every dependant goes first and the messages last, so a crash leaves
/// the messages in place, the next run selects them again, and the dependants' writes (idempotent) find nothing left.
/// </summary>
internal static class MessageRetentionCascade
{
    /// <summary>Soft-deleted before <paramref name="cutoff"/> (now − retention); served by the partial index on deletedAt.</summary>
    public static BsonDocument Expired(DateTime cutoff) => new()
    {
        { "deleted", true },
        { "deletedAt", new BsonDocument("$lt", cutoff) },
    };

    /// <summary>Oldest deletions first, along the same index.</summary>
    public static BsonDocument SelectionSort { get; } = new("deletedAt", 1);

    public static BsonDocument SelectionProjection { get; } = new() { { "_id", 1 }, { "channelId", 1 } };

    /// <summary>The cascade of one batch, in the order it must run.</summary>
    public static IReadOnlyList<CascadeStep> For(MessageBatch batch, DateTime cutoff)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var ids = new BsonArray(batch.MessageIds);
        var inBatch = new BsonDocument("$in", ids);

        // A receipt is one user's read position in one channel: deleting it would lose that position and reset the unread
        // count. Only its pointer names the message, so the pointer goes (null) and lastReadAt/unreadCount stay: the
        // seed's unread-count pipeline compares createdAt with lastReadAt, never with the pointer.
        var receipts = new BsonDocument();
        if (batch.ChannelIds is { } channels)
        {
            // Narrowed by channel so the unique { channelId, userId } index serves it (no index on lastReadMessageId).
            receipts.Add("channelId", new BsonDocument("$in", new BsonArray(channels)));
        }

        receipts.Add("lastReadMessageId", inBatch.DeepClone());

        return
        [
            new("reactionsDeleted", QuikAppDatabase.Messages, MongoCatalog.Collections.Reactions, CascadeAction.DeleteMany,
                new BsonDocument("messageId", inBatch.DeepClone())),
            new("receiptsRepaired", QuikAppDatabase.Messages, MongoCatalog.Collections.ReadReceipts, CascadeAction.UpdateMany,
                receipts, new BsonDocument("$set", new BsonDocument("lastReadMessageId", BsonNull.Value))),
            new("autoModResultsDeleted", QuikAppDatabase.Moderation, MongoCatalog.Collections.AutoModResults, CascadeAction.DeleteMany,
                new BsonDocument("messageId", inBatch.DeepClone())),
            // A pair names every message it was built from (context and reply) in messageIds (multikey index).
            new("replyPairsDeleted", QuikAppDatabase.SmartReply, MongoCatalog.Collections.ReplyPairs, CascadeAction.DeleteMany,
                new BsonDocument("messageIds", inBatch.DeepClone())),
            // Last, and re-checked: a message restored since it was selected is not deleted.
            new("messagesDeleted", QuikAppDatabase.Messages, MongoCatalog.Collections.Messages, CascadeAction.DeleteMany,
                new BsonDocument { { "_id", inBatch.DeepClone() }, { "deleted", true }, { "deletedAt", new BsonDocument("$lt", cutoff) } }),
        ];
    }
}
