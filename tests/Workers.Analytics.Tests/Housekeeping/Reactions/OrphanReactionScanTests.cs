using MongoDB.Bson;
using QuikApp.Workers.Analytics.Housekeeping.Reactions;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Reactions;

/// <summary>orphan-reactions' scan: the batch range, the anti-join decision and the resume point.</summary>
public sealed class OrphanReactionScanTests
{
    private static readonly ObjectId Message1 = ObjectId.Parse("65a4f0000000000000000001");
    private static readonly ObjectId Message2 = ObjectId.Parse("65a4f0000000000000000002");
    private static readonly ObjectId Gone = ObjectId.Parse("65a4f00000000000000000ff");

    [Fact]
    public void Floor_IsTheSmallestObjectIdOfThatSecond()
    {
        var floor = OrphanReactionScan.Floor(new DateTimeOffset(2026, 11, 25, 3, 35, 0, 999, TimeSpan.Zero));

        Assert.Equal(new DateTime(2026, 11, 25, 3, 35, 0, DateTimeKind.Utc), floor.CreationTime);
        Assert.Equal(ObjectId.Parse($"{floor.Timestamp:x8}0000000000000000"), floor);
    }

    [Fact]
    public void Batch_FirstBatch_OnlyBoundedByTheGracePeriod()
    {
        var before = ObjectId.Parse("6925243c0000000000000000");

        Assert.Equal(BsonDocument.Parse("{ _id: { $lt: ObjectId('6925243c0000000000000000') } }"), OrphanReactionScan.Batch(null, before));
    }

    [Fact]
    public void Batch_Resumed_StartsAfterTheLastScannedReaction()
    {
        var after = ObjectId.Parse("65a4f00000000000000000a0");
        var before = ObjectId.Parse("6925243c0000000000000000");

        Assert.Equal(
            BsonDocument.Parse("{ _id: { $gt: ObjectId('65a4f00000000000000000a0'), $lt: ObjectId('6925243c0000000000000000') } }"),
            OrphanReactionScan.Batch(after, before));
    }

    [Fact]
    public void Judge_ReactionsOfMissingMessages_AreOrphans_OthersAndUnreadableOnesStay()
    {
        var reactions = Reactions((1, Message1), (2, Gone), (3, Message2), (4, Gone), (5, null));

        var messageIds = OrphanReactionScan.MessageIdsOf(reactions);
        var result = OrphanReactionScan.Judge(reactions, [Message1, Message2], batchSize: 500);

        Assert.Equal([Message1, Message2, Gone], messageIds.Select(id => id.AsObjectId).Order());
        Assert.Equal([ReactionId(2), ReactionId(4)], result.OrphanIds.Select(id => id.AsObjectId));
        Assert.Equal([Gone], result.MissingMessageIds.Select(id => id.AsObjectId));
        Assert.Null(result.ResumeAfter); // a short batch: the pass reached its end
    }

    [Fact]
    public void Judge_MessageIdsOfAnotherType_AreNeitherLookedUpNorOrphans_ButCounted()
    {
        // On the old code a string or numeric messageId went into the _id $in lookup, matched no ObjectId, and was deleted.
        var reactions = Reactions((1, Message1), (2, Gone));
        reactions.Add(new BsonDocument { { "_id", ReactionId(3) }, { "messageId", Message2.ToString() } });
        reactions.Add(new BsonDocument { { "_id", ReactionId(4) }, { "messageId", 42 } });
        reactions.Add(new BsonDocument { { "_id", ReactionId(5) }, { "messageId", 42L } });

        var messageIds = OrphanReactionScan.MessageIdsOf(reactions);
        var result = OrphanReactionScan.Judge(reactions, [Message1, Message2], batchSize: 500);

        Assert.All(messageIds, id => Assert.IsType<BsonObjectId>(id));
        Assert.Equal([ReactionId(2)], result.OrphanIds.Select(id => id.AsObjectId));
        Assert.Equal(2, result.Judged);
        Assert.Equal(3, result.SkippedOtherType);
    }

    [Fact]
    public void Judge_AllMessageIdsAreStrings_NothingIsAnOrphan()
    {
        var reactions = Enumerable.Range(1, 9)
            .Select(n => new BsonDocument { { "_id", ReactionId(n) }, { "messageId", Message1.ToString() } })
            .ToList();

        var result = OrphanReactionScan.Judge(reactions, [], batchSize: 500);

        Assert.Empty(result.OrphanIds);
        Assert.Equal(0, result.Judged);
        Assert.Equal(9, result.SkippedOtherType);
    }

    [Theory]
    [InlineData(20, 10, false)] // exactly half: plausible
    [InlineData(20, 11, true)]  // over half of a batch big enough to judge by
    [InlineData(19, 19, false)] // a small batch is not judged by its ratio
    [InlineData(500, 500, true)]
    [InlineData(0, 0, false)]
    public void IsImplausible_OverTheRatioInABigEnoughBatch(int judged, int orphans, bool expected)
    {
        var result = new OrphanBatchResult([.. Enumerable.Range(0, orphans).Select(_ => (BsonValue)ObjectId.GenerateNewId())], [], null) { Judged = judged };

        Assert.Equal(expected, OrphanReactionScan.IsImplausible(result, maxRatio: 0.5, minJudged: 20));
    }

    [Fact]
    public void Judge_FullBatch_ResumesAfterItsLastReaction()
    {
        var reactions = Reactions((1, Message1), (2, Message1));

        var result = OrphanReactionScan.Judge(reactions, [Message1], batchSize: 2);

        Assert.Empty(result.OrphanIds);
        Assert.Equal(ReactionId(2), result.ResumeAfter);
    }

    [Fact]
    public void DeleteFilter_ReChecksTheMessageId()
    {
        var result = new OrphanBatchResult([ReactionId(2)], [Gone], null);

        Assert.Equal(
            BsonDocument.Parse("{ _id: { $in: [ ObjectId('65a4f10000000000000000b2') ] }, messageId: { $in: [ ObjectId('65a4f00000000000000000ff') ] } }"),
            OrphanReactionScan.DeleteFilter(result));
    }

    private static ObjectId ReactionId(int n) => ObjectId.Parse($"65a4f10000000000000000b{n}");

    /// <summary>Reactions as the seed shapes them (projected to _id and messageId).</summary>
    private static List<BsonDocument> Reactions(params (int N, ObjectId? MessageId)[] reactions) =>
        [.. reactions.Select(r => new BsonDocument { { "_id", ReactionId(r.N) }, { "messageId", r.MessageId is { } id ? id : BsonNull.Value } })];
}
