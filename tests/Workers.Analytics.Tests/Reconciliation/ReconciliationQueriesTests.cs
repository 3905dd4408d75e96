using MongoDB.Bson;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Reconciliation;

namespace QuikApp.Workers.Analytics.Tests.Reconciliation;

/// <summary>The counter-reconciliation queries and pipelines as BSON.</summary>
public sealed class ReconciliationQueriesTests
{
    private static readonly BsonValue[] Ids =
    [
        new BsonObjectId(ObjectId.Parse("65a4f0c2e1b2c3d4e5f60701")),
        new BsonObjectId(ObjectId.Parse("65a4f0c2e1b2c3d4e5f60702")),
    ];

    private static readonly ChangeWindow Window = new(new DateTime(2024, 1, 20, 11, 2, 0, DateTimeKind.Utc), null, Requested: false);

    [Fact]
    public void ReactionTruth_GroupsTheReactionsCollectionByMessageAndEmoji()
    {
        StageAssert.Equal("""
            [
              { $match: { messageId: { $in: [ ObjectId("65a4f0c2e1b2c3d4e5f60701"), ObjectId("65a4f0c2e1b2c3d4e5f60702") ] } } },
              { $group: { _id: { messageId: "$messageId", emoji: "$emoji" }, users: { $addToSet: "$userId" } } },
              { $group: { _id: "$_id.messageId", emojis: { $push: { k: "$_id.emoji", v: "$users" } },
                          reactionCount: { $sum: { $size: "$users" } } } }
            ]
            """, ReconciliationQueries.ReactionTruth(Ids));
    }

    [Fact]
    public void ThreadTruth_CountsUndeletedRepliesAndTheLatestReply()
    {
        StageAssert.Equal("""
            [
              { $match: { threadId: { $in: [ ObjectId("65a4f0c2e1b2c3d4e5f60701"), ObjectId("65a4f0c2e1b2c3d4e5f60702") ] }, deleted: { $ne: true } } },
              { $group: { _id: "$threadId", replyCount: { $sum: 1 }, lastReplyAt: { $max: "$createdAt" } } }
            ]
            """, ReconciliationQueries.ThreadTruth(Ids));
    }

    [Fact]
    public void ChangedMessages_ScheduledRun_IsAnUpdatedAtRange()
    {
        StageAssert.Equal("""{ updatedAt: { $gte: ISODate("2024-01-20T11:02:00Z") } }""", ReconciliationQueries.ChangedMessages(Window));
    }

    [Fact]
    public void NewReactions_IsAnIdRangeFromTheWindowsFirstObjectId()
    {
        var bounded = Window with { Until = new DateTime(2024, 1, 20, 12, 0, 0, DateTimeKind.Utc) };

        var filter = ReconciliationQueries.NewReactions(bounded);

        // 2024-01-20T11:02:00Z is 1705748520 s = 0x65ABA828.
        StageAssert.Equal("""{ _id: { $gte: ObjectId("65aba8280000000000000000"), $lt: ObjectId("65abb5c00000000000000000") } }""", filter);
    }

    [Fact]
    public void FirstObjectIdAt_IsTheSmallestIdOfThatSecond()
    {
        var at = new DateTime(2024, 1, 20, 11, 2, 0, DateTimeKind.Utc);

        var first = ReconciliationQueries.FirstObjectIdAt(at.AddMilliseconds(999));

        Assert.Equal(at, first.CreationTime);
        Assert.True(first <= ObjectId.GenerateNewId(at));
        Assert.True(first > ObjectId.GenerateNewId(at.AddSeconds(-1)));
    }

    [Fact]
    public void Messages_BatchOfIds_SkipsDeletedMessages()
    {
        StageAssert.Equal("""
            { _id: { $in: [ ObjectId("65a4f0c2e1b2c3d4e5f60701"), ObjectId("65a4f0c2e1b2c3d4e5f60702") ] }, deleted: { $ne: true } }
            """, ReconciliationQueries.Messages(Ids));
    }

    [Fact]
    public void SweepAfter_FromTheStartOrAfterAnId()
    {
        Assert.Equal(new BsonDocument(), ReconciliationQueries.SweepAfter(null));
        StageAssert.Equal("""{ _id: { $gt: ObjectId("65a4f0c2e1b2c3d4e5f60701") } }""", ReconciliationQueries.SweepAfter(Ids[0]));
    }
}
