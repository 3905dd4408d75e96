using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.Tests.Dataset;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.MessageStats;

/// <summary>
/// daily-message-stats on a real MongoDB 7 (the real-MongoDB lane; skipped with its reason where none is reachable),
/// over a generated history, against the same figures computed in plain C#.
/// </summary>
public sealed class DailyMessageStatsJobTests(MongoTestLane lane)
{
    private static readonly DailyMessageStatsParameters WholeHistory = new() { FirstRunLookback = TimeSpan.FromDays(30) };

    private static DateTime Day(int offset) => ChatDataset.FirstDay.AddDays(offset);

    private static async Task AssertStatsAsync(AnalyticsLane lane, Dictionary<(Guid Workspace, DateTime Day), (int Total, int Users)> expected)
    {
        var documents = await lane.Catalog.DailyMessageStats.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(TestContext.Current.CancellationToken);
        var actual = documents.ToDictionary(
            document => (AnalyticsLane.Workspace(document), AnalyticsLane.Date(document)),
            document => (document["totalMessages"].ToInt32(), document["uniqueUsers"].ToInt32()));

        foreach (var (key, figures) in expected)
        {
            Assert.True(actual.TryGetValue(key, out var stored), $"no stats for {key}");
            Assert.Equal(figures, stored);
        }

        // Anything else is a day with nothing left in it: present only as zero.
        Assert.All(actual.Where(pair => !expected.ContainsKey(pair.Key)), pair => Assert.Equal((0, 0), pair.Value));
        Assert.All(documents, document => Assert.Equal(AnalyticsLane.Date(document).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), document["day"].AsString));
    }

    [Fact(Timeout = 120_000)]
    public async Task Backfill_GeneratedHistory_MatchesThePlainComputation_AndARerunChangesNothing()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var job = world.DailyMessageStats();

        var run = await world.RunAsync(job, DailyMessageStatsJob.Name, AnalyticsLane.Days(Day(0), Day(6)));
        var first = await AnalyticsLane.FiguresAsync(world.Catalog.DailyMessageStats);
        world.Time.Advance(TimeSpan.FromMinutes(3));
        await world.RunAsync(job, DailyMessageStatsJob.Name, AnalyticsLane.Days(Day(0), Day(6)));

        await AssertStatsAsync(world, world.Data.ExpectedDailyStats());
        Assert.Equal(first, await AnalyticsLane.FiguresAsync(world.Catalog.DailyMessageStats));
        // The all-deleted workspace-day has no stats document to begin with: absent reads as zero.
        Assert.DoesNotContain(world.Data.ExpectedDailyStats().Keys, key => key == (world.Data.Workspaces[2], Day(1)));
        Assert.Equal(3 * 6, run.Counts["workspaceDays"]);
        Assert.Equal(3, run.Counts["workspaces"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Incremental_AfterWrites_RecomputesOnlyTheChangedDays_AndADayWhoseMessagesWereAllDeletedEndsAtZero()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var job = world.DailyMessageStats(WholeHistory);
        var ct = TestContext.Current.CancellationToken;
        var data = world.Data;

        await world.RunAsync(job, DailyMessageStatsJob.Name);
        await AssertStatsAsync(world, data.ExpectedDailyStats());
        Assert.Equal(UtcDays.Millis(ChatDataset.Now), (await world.States.ReadAsync(DailyMessageStatsJob.Name, ct)).Watermark);

        // A day nobody writes to: if a later incremental run recomputed it, this planted figure would be overwritten.
        var untouched = (data.Workspaces[1], Day(0));
        await world.Catalog.DailyMessageStats.UpdateOneAsync(
            new BsonDocument { { "workspaceId", BsonValues.Uuid(untouched.Item1) }, { "date", Day(0) } },
            new BsonDocument("$set", new BsonDocument("totalMessages", 999)), cancellationToken: ct);

        world.Time.Advance(TimeSpan.FromMinutes(15));
        var writtenAt = world.Time.GetUtcNow().UtcDateTime.AddMinutes(-1);
        // 1. Every message of (workspace 0, day 2) deleted.
        var deleted = data.Messages.Where(m => m.WorkspaceId == data.Workspaces[0] && m.CreatedAt.Date == Day(2) && !m.Deleted).ToList();
        Assert.NotEmpty(deleted);
        foreach (var message in deleted)
        {
            message.Deleted = true;
            message.UpdatedAt = writtenAt;
        }

        await world.Catalog.Messages.UpdateManyAsync(
            new BsonDocument("_id", new BsonDocument("$in", new BsonArray(deleted.Select(m => m.Id)))),
            new BsonDocument("$set", new BsonDocument { { "deleted", true }, { "deletedAt", writtenAt }, { "updatedAt", writtenAt } }), cancellationToken: ct);
        // 2. Two new messages today.
        var channel = data.WorkspaceOfChannel.First(pair => pair.Value == data.Workspaces[0]).Key;
        var posted = Enumerable.Range(0, 2).Select(i => new ChatMessage
        {
            Id = ObjectId.GenerateNewId(writtenAt),
            WorkspaceId = data.Workspaces[0],
            ChannelId = channel,
            UserId = data.UsersOf[data.Workspaces[0]][i],
            CreatedAt = writtenAt.AddSeconds(-i),
            UpdatedAt = writtenAt,
        }).ToList();
        data.Messages.AddRange(posted);
        await world.Catalog.Messages.InsertManyAsync(posted.Select(m => m.ToBson()), cancellationToken: ct);
        // 3. An edit of an older message: its day is recomputed, its figures do not change.
        var edited = data.Messages.First(m => m.WorkspaceId == data.Workspaces[2] && m.CreatedAt.Date == Day(3) && !m.Deleted);
        await world.Catalog.Messages.UpdateOneAsync(
            new BsonDocument("_id", edited.Id), new BsonDocument("$set", new BsonDocument { { "edited", true }, { "updatedAt", writtenAt } }), cancellationToken: ct);

        var run = await world.RunAsync(job, DailyMessageStatsJob.Name);

        Assert.Equal(3, run.Counts["workspaceDays"]);
        Assert.Equal(1, run.Counts["zeroedDays"]);
        var expected = data.ExpectedDailyStats();
        Assert.DoesNotContain((data.Workspaces[0], Day(2)), expected.Keys);
        expected[untouched] = (999, expected[untouched].Users);
        await AssertStatsAsync(world, expected);
        var zeroed = await world.Catalog.DailyMessageStats.Find(new BsonDocument { { "workspaceId", BsonValues.Uuid(data.Workspaces[0]) }, { "date", Day(2) } })
            .SingleAsync(ct);
        Assert.Equal(0, zeroed["totalMessages"].ToInt32());

        // A backfill recomputes everything in its window, the planted figure included.
        await world.RunAsync(job, DailyMessageStatsJob.Name, AnalyticsLane.Days(Day(0), Day(6)));
        await AssertStatsAsync(world, data.ExpectedDailyStats());
    }

    [Fact(Timeout = 120_000)]
    public async Task Incremental_NothingWritten_RecomputesNothing()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var job = world.DailyMessageStats(WholeHistory);
        await world.RunAsync(job, DailyMessageStatsJob.Name);
        var before = await AnalyticsLane.FiguresAsync(world.Catalog.DailyMessageStats);

        world.Time.Advance(TimeSpan.FromMinutes(15));
        var run = await world.RunAsync(job, DailyMessageStatsJob.Name);

        Assert.Equal(0, run.Counts["workspaceDays"]);
        Assert.Equal(before, await AnalyticsLane.FiguresAsync(world.Catalog.DailyMessageStats));
    }

    [Fact(Timeout = 120_000)]
    public async Task Explain_ChangedDaysAndRecompute_ScanTheUpdatedAtAndTheSeedsWorkspaceIndexes()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var clauses = DayTargets.FromChangedDays([
            (BsonValues.Uuid(world.Data.Workspaces[0]), Day(0)),
            (BsonValues.Uuid(world.Data.Workspaces[0]), Day(1)),
            (BsonValues.Uuid(world.Data.Workspaces[1]), Day(3)),
        ]);

        var changed = await ExplainedPlan.AggregateAsync(world.Catalog.Messages, DailyMessageStatsPipelines.ChangedDays(
            new ChangeWindow(Day(2), null, Requested: false)));
        var recompute = await ExplainedPlan.AggregateAsync(world.Catalog.Messages,
            DailyMessageStatsPipelines.Recompute(clauses, Day(6), world.Catalog.DatabaseName(QuikAppDatabase.Analytics)));
        var single = await ExplainedPlan.AggregateAsync(world.Catalog.Messages,
            DailyMessageStatsPipelines.Recompute([clauses[0]], Day(6), world.Catalog.DatabaseName(QuikAppDatabase.Analytics)));

        Assert.Equal(["updatedAt_1"], changed.Indexes);
        Assert.Equal(["workspaceId_1_createdAt_-1"], recompute.Indexes);
        Assert.Equal(["workspaceId_1_createdAt_-1"], single.Indexes);
        Assert.All([changed, recompute, single], plan => Assert.Equal(0, plan.CollectionScans));
    }
}
