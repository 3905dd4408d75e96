using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Reconciliation;

/// <summary>
/// The guarded writes of counter-reconciliation and unread-counts on a real MongoDB (lane): a change made between the
/// job's read and its write wins, and an unchanged document (explicit nulls and missing fields included) is written.
/// </summary>
public sealed class CompareAndSetStoreTests(MongoTestLane lane)
{
    private static readonly DateTime UpdatedAt = new(2024, 1, 15, 11, 0, 0, DateTimeKind.Utc);

    [Fact(Timeout = 120_000)]
    public async Task UnreadCount_LiveCounterBumpedAfterTheCount_IsNotSetBack()
    {
        // Old filter { _id, lastReadAt }: the count of 5 made before a sixth message arrived overwrote the live 6.
        var ct = TestContext.Current.CancellationToken;
        var receipts = lane.Require().CreateCatalog().ReadReceipts;
        var lastReadAt = new DateTime(2024, 1, 15, 10, 40, 0, DateTimeKind.Utc);
        var id = ObjectId.GenerateNewId();
        await receipts.InsertOneAsync(new BsonDocument { { "_id", id }, { "lastReadAt", lastReadAt }, { "unreadCount", 4 } }, cancellationToken: ct);
        var row = new BsonDocument { { "_id", id }, { "lastReadAt", lastReadAt }, { "storedUnreadCount", 4 }, { "unreadCount", 5 } };
        await receipts.UpdateOneAsync(new BsonDocument("_id", id), new BsonDocument("$inc", new BsonDocument("unreadCount", 2)), cancellationToken: ct);

        var result = await receipts.BulkWriteAsync([UnreadCountRefresh.For(row, cap: 1000)!], cancellationToken: ct);

        Assert.Equal(0, result.MatchedCount);
        Assert.Equal(6, (await receipts.Find(new BsonDocument("_id", id)).SingleAsync(ct))["unreadCount"].ToInt32());
    }

    [Fact(Timeout = 120_000)]
    public async Task UnreadCount_ReceiptWithoutCountOrLastRead_IsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        var receipts = lane.Require().CreateCatalog().ReadReceipts;
        var id = ObjectId.GenerateNewId();
        await receipts.InsertOneAsync(new BsonDocument { { "_id", id }, { "lastReadAt", BsonNull.Value } }, cancellationToken: ct);
        var row = new BsonDocument { { "_id", id }, { "lastReadAt", BsonNull.Value }, { "unreadCount", 3 } };

        var result = await receipts.BulkWriteAsync([UnreadCountRefresh.For(row, cap: 1000)!], cancellationToken: ct);

        Assert.Equal(1, result.ModifiedCount);
    }

    [Fact(Timeout = 120_000)]
    public async Task CounterFix_CounterBumpedWithoutUpdatedAtAfterTheRead_IsNotOverwritten()
    {
        // Old filter { _id, updatedAt }: a reactionCount the message-service moved without touching updatedAt was overwritten.
        var ct = TestContext.Current.CancellationToken;
        var messages = lane.Require().CreateCatalog().Messages;
        var message = new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() }, { "threadId", BsonNull.Value }, { "reactions", new BsonDocument() }, { "reactionCount", 0 },
            { "replyCount", 0 }, { "lastReplyAt", BsonNull.Value }, { "updatedAt", UpdatedAt },
        };
        await messages.InsertOneAsync(message, cancellationToken: ct);
        var truth = ReactionTally.FromTruth(BsonDocument.Parse("""{ _id: 1, emojis: [ { k: "heart", v: [ "u1" ] } ], reactionCount: 1 }"""));
        var fix = CounterDrift.Evaluate(message, truth, ThreadTally.None)!;
        await messages.UpdateOneAsync(new BsonDocument("_id", message["_id"]),
            new BsonDocument("$set", new BsonDocument { { "reactions", new BsonDocument("heart", new BsonArray { "u1", "u2" }) }, { "reactionCount", 2 } }),
            cancellationToken: ct);

        var result = await messages.UpdateOneAsync(fix.Filter, fix.Update, cancellationToken: ct);

        Assert.Equal(0, result.MatchedCount);
        Assert.Equal(2, (await messages.Find(new BsonDocument("_id", message["_id"])).SingleAsync(ct))["reactionCount"].ToInt32());
    }

    [Fact(Timeout = 120_000)]
    public async Task CounterFix_UnchangedMessageWithMissingCounters_IsFixed()
    {
        var ct = TestContext.Current.CancellationToken;
        var messages = lane.Require().CreateCatalog().Messages;
        var message = new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "threadId", BsonNull.Value }, { "updatedAt", UpdatedAt } };
        await messages.InsertOneAsync(message, cancellationToken: ct);
        var fix = CounterDrift.Evaluate(message, ReactionTally.None, new ThreadTally(2, UpdatedAt))!;

        var result = await messages.UpdateOneAsync(fix.Filter, fix.Update, cancellationToken: ct);

        Assert.Equal(1, result.ModifiedCount);
    }
}
