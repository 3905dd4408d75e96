using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.Tests.Dataset;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests;

/// <summary>
/// Every operation the four jobs send, as the database profiler records it (system.profile, level 2), on a real MongoDB 7:
/// none is a collection scan. Covers what explain cannot show one pipeline at a time: the $merge runs, the zeroing updates,
/// the distincts, the guarded writes. Skipped with the lane's reason where no MongoDB is reachable.
/// </summary>
public sealed class IndexUseTests(MongoTestLane lane)
{
    [Fact(Timeout = 180_000)]
    public async Task EveryJob_ScheduledAndBackfill_RunsWithoutACollectionScan()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var ct = TestContext.Current.CancellationToken;
        var databases = new[] { QuikAppDatabase.Messages, QuikAppDatabase.Moderation, QuikAppDatabase.Analytics }.Select(world.Catalog.Database).ToList();
        var window = AnalyticsLane.Days(ChatDataset.FirstDay, ChatDataset.FirstDay.AddDays(6));
        // Warm the $merge targets (index creation is not what is measured).
        await world.RunAsync(world.DailyMessageStats(), DailyMessageStatsJob.Name, window);
        await world.RunAsync(world.ModerationDaily(), ModerationDailyJob.Name, window);

        foreach (var database in databases)
        {
            await database.RunCommandAsync<BsonDocument>(new BsonDocument("profile", 2), cancellationToken: ct);
        }

        try
        {
            await world.RunAsync(world.DailyMessageStats(new DailyMessageStatsParameters { FirstRunLookback = TimeSpan.FromDays(30) }), DailyMessageStatsJob.Name);
            await world.RunAsync(world.DailyMessageStats(), DailyMessageStatsJob.Name, window);
            await world.RunAsync(world.UnreadCounts(new UnreadCountsParameters { FirstRunLookback = TimeSpan.FromDays(30), SweepSize = 10, BatchSize = 4 }), UnreadCountsJob.Name);
            await world.RunAsync(world.CounterReconciliation(new CounterReconciliationParameters { FirstRunLookback = TimeSpan.FromDays(30), SweepSize = 50 }), CounterReconciliationJob.Name);
            await world.RunAsync(world.ModerationDaily(), ModerationDailyJob.Name);
            await world.RunAsync(world.ModerationDaily(), ModerationDailyJob.Name, window);
        }
        finally
        {
            foreach (var database in databases)
            {
                await database.RunCommandAsync<BsonDocument>(new BsonDocument("profile", 0), cancellationToken: ct);
            }
        }

        var profiled = new List<BsonDocument>();
        foreach (var database in databases)
        {
            profiled.AddRange(await database.GetCollection<BsonDocument>("system.profile")
                .Find(new BsonDocument("ns", new BsonDocument("$not", new BsonRegularExpression(@"\.system\.")))).ToListAsync(ct));
        }

        var scans = profiled.Where(entry => entry.GetValue("planSummary", "").ToString()!.Contains("COLLSCAN", StringComparison.Ordinal))
            .Select(entry => $"{entry["ns"]} {entry.GetValue("command", entry.GetValue("op", BsonNull.Value)).ToJson()}")
            .ToList();
        Assert.Empty(scans);
        // The profile did see the jobs' work.
        Assert.Contains(profiled, entry => entry.GetValue("command", new BsonDocument()) is BsonDocument command && command.GetValue("aggregate", "").ToString() == "messages");
        Assert.Contains(profiled, entry => entry.GetValue("command", new BsonDocument()) is BsonDocument command && command.GetValue("aggregate", "").ToString() == "auto_mod_results");
    }
}
