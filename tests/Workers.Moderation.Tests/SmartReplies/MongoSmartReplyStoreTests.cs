using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>
/// The moderation worker's smart-reply indexes and the moderation-actions reader against a real MongoDB 7 (the lane skips
/// these where there is none). The stores' behaviour is specified in the *Specification classes beside this one.
/// </summary>
public sealed class MongoSmartReplyStoreTests(MongoTestLane lane)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 120_000)]
    public async Task Indexes_ModerationOwner_BuildWithoutConflicts()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;

        var report = await new MongoIndexBootstrapper(catalog, NullLogger<MongoIndexBootstrapper>.Instance).EnsureAsync([IndexOwner.Moderation], ct);

        Assert.False(report.HasConflicts, report.ToString());
        var names = await (await catalog.ReplyPairs.Indexes.ListAsync(ct)).ToListAsync(ct);
        Assert.Equal(["_id_", "builtAt_1__id_1", "messageIds_1"], names.Select(i => i["name"].AsString).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task ModerationActions_SeveralMessages_ReadsActionHashAndDeletion()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var (flagged, tombstone) = (Id(1), Id(2));
        await catalog.AutoModResults.InsertManyAsync(
        [
            new BsonDocument { { "messageId", flagged }, { "action", "flag" }, { "contentHash", "abc" }, { "overallScore", 0.8 } },
            new BsonDocument { { "messageId", tombstone }, { "deleted", true } },
        ], cancellationToken: ct);

        var found = await new MongoModerationActions(catalog).FindAsync([flagged, tombstone, Id(3)], ct);

        Assert.Equal(new StoredModeration(flagged, ModerationAction.Flag, "abc", false), found[flagged]);
        Assert.Equal(new StoredModeration(tombstone, null, null, true), found[tombstone]);
        Assert.Equal(2, found.Count);
    }

    private static ObjectId Id(int n) => ObjectId.Parse($"{T0.ToUnixTimeSeconds() + n:x8}0000000000{n:x6}");
}
