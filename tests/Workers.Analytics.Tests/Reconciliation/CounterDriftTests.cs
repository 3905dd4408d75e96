using MongoDB.Bson;
using QuikApp.Workers.Analytics.Reconciliation;

namespace QuikApp.Workers.Analytics.Tests.Reconciliation;

/// <summary>Stored counters against the truth: what counts as drift, and the fix it gets.</summary>
public sealed class CounterDriftTests
{
    private const string Message = """
        { _id: ObjectId("65a4f0c2e1b2c3d4e5f60701"),
          reactions: { thumbsup: [ UUID("00000000-0000-4000-8000-000000000001"), UUID("00000000-0000-4000-8000-000000000002") ],
                       heart: [ UUID("00000000-0000-4000-8000-000000000003") ] },
          reactionCount: 3, threadId: null, replyCount: 2, lastReplyAt: ISODate("2024-01-15T11:00:00Z"),
          updatedAt: ISODate("2024-01-15T11:00:00Z") }
        """;

    private static ReactionTally Truth(string emojis, long count) =>
        ReactionTally.FromTruth(BsonDocument.Parse($$"""{ _id: 1, emojis: {{emojis}}, reactionCount: {{count}} }"""));

    private static readonly ReactionTally SameReactions = Truth("""
        [ { k: "heart", v: [ UUID("00000000-0000-4000-8000-000000000003") ] },
          { k: "thumbsup", v: [ UUID("00000000-0000-4000-8000-000000000002"), UUID("00000000-0000-4000-8000-000000000001") ] } ]
        """, 3);

    private static readonly ThreadTally SameThread = new(2, new DateTime(2024, 1, 15, 11, 0, 0, DateTimeKind.Utc));

    [Fact]
    public void Evaluate_CountersMatchTheTruth_InAnyOrder_NeedsNoFix()
    {
        Assert.Null(CounterDrift.Evaluate(BsonDocument.Parse(Message), SameReactions, SameThread));
    }

    [Fact]
    public void Evaluate_MissingUserAndWrongCount_SetsReactionsAndCountGuardedOnUpdatedAtAndTheCountersAsRead()
    {
        var truth = Truth("""
            [ { k: "thumbsup", v: [ UUID("00000000-0000-4000-8000-000000000002"), UUID("00000000-0000-4000-8000-000000000001"), UUID("00000000-0000-4000-8000-000000000004") ] },
              { k: "heart", v: [ UUID("00000000-0000-4000-8000-000000000003") ] } ]
            """, 4);

        var fix = CounterDrift.Evaluate(BsonDocument.Parse(Message), truth, SameThread)!;

        Assert.True(fix.ReactionsDrifted);
        Assert.False(fix.ThreadDrifted);
        // Compare-and-set: the old filter carried _id and updatedAt only, so a counter the message-service bumped without
        // moving updatedAt, between our read and this write, was overwritten by the older truth.
        StageAssert.Equal("""
            { _id: ObjectId("65a4f0c2e1b2c3d4e5f60701"), updatedAt: { $eq: ISODate("2024-01-15T11:00:00Z") },
              reactions: { $eq: { thumbsup: [ UUID("00000000-0000-4000-8000-000000000001"), UUID("00000000-0000-4000-8000-000000000002") ],
                                  heart: [ UUID("00000000-0000-4000-8000-000000000003") ] } },
              reactionCount: { $eq: 3 } }
            """, fix.Filter);
        StageAssert.Equal("""
            { $set: { reactions: { heart: [ UUID("00000000-0000-4000-8000-000000000003") ],
                                   thumbsup: [ UUID("00000000-0000-4000-8000-000000000001"), UUID("00000000-0000-4000-8000-000000000002"), UUID("00000000-0000-4000-8000-000000000004") ] },
                      reactionCount: 4 } }
            """, fix.Update);
    }

    [Fact]
    public void Evaluate_OnlyTheCountDrifted_IsDriftToo()
    {
        var message = BsonDocument.Parse(Message);
        message["reactionCount"] = 5;

        Assert.True(CounterDrift.Evaluate(message, SameReactions, SameThread)!.ReactionsDrifted);
    }

    [Fact]
    public void Evaluate_NoReactionsAnywhere_MissingFieldsCountAsNone()
    {
        var message = BsonDocument.Parse("""{ _id: 1, updatedAt: ISODate("2024-01-15T11:00:00Z") }""");

        Assert.Null(CounterDrift.Evaluate(message, ReactionTally.None, ThreadTally.None));
    }

    [Fact]
    public void Evaluate_EmptyEmojiListLeftInTheMap_IsNotDrift()
    {
        var message = BsonDocument.Parse(Message);
        message["reactions"]["smile"] = new BsonArray();

        Assert.Null(CounterDrift.Evaluate(message, SameReactions, SameThread));
    }

    [Fact]
    public void Evaluate_ThreadCountedADeletedReply_SetsReplyCountAndLastReplyAt()
    {
        var truth = new ThreadTally(1, new DateTime(2024, 1, 15, 10, 45, 0, DateTimeKind.Utc));

        var fix = CounterDrift.Evaluate(BsonDocument.Parse(Message), SameReactions, truth)!;

        Assert.False(fix.ReactionsDrifted);
        Assert.True(fix.ThreadDrifted);
        StageAssert.Equal("""{ $set: { replyCount: 1, lastReplyAt: ISODate("2024-01-15T10:45:00Z") } }""", fix.Update);
    }

    [Fact]
    public void Evaluate_AllRepliesGone_ClearsLastReplyAt()
    {
        var fix = CounterDrift.Evaluate(BsonDocument.Parse(Message), SameReactions, ThreadTally.None)!;

        StageAssert.Equal("""{ $set: { replyCount: 0, lastReplyAt: null } }""", fix.Update);
    }

    [Fact]
    public void Evaluate_Reply_IsNotCheckedAsAThread()
    {
        var reply = BsonDocument.Parse(Message);
        reply["threadId"] = ObjectId.Parse("65a4f0c2e1b2c3d4e5f60700");

        Assert.False(CounterDrift.IsTopLevel(reply));
        Assert.Null(CounterDrift.Evaluate(reply, SameReactions, thread: null));
    }

    [Fact]
    public void Evaluate_MessageWithoutUpdatedAt_GuardsOnItStillBeingAbsent()
    {
        var message = BsonDocument.Parse("""{ _id: 1, reactionCount: 2 }""");

        var fix = CounterDrift.Evaluate(message, ReactionTally.None, ThreadTally.None)!;

        StageAssert.Equal("""{ _id: 1, updatedAt: { $eq: null }, reactions: { $eq: null }, reactionCount: { $eq: 2 } }""", fix.Filter);
    }

    [Fact]
    public void Evaluate_ReactionKeyStartingWithDollar_IsGuardedAsAValueNotReadAsAnOperator()
    {
        // A user-chosen reaction key first in the document, starting with '$', made the bare embedded-document guard an
        // unknown operator: the whole bulk failed on every run.
        var message = BsonDocument.Parse("""{ _id: 1, updatedAt: null, reactions: { "$where": [ UUID("00000000-0000-4000-8000-000000000001") ] }, reactionCount: 0 }""");

        var fix = CounterDrift.Evaluate(message, Truth("""[ { k: "$where", v: [ UUID("00000000-0000-4000-8000-000000000002") ] } ]""", 1), SameThread)!;

        Assert.Equal("$eq", fix.Filter["reactions"].AsBsonDocument.GetElement(0).Name);
    }

    [Fact]
    public void Evaluate_ThreadDrifted_GuardsOnTheThreadCountersAsRead()
    {
        var fix = CounterDrift.Evaluate(BsonDocument.Parse(Message), SameReactions, new ThreadTally(3, new DateTime(2024, 1, 15, 12, 0, 0, DateTimeKind.Utc)))!;

        StageAssert.Equal("""
            { _id: ObjectId("65a4f0c2e1b2c3d4e5f60701"), updatedAt: { $eq: ISODate("2024-01-15T11:00:00Z") },
              replyCount: { $eq: 2 }, lastReplyAt: { $eq: ISODate("2024-01-15T11:00:00Z") } }
            """, fix.Filter);
    }
}
