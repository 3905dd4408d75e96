using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Analytics.Tests.Dataset;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.ModerationStats;

/// <summary>moderation-daily on a real MongoDB 7 (skipped with the lane's reason where none is reachable), against plain C# figures.</summary>
public sealed class ModerationDailyJobTests(MongoTestLane lane)
{
    private static DateTime Day(int offset) => ChatDataset.FirstDay.AddDays(offset);

    private static readonly DateTime From = Day(-1);
    private static readonly DateTime To = Day(10);

    private static async Task AssertFiguresAsync(AnalyticsLane world, DateTime from, DateTime to)
    {
        var expected = world.Data.ExpectedModerationDaily(from, to);
        var documents = await world.Catalog.ModerationDaily
            .Find(new BsonDocument("date", new BsonDocument { { "$gte", from }, { "$lt", to } }))
            .ToListAsync(TestContext.Current.CancellationToken);
        var actual = documents.ToDictionary(
            document => (AnalyticsLane.Workspace(document), AnalyticsLane.Date(document)),
            document => (document["messagesScored"].ToInt32(), document["messagesFlagged"].ToInt32(), document["messagesBlocked"].ToInt32(),
                document["reportsOpened"].ToInt32(), document["reportsActioned"].ToInt32()));

        Assert.NotEmpty(expected);
        foreach (var (key, figures) in expected)
        {
            Assert.True(actual.TryGetValue(key, out var stored), $"no figures for {key}");
            Assert.Equal(figures, stored);
        }

        Assert.All(actual.Where(pair => !expected.ContainsKey(pair.Key)), pair => Assert.Equal((0, 0, 0, 0, 0), pair.Value));
    }

    [Fact(Timeout = 120_000)]
    public async Task Backfill_GeneratedHistory_MatchesThePlainComputation_AndARerunChangesNothing()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var job = world.ModerationDaily();

        var run = await world.RunAsync(job, ModerationDailyJob.Name, AnalyticsLane.Days(From, To));
        var first = await AnalyticsLane.FiguresAsync(world.Catalog.ModerationDaily);
        world.Time.Advance(TimeSpan.FromMinutes(30));
        await world.RunAsync(job, ModerationDailyJob.Name, AnalyticsLane.Days(From, To));

        await AssertFiguresAsync(world, From, To);
        Assert.Equal(first, await AnalyticsLane.FiguresAsync(world.Catalog.ModerationDaily));
        Assert.Equal(world.Data.ExpectedUnattributedReports(From, To), run.Counts["unattributedReports"]);
        Assert.Equal((To - From).Days, run.Counts["days"]);
        // A backfill leaves the scheduled runs' watermark alone.
        Assert.Null((await world.States.ReadAsync(ModerationDailyJob.Name, TestContext.Current.CancellationToken)).Watermark);
    }

    [Fact(Timeout = 120_000)]
    public async Task Scheduled_RecomputesYesterdayAndToday_AndADayLeftEmptyEndsAtZero()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var data = world.Data;
        var job = world.ModerationDaily();
        var ct = TestContext.Current.CancellationToken;
        await world.RunAsync(job, ModerationDailyJob.Name, AnalyticsLane.Days(From, To));

        // Everything of workspace 0 that happened on the 19th is re-dated to the 20th (a re-scoring after an edit, say).
        var workspace = data.Workspaces[0];
        var yesterday = Day(4);
        bool OnYesterday(DateTime? instant) => instant is { } at && at >= yesterday && at < yesterday.AddDays(1);
        foreach (var result in data.Results.Where(r => r.WorkspaceId == workspace && OnYesterday(r.ProcessedAt)))
        {
            result.ProcessedAt = result.ProcessedAt!.Value.AddDays(1);
            await world.Catalog.AutoModResults.UpdateOneAsync(new BsonDocument("_id", result.Id),
                new BsonDocument("$set", new BsonDocument("processedAt", result.ProcessedAt.Value)), cancellationToken: ct);
        }

        foreach (var report in data.Reports.Where(r => data.WorkspaceOfReport(r) == workspace && (OnYesterday(r.CreatedAt) || OnYesterday(r.ReviewedAt))).ToList())
        {
            var moved = report with
            {
                CreatedAt = OnYesterday(report.CreatedAt) ? report.CreatedAt.AddDays(1) : report.CreatedAt,
                ReviewedAt = OnYesterday(report.ReviewedAt) ? report.ReviewedAt!.Value.AddDays(1) : report.ReviewedAt,
            };
            data.Reports[data.Reports.IndexOf(report)] = moved;
            await world.Catalog.Reports.ReplaceOneAsync(new BsonDocument("_id", moved.Id), moved.ToBson(), cancellationToken: ct);
        }

        var before = await world.Catalog.ModerationDaily.Find(new BsonDocument { { "workspaceId", BsonValues.Uuid(workspace) }, { "date", yesterday } }).SingleAsync(ct);
        Assert.True(before["messagesScored"].ToInt32() > 0);

        var run = await world.RunAsync(job, ModerationDailyJob.Name);

        Assert.Equal(2, run.Counts["days"]);
        Assert.True(run.Counts["zeroedDays"] >= 1);
        await AssertFiguresAsync(world, yesterday, yesterday.AddDays(2));
        var after = await world.Catalog.ModerationDaily.Find(new BsonDocument { { "workspaceId", BsonValues.Uuid(workspace) }, { "date", yesterday } }).SingleAsync(ct);
        Assert.Equal(0, after["messagesScored"].ToInt32());
        Assert.Equal(0, after["reportsOpened"].ToInt32());
        Assert.Equal(UtcDays.Millis(ChatDataset.Now), (await world.States.ReadAsync(ModerationDailyJob.Name, ct)).Watermark);
    }

    [Fact(Timeout = 120_000)]
    public async Task Explain_EverySourceScan_IsBackedByAnIndex()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var days = new DayRange(Day(0), Day(6));

        var recompute = await ExplainedPlan.AggregateAsync(world.Catalog.AutoModResults,
            ModerationDailyPipelines.Recompute(days, Day(6), world.Catalog.DatabaseName(QuikAppDatabase.Analytics)));
        var unattributed = await ExplainedPlan.AggregateAsync(world.Catalog.Reports, ModerationDailyPipelines.UnattributedReports(days));
        await world.RunAsync(world.ModerationDaily(), ModerationDailyJob.Name, AnalyticsLane.Days(From, To));
        var cleanup = await ExplainedPlan.FindAsync(world.Catalog.ModerationDaily, ModerationDailyPipelines.NotRecomputedFilter(days, Day(6)));

        Assert.Equal(["createdAt_1", "messageId_1", "processedAt_1", "status_1_reviewedAt_1"], recompute.Indexes.Order(StringComparer.Ordinal));
        Assert.Equal(["createdAt_1", "messageId_1"], unattributed.Indexes.Order(StringComparer.Ordinal));
        Assert.Equal(["date_1_workspaceId_1"], cleanup.Indexes);
        Assert.All([recompute, unattributed, cleanup], plan => Assert.Equal(0, plan.CollectionScans));
    }
}
