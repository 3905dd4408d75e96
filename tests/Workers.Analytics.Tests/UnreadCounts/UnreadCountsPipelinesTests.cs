using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.UnreadCounts;

namespace QuikApp.Workers.Analytics.Tests.UnreadCounts;

/// <summary>The unread-counts pipelines as BSON: the seed's "Get Unread Count per Channel", per batch of receipts.</summary>
public sealed class UnreadCountsPipelinesTests
{
    /// <summary>The seed's pipeline, verbatim from mongodb-design.md.</summary>
    private const string SeedUnreadCount = """
        [
          { $match: { userId: UUID("3d0c8a3e-3c1f-4d2a-9b7e-1f2a3b4c5d6e") } },
          { $lookup: { from: "messages", let: { channelId: "$channelId", lastReadAt: "$lastReadAt" },
              pipeline: [ { $match: { $expr: { $and: [ { $eq: ["$channelId", "$$channelId"] }, { $gt: ["$createdAt", "$$lastReadAt"] } ] } } },
                          { $count: "unread" } ],
              as: "unreadInfo" } },
          { $project: { channelId: 1, unreadCount: { $ifNull: [{ $arrayElemAt: ["$unreadInfo.unread", 0] }, 0] } } }
        ]
        """;

    private const string CountUnread = """
          { $lookup: { from: "messages", let: { channelId: "$channelId", lastReadAt: "$lastReadAt", userId: "$userId" },
              pipeline: [ { $match: { $expr: { $and: [ { $eq: ["$channelId", "$$channelId"] },
                                                       { $gt: ["$createdAt", "$$lastReadAt"] },
                                                       { $ne: ["$userId", "$$userId"] } ] },
                                      deleted: { $ne: true } } },
                          { $limit: 1000 },
                          { $count: "unread" } ],
              as: "unreadInfo" } },
          { $project: { channelId: 1, lastReadAt: 1, storedUnreadCount: "$unreadCount",
                        unreadCount: { $ifNull: [{ $arrayElemAt: ["$unreadInfo.unread", 0] }, 0] } } }
        """;

    [Fact]
    public void ForChannels_IsTheSeedsLookupWithoutOwnOrDeletedMessagesCappedAndGuarded()
    {
        var channels = new BsonValue[] { BsonValues.Uuid(Guid.Parse("a1b2c3d4-0000-4000-8000-000000000001")), BsonValues.Uuid(Guid.Parse("a1b2c3d4-0000-4000-8000-000000000002")) };

        StageAssert.Equal($$"""
            [
              { $match: { channelId: { $in: [ UUID("a1b2c3d4-0000-4000-8000-000000000001"), UUID("a1b2c3d4-0000-4000-8000-000000000002") ] } } },
              {{CountUnread}}
            ]
            """, UnreadCountsPipelines.ForChannels(channels, cap: 1000));
    }

    [Fact]
    public void ForSweep_AfterAnId_TakesTheNextReceiptsInIdOrder()
    {
        StageAssert.Equal($$"""
            [
              { $match: { _id: { $gt: ObjectId("65a4f0c2e1b2c3d4e5f60718") } } },
              { $sort: { _id: 1 } },
              { $limit: 500 },
              {{CountUnread}}
            ]
            """, UnreadCountsPipelines.ForSweep(new BsonObjectId(ObjectId.Parse("65a4f0c2e1b2c3d4e5f60718")), 500, cap: 1000));
    }

    [Fact]
    public void ForSweep_FromTheStart_HasNoLowerBound()
    {
        var pipeline = UnreadCountsPipelines.ForSweep(null, 500, cap: 1000);

        StageAssert.Equal("""{ $sort: { _id: 1 } }""", pipeline[0]);
        Assert.Equal(4, pipeline.Length);
    }

    [Fact]
    public void CountUnread_KeepsTheSeedsLookupAndProjection()
    {
        var seed = BsonSerializer.Deserialize<BsonArray>(SeedUnreadCount);
        var tail = UnreadCountsPipelines.CountUnread(1000);

        var lookup = tail[0]["$lookup"].AsBsonDocument;
        var seedLookup = seed[1]["$lookup"].AsBsonDocument;
        Assert.Equal(seedLookup["from"], lookup["from"]);
        Assert.Equal(seedLookup["as"], lookup["as"]);
        foreach (var variable in seedLookup["let"].AsBsonDocument)
        {
            Assert.Equal(variable.Value, lookup["let"][variable.Name]);
        }

        var seedConditions = seedLookup["pipeline"][0]["$match"]["$expr"]["$and"].AsBsonArray;
        var conditions = lookup["pipeline"][0]["$match"]["$expr"]["$and"].AsBsonArray;
        Assert.Equal(seedConditions, new BsonArray(conditions.Take(seedConditions.Count)));
        Assert.Equal(seedLookup["pipeline"][1], lookup["pipeline"].AsBsonArray.Last());
        Assert.Equal(seed[2]["$project"]["unreadCount"], tail[1]["$project"]["unreadCount"]);
        Assert.Equal(seed[2]["$project"]["channelId"], tail[1]["$project"]["channelId"]);
    }

    [Fact]
    public void CountUnread_NonPositiveCap_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UnreadCountsPipelines.CountUnread(0));
    }

    [Fact]
    public void ChangedChannels_GroupsChannelsOfMessagesWrittenSince()
    {
        var window = new ChangeWindow(new DateTime(2024, 1, 20, 11, 55, 0, DateTimeKind.Utc), null, Requested: false);

        StageAssert.Equal("""
            [
              { $match: { updatedAt: { $gte: ISODate("2024-01-20T11:55:00Z") } } },
              { $group: { _id: "$channelId" } }
            ]
            """, UnreadCountsPipelines.ChangedChannels(window));
    }
}
