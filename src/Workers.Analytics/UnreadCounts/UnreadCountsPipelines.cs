using MongoDB.Bson;
using QuikApp.Workers.Analytics.Incremental;
using static QuikApp.Workers.Shared.Mongo.MongoCatalog;

namespace QuikApp.Workers.Analytics.UnreadCounts;

/// <summary>The unread-counts pipelines, rendered to BSON (pure): the seed's "Get Unread Count per Channel", per batch of receipts.</summary>
public static class UnreadCountsPipelines
{
    /// <summary>Channels with a message written in the window (new, edited, deleted): their receipts can be stale. Backed by <c>{ updatedAt: 1 }</c>.</summary>
    public static BsonDocument[] ChangedChannels(ChangeWindow window)
    {
        var updatedAt = new BsonDocument("$gte", BsonValues.Date(window.Since));
        if (window.Until is { } until)
        {
            updatedAt.Add("$lt", BsonValues.Date(until));
        }

        return
        [
            new BsonDocument("$match", new BsonDocument("updatedAt", updatedAt)),
            new BsonDocument("$group", new BsonDocument("_id", "$channelId")),
        ];
    }

    /// <summary>
    /// Every receipt of the given channels, with its count. The seed's <c>$match: { userId }</c> (one user's channels) becomes
    /// "these channels' receipts", backed by the seed's unique <c>{ channelId: 1, userId: 1 }</c>.
    /// </summary>
    public static BsonDocument[] ForChannels(IReadOnlyList<BsonValue> channels, int cap)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return [new BsonDocument("$match", new BsonDocument("channelId", new BsonDocument("$in", new BsonArray(channels)))), .. CountUnread(cap)];
    }

    /// <summary>The next <paramref name="limit"/> receipts by <c>_id</c> after <paramref name="after"/> (null: from the start): the rolling sweep.</summary>
    public static BsonDocument[] ForSweep(BsonValue? after, int limit, int cap)
    {
        var select = new List<BsonDocument>();
        if (after is not null && !after.IsBsonNull)
        {
            select.Add(new BsonDocument("$match", new BsonDocument("_id", new BsonDocument("$gt", after))));
        }

        select.Add(new BsonDocument("$sort", new BsonDocument("_id", 1)));
        select.Add(new BsonDocument("$limit", limit));
        return [.. select, .. CountUnread(cap)];
    }

    /// <summary>
    /// The seed's <c>$lookup</c> + <c>$project</c>, with what users expect of "unread":
    /// <code>
    /// { $lookup: { from: "messages", let: { channelId, lastReadAt, userId },
    ///     pipeline: [ { $match: { $expr: { $and: [ { $eq: ["$channelId", "$$channelId"] },
    ///                                              { $gt: ["$createdAt", "$$lastReadAt"] },
    ///                                              { $ne: ["$userId", "$$userId"] } ] },          // your own messages are read
    ///                             deleted: { $ne: true } } },                                        // deleted ones are gone
    ///                 { $limit: cap }, { $count: "unread" } ],
    ///     as: "unreadInfo" } }
    /// { $project: { channelId: 1, lastReadAt: 1, storedUnreadCount: "$unreadCount",
    ///               unreadCount: { $ifNull: [ { $arrayElemAt: ["$unreadInfo.unread", 0] }, 0 ] } } }
    /// </code>
    /// Since MongoDB 5.0 the <c>$eq</c> and <c>$gt</c> inside <c>$expr</c> can use an index of the <c>from</c> collection:
    /// the seed's <c>{ channelId: 1, createdAt: -1 }</c> bounds both (not for a receipt without lastReadAt, where every
    /// message of the channel counts). <c>$limit</c> before <c>$count</c> stops the scan at the cap.
    /// <c>lastReadAt</c> and the stored count come back so the write can be guarded and skipped when nothing changed.
    /// </summary>
    public static BsonDocument[] CountUnread(int cap)
    {
        if (cap < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(cap), cap, "The cap must be positive.");
        }

        return
        [
            new BsonDocument("$lookup", new BsonDocument
            {
                { "from", Collections.Messages },
                { "let", new BsonDocument { { "channelId", "$channelId" }, { "lastReadAt", "$lastReadAt" }, { "userId", "$userId" } } },
                {
                    "pipeline", new BsonArray
                    {
                        new BsonDocument("$match", new BsonDocument
                        {
                            {
                                "$expr", new BsonDocument("$and", new BsonArray
                                {
                                    new BsonDocument("$eq", new BsonArray { "$channelId", "$$channelId" }),
                                    new BsonDocument("$gt", new BsonArray { "$createdAt", "$$lastReadAt" }),
                                    new BsonDocument("$ne", new BsonArray { "$userId", "$$userId" }),
                                })
                            },
                            { "deleted", new BsonDocument("$ne", true) },
                        }),
                        new BsonDocument("$limit", cap),
                        new BsonDocument("$count", "unread"),
                    }
                },
                { "as", "unreadInfo" },
            }),
            new BsonDocument("$project", new BsonDocument
            {
                { "channelId", 1 },
                { "lastReadAt", 1 },
                { "storedUnreadCount", "$unreadCount" },
                {
                    "unreadCount", new BsonDocument("$ifNull", new BsonArray
                    {
                        new BsonDocument("$arrayElemAt", new BsonArray { "$unreadInfo.unread", 0 }),
                        0,
                    })
                },
            }),
        ];
    }
}
