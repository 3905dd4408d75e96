using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Analytics.Housekeeping.Reactions;
using QuikApp.Workers.Analytics.Housekeeping.State;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Reactions;

/// <summary>
/// orphan-reactions against a real MongoDB (lane): reactions whose messageId is not an ObjectId, next to the seed's
/// reactions indexes and messages written with explicit nulls, must never be taken for orphans.
/// </summary>
public sealed class OrphanReactionsJobStoreTests(MongoTestLane lane)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    [Fact(Timeout = 120_000)]
    public async Task Run_MessageIdsAsStringsAndNumbers_AreLeftAlone_OnlyRealOrphansGo()
    {
        // On the old code `_id $in [<strings>, <numbers>]` matched no message, so every such reaction was deleted.
        var ct = TestContext.Current.CancellationToken;
        var catalog = await SeededAsync(ct);
        var live = ObjectId.GenerateNewId(Now.UtcDateTime.AddDays(-3));
        await catalog.Messages.InsertOneAsync(Message(live), cancellationToken: ct);
        var gone = ObjectId.GenerateNewId(Now.UtcDateTime.AddDays(-4));
        var stringly = Reaction(-120, live.ToString());
        var numeric = Reaction(-119, 42);
        var orphan = Reaction(-118, gone);
        var kept = Reaction(-117, live);
        await catalog.Reactions.InsertManyAsync([stringly, numeric, orphan, kept], cancellationToken: ct);
        var context = Context();

        var outcome = await Job(catalog, o => o.OrphanImplausibleMinBatch = 100).RunAsync(context, ct);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal([stringly["_id"], numeric["_id"], kept["_id"]], (await IdsAsync(catalog, ct)).Order());
        Assert.Equal(2, context.Counts["skippedOtherIdType"]);
        Assert.Equal(1, context.Counts["orphansDeleted"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Run_MostOfABatchLooksOrphaned_DeletesNothing_FailsAndKeepsItsPlace()
    {
        // A messages collection restored empty (or the wrong database): every judged reaction looks orphaned.
        var ct = TestContext.Current.CancellationToken;
        var catalog = await SeededAsync(ct);
        var reactions = Enumerable.Range(0, 30).Select(i => Reaction(-200 + i, ObjectId.GenerateNewId(Now.UtcDateTime.AddDays(-5)))).ToList();
        await catalog.Reactions.InsertManyAsync(reactions, cancellationToken: ct);
        var context = Context();

        var outcome = await Job(catalog, o => o.BatchSize = 25).RunAsync(context, ct);

        Assert.Equal(JobOutcomeStatus.Failed, outcome.Status);
        Assert.Equal(30, (await IdsAsync(catalog, ct)).Count);
        Assert.Equal(1, context.Counts["implausibleBatches"]);
        Assert.Null(await new HousekeepingStateStore(catalog).ReadCursorAsync(OrphanReactionScan.StateId, ct));
    }

    /// <summary>A lane database as upstream leaves it: the seed's reactions indexes in place.</summary>
    private async Task<MongoCatalog> SeededAsync(CancellationToken ct)
    {
        var catalog = lane.Require().CreateCatalog();
        await catalog.Reactions.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<BsonDocument>(new BsonDocument { { "messageId", 1 }, { "emoji", 1 } }),
            new CreateIndexModel<BsonDocument>(new BsonDocument { { "userId", 1 }, { "messageId", 1 } }, new CreateIndexOptions { Unique = true }),
        ], ct);
        return catalog;
    }

    private OrphanReactionsJob Job(MongoCatalog catalog, Action<HousekeepingOptions> configure)
    {
        var options = new HousekeepingOptions();
        configure(options);
        return new OrphanReactionsJob(catalog, new HousekeepingStateStore(catalog), Options.Create(options), _time);
    }

    /// <summary>A message as the seed writes it, explicit nulls included.</summary>
    private static BsonDocument Message(ObjectId id) => new()
    {
        { "_id", id },
        { "channelId", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "threadId", BsonNull.Value },
        { "lastReplyAt", BsonNull.Value },
        { "editedAt", BsonNull.Value },
        { "deleted", false },
        { "deletedAt", BsonNull.Value },
        { "createdAt", id.CreationTime },
        { "updatedAt", id.CreationTime },
    };

    /// <summary>A reaction created two hours (past the grace period) plus <paramref name="minutesAgo"/> (negative) minutes before Now.</summary>
    private static BsonDocument Reaction(int minutesAgo, BsonValue messageId) => new()
    {
        { "_id", ObjectId.GenerateNewId(Now.UtcDateTime.AddHours(-2).AddMinutes(minutesAgo)) },
        { "messageId", messageId },
        { "userId", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "emoji", "heart" },
    };

    private static JobRunContext Context() =>
        new(Guid.CreateVersion7(), OrphanReactionsJob.Name, JobRunTrigger.Cli, default, null, new ConfigurationBuilder().Build(), NullLogger.Instance);

    private static async Task<List<BsonValue>> IdsAsync(MongoCatalog catalog, CancellationToken ct) =>
        [.. (await catalog.Reactions.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct)).Select(d => d["_id"])];
}
