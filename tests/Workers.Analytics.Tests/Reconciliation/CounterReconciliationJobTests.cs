using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.Tests.Dataset;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Reconciliation;

/// <summary>counter-reconciliation on a real MongoDB 7 (skipped with the lane's reason where none is reachable), against plain C# truth.</summary>
public sealed class CounterReconciliationJobTests(MongoTestLane lane)
{
    private static readonly CounterReconciliationParameters WrittenOnly = new() { FirstRunLookback = TimeSpan.FromDays(30), SweepSize = 0 };

    private static async Task AssertCountersAsync(AnalyticsLane world)
    {
        var stored = (await world.Catalog.Messages.Find(new BsonDocument("deleted", false)).ToListAsync(TestContext.Current.CancellationToken))
            .ToDictionary(message => message["_id"].AsObjectId);
        foreach (var message in world.Data.Messages.Where(m => !m.Deleted))
        {
            var document = stored[message.Id];
            var (users, count) = world.Data.ReactionTruth(message.Id);
            var reactions = document["reactions"].AsBsonDocument
                .Where(element => element.Value.AsBsonArray.Count > 0)
                .ToDictionary(element => element.Name, element => element.Value.AsBsonArray.Select(user => user.AsGuid).ToHashSet());
            Assert.Equal(count, document["reactionCount"].ToInt32());
            Assert.Equal(users.Keys.Order(StringComparer.Ordinal), reactions.Keys.Order(StringComparer.Ordinal));
            Assert.All(users, pair => Assert.True(pair.Value.SetEquals(reactions[pair.Key]), $"{message.Id} {pair.Key}"));
            if (message.ThreadId is null)
            {
                var (replies, last) = world.Data.ThreadTruth(message.Id);
                Assert.Equal(replies, document["replyCount"].ToInt32());
                Assert.Equal(last, document["lastReplyAt"].IsBsonNull ? null : document["lastReplyAt"].ToUniversalTime());
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task FirstRun_FixesEveryDriftedCounter_AndSaysHowMany_AndARerunFixesNothing()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var data = world.Data;
        Assert.NotEmpty(data.DriftedReactions);
        Assert.NotEmpty(data.DriftedThreads);

        var run = await world.RunAsync(world.CounterReconciliation(WrittenOnly), CounterReconciliationJob.Name);

        await AssertCountersAsync(world);
        Assert.Equal(data.Messages.Count(m => !m.Deleted), run.Counts["reactionsChecked"]);
        Assert.Equal(data.Messages.Count(m => !m.Deleted && m.ThreadId is null), run.Counts["threadsChecked"]);
        Assert.Equal(data.DriftedReactions.Count, run.Counts["reactionsFixed"]);
        Assert.Equal(data.DriftedThreads.Count, run.Counts["threadsFixed"]);
        Assert.Equal(0, run.Counts["skippedConcurrent"]);

        // The fixes do not move updatedAt, so the next scheduled run has nothing to look at; a full recheck finds nothing to fix.
        world.Time.Advance(TimeSpan.FromHours(1));
        var scheduled = await world.RunAsync(world.CounterReconciliation(WrittenOnly), CounterReconciliationJob.Name);
        var recheck = await world.RunAsync(world.CounterReconciliation(WrittenOnly), CounterReconciliationJob.Name,
            new(new DateTimeOffset(ChatDataset.FirstDay.AddDays(-1), TimeSpan.Zero), null));
        Assert.Equal(0, scheduled.Counts["reactionsChecked"]);
        Assert.Equal(run.Counts["reactionsChecked"], recheck.Counts["reactionsChecked"]);
        Assert.Equal(0, recheck.Counts["reactionsFixed"] + recheck.Counts["threadsFixed"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Sweep_DriftNoWriteAnnounces_IsFoundByTheRollingSweep()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var nothingWritten = new CounterReconciliationParameters { FirstRunLookback = TimeSpan.FromMinutes(1), SweepSize = world.Data.Messages.Count + 1 };

        var run = await world.RunAsync(world.CounterReconciliation(nothingWritten), CounterReconciliationJob.Name);

        await AssertCountersAsync(world);
        Assert.Equal(world.Data.Messages.Count, run.Counts["swept"]);
        Assert.Equal(world.Data.DriftedReactions.Count, run.Counts["reactionsFixed"]);
        Assert.Null((await world.States.ReadAsync(CounterReconciliationJob.Name, TestContext.Current.CancellationToken)).SweepAfter);
    }

    [Fact(Timeout = 120_000)]
    public async Task NewReaction_WhoseMessageWasNeverUpdated_IsReconciled()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var data = world.Data;
        await world.RunAsync(world.CounterReconciliation(WrittenOnly), CounterReconciliationJob.Name);
        var message = data.Messages.First(m => !m.Deleted && data.Reactions.All(r => r.MessageId != m.Id));
        var user = data.UsersOf[message.WorkspaceId][0];

        world.Time.Advance(TimeSpan.FromHours(1));
        var at = world.Time.GetUtcNow().UtcDateTime.AddMinutes(-2);
        var reaction = new ChatReaction(ObjectId.GenerateNewId(at), message.Id, message.ChannelId, user, "heart", at);
        data.Reactions.Add(reaction);
        await world.Catalog.Reactions.InsertOneAsync(reaction.ToBson(), cancellationToken: TestContext.Current.CancellationToken);
        var run = await world.RunAsync(world.CounterReconciliation(WrittenOnly), CounterReconciliationJob.Name);

        Assert.Equal(1, run.Counts["reactionsChecked"]);
        Assert.Equal(1, run.Counts["reactionsFixed"]);
        await AssertCountersAsync(world);
    }

    [Fact(Timeout = 120_000)]
    public async Task ReplyDeleted_ItsParentsReplyCountersFollow()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var data = world.Data;
        await world.RunAsync(world.CounterReconciliation(WrittenOnly), CounterReconciliationJob.Name);
        var reply = data.Messages.First(m => m.ThreadId is { } parent && !m.Deleted && data.Messages.Single(p => p.Id == parent).Deleted == false);

        world.Time.Advance(TimeSpan.FromHours(1));
        reply.Deleted = true;
        reply.UpdatedAt = world.Time.GetUtcNow().UtcDateTime.AddMinutes(-2);
        await world.Catalog.Messages.UpdateOneAsync(new BsonDocument("_id", reply.Id),
            new BsonDocument("$set", new BsonDocument { { "deleted", true }, { "deletedAt", reply.UpdatedAt }, { "updatedAt", reply.UpdatedAt } }),
            cancellationToken: TestContext.Current.CancellationToken);
        var run = await world.RunAsync(world.CounterReconciliation(WrittenOnly), CounterReconciliationJob.Name);

        Assert.Equal(1, run.Counts["threadsChecked"]);
        Assert.Equal(1, run.Counts["threadsFixed"]);
        await AssertCountersAsync(world);
    }

    [Fact(Timeout = 120_000)]
    public async Task Explain_EveryQuery_IsBackedByAnIndex()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var ids = world.Data.Messages.Take(20).Select(m => (BsonValue)m.Id).ToList();
        var window = new ChangeWindow(ChatDataset.FirstDay.AddDays(2), null, Requested: false);

        var plans = new Dictionary<string, ExplainedPlan>
        {
            ["changed messages"] = await ExplainedPlan.FindAsync(world.Catalog.Messages, ReconciliationQueries.ChangedMessages(window)),
            ["new reactions"] = await ExplainedPlan.FindAsync(world.Catalog.Reactions, ReconciliationQueries.NewReactions(window)),
            ["sweep"] = await ExplainedPlan.FindAsync(world.Catalog.Messages, ReconciliationQueries.SweepAfter(ids[0]), new BsonDocument("_id", 1)),
            ["messages"] = await ExplainedPlan.FindAsync(world.Catalog.Messages, ReconciliationQueries.Messages(ids)),
            ["reaction truth"] = await ExplainedPlan.AggregateAsync(world.Catalog.Reactions, ReconciliationQueries.ReactionTruth(ids)),
            ["thread truth"] = await ExplainedPlan.AggregateAsync(world.Catalog.Messages, ReconciliationQueries.ThreadTruth(ids)),
        };

        Assert.Equal(["updatedAt_1"], plans["changed messages"].Indexes);
        Assert.Equal(["_id_"], plans["new reactions"].Indexes);
        Assert.Equal(["_id_"], plans["sweep"].Indexes);
        Assert.Equal(["_id_"], plans["messages"].Indexes);
        Assert.Equal(["messageId_1_emoji_1"], plans["reaction truth"].Indexes);
        Assert.Equal(["threadId_1_createdAt_1"], plans["thread truth"].Indexes);
        Assert.All(plans, plan => Assert.True(plan.Value.CollectionScans == 0, $"{plan.Key} scans the collection"));
    }
}
