using System.Buffers.Binary;
using MongoDB.Bson;
using QuikApp.Workers.Analytics.Incremental;

namespace QuikApp.Workers.Analytics.Reconciliation;

/// <summary>The counter-reconciliation queries and pipelines, rendered to BSON (pure).</summary>
public static class ReconciliationQueries
{
    /// <summary>What a checked message is read with: its counters and the guard.</summary>
    public static readonly BsonDocument MessageProjection = new()
    {
        { "reactions", 1 },
        { "reactionCount", 1 },
        { "threadId", 1 },
        { "replyCount", 1 },
        { "lastReplyAt", 1 },
        { "updatedAt", 1 },
    };

    /// <summary>What a candidate is read with: its id, and its thread (a changed reply makes its parent a candidate).</summary>
    public static readonly BsonDocument CandidateProjection = new() { { "_id", 1 }, { "threadId", 1 } };

    /// <summary>Messages written in the window (reactions added through the message move updatedAt too). Backed by <c>{ updatedAt: 1 }</c>.</summary>
    public static BsonDocument ChangedMessages(ChangeWindow window)
    {
        var updatedAt = new BsonDocument("$gte", BsonValues.Date(window.Since));
        if (window.Until is { } until)
        {
            updatedAt.Add("$lt", BsonValues.Date(until));
        }

        return new BsonDocument("updatedAt", updatedAt);
    }

    /// <summary>
    /// Reaction documents inserted in the window, by the creation time in their ObjectId <c>_id</c> (the <c>_id</c> index;
    /// the seed indexes reactions by message and user only). Catches a reaction whose message was never updated.
    /// </summary>
    public static BsonDocument NewReactions(ChangeWindow window)
    {
        var id = new BsonDocument("$gte", FirstObjectIdAt(window.Since));
        if (window.Until is { } until)
        {
            id.Add("$lt", FirstObjectIdAt(until));
        }

        return new BsonDocument("_id", id);
    }

    /// <summary>The rolling sweep's next messages: <c>_id</c> after the last one checked (sorted by <c>_id</c>, limited by the caller).</summary>
    public static BsonDocument SweepAfter(BsonValue? after) =>
        after is null || after.IsBsonNull ? [] : new BsonDocument("_id", new BsonDocument("$gt", after));

    /// <summary>The batch's messages, as stored; deleted ones are not reconciled (nobody sees their counters).</summary>
    public static BsonDocument Messages(IReadOnlyCollection<BsonValue> ids) => new()
    {
        { "_id", new BsonDocument("$in", new BsonArray(ids)) },
        { "deleted", new BsonDocument("$ne", true) },
    };

    /// <summary>
    /// The truth about the batch's reactions, from the reactions collection:
    /// <code>
    /// { $match: { messageId: { $in: ids } } }                                                 // { messageId: 1, emoji: 1 } (seed)
    /// { $group: { _id: { messageId, emoji }, users: { $addToSet: "$userId" } } }
    /// { $group: { _id: "$_id.messageId", emojis: { $push: { k: "$_id.emoji", v: "$users" } }, reactionCount: { $sum: { $size: "$users" } } } }
    /// </code>
    /// reactionCount counts (emoji, user) pairs, as the seed's example does (thumbsup by 2 + heart by 1 = 3).
    /// </summary>
    public static BsonDocument[] ReactionTruth(IReadOnlyCollection<BsonValue> ids) =>
    [
        new BsonDocument("$match", new BsonDocument("messageId", new BsonDocument("$in", new BsonArray(ids)))),
        new BsonDocument("$group", new BsonDocument
        {
            { "_id", new BsonDocument { { "messageId", "$messageId" }, { "emoji", "$emoji" } } },
            { "users", new BsonDocument("$addToSet", "$userId") },
        }),
        new BsonDocument("$group", new BsonDocument
        {
            { "_id", "$_id.messageId" },
            { "emojis", new BsonDocument("$push", new BsonDocument { { "k", "$_id.emoji" }, { "v", "$users" } }) },
            { "reactionCount", new BsonDocument("$sum", new BsonDocument("$size", "$users")) },
        }),
    ];

    /// <summary>
    /// The truth about the batch's threads: per parent, its undeleted replies and the latest one's time.
    /// <code>
    /// { $match: { threadId: { $in: parents }, deleted: { $ne: true } } }                      // { threadId: 1, createdAt: 1 } (seed)
    /// { $group: { _id: "$threadId", replyCount: { $sum: 1 }, lastReplyAt: { $max: "$createdAt" } } }
    /// </code>
    /// </summary>
    public static BsonDocument[] ThreadTruth(IReadOnlyCollection<BsonValue> parents) =>
    [
        new BsonDocument("$match", new BsonDocument
        {
            { "threadId", new BsonDocument("$in", new BsonArray(parents)) },
            { "deleted", new BsonDocument("$ne", true) },
        }),
        new BsonDocument("$group", new BsonDocument
        {
            { "_id", "$threadId" },
            { "replyCount", new BsonDocument("$sum", 1) },
            { "lastReplyAt", new BsonDocument("$max", "$createdAt") },
        }),
    ];

    /// <summary>The smallest ObjectId created at <paramref name="instant"/>'s second: its 4-byte big-endian timestamp, then zeros.</summary>
    public static ObjectId FirstObjectIdAt(DateTime instant)
    {
        var seconds = new DateTimeOffset(UtcDays.AsUtc(instant)).ToUnixTimeSeconds();
        var bytes = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Math.Clamp(seconds, 0, uint.MaxValue));
        return new ObjectId(bytes);
    }
}
