using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Tests.MessageStats;

/// <summary>The daily-message-stats pipelines as BSON, against the stages they are meant to be (the seed's, where it has one).</summary>
public sealed class DailyMessageStatsPipelinesTests
{
    private const string Workspace = "0e1f5a52-7c3d-4a53-9a52-6a3c4c1b2f11";
    private const string OtherWorkspace = "9b7a6c5d-4e3f-4210-8a1b-2c3d4e5f6a7b";
    private static readonly DateTime ComputedAt = new(2024, 2, 1, 0, 1, 0, 250, DateTimeKind.Utc);

    /// <summary>The seed's "Message Analytics" pipeline, verbatim from mongodb-design.md.</summary>
    private const string SeedMessageAnalytics = """
        [
          { $match: { workspaceId: UUID("0e1f5a52-7c3d-4a53-9a52-6a3c4c1b2f11"), createdAt: { $gte: ISODate("2024-01-01"), $lt: ISODate("2024-02-01") } } },
          { $group: { _id: { date: { $dateToString: { format: "%Y-%m-%d", date: "$createdAt" } }, userId: "$userId" }, messageCount: { $sum: 1 } } },
          { $group: { _id: "$_id.date", totalMessages: { $sum: "$messageCount" }, uniqueUsers: { $sum: 1 } } },
          { $sort: { _id: 1 } }
        ]
        """;

    private static WorkspaceDays January(string workspace) => new(
        BsonValues.Uuid(Guid.Parse(workspace)),
        new DayRange(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc)));

    [Fact]
    public void Recompute_OneWorkspaceAndRange_IsTheSeedsMessageAnalyticsMergedIntoDailyMessageStats()
    {
        var pipeline = DailyMessageStatsPipelines.Recompute([January(Workspace)], ComputedAt, "QuikApp_analytics");

        StageAssert.Equal("""
            [
              { $match: { workspaceId: UUID("0e1f5a52-7c3d-4a53-9a52-6a3c4c1b2f11"),
                          createdAt: { $gte: ISODate("2024-01-01T00:00:00Z"), $lt: ISODate("2024-02-01T00:00:00Z") },
                          deleted: { $ne: true } } },
              { $group: { _id: { workspaceId: "$workspaceId", date: { $dateTrunc: { date: "$createdAt", unit: "day", timezone: "UTC" } }, userId: "$userId" },
                          messageCount: { $sum: 1 } } },
              { $group: { _id: { workspaceId: "$_id.workspaceId", date: "$_id.date" },
                          totalMessages: { $sum: "$messageCount" }, uniqueUsers: { $sum: 1 } } },
              { $project: { _id: 0, workspaceId: "$_id.workspaceId", date: "$_id.date",
                            day: { $dateToString: { format: "%Y-%m-%d", date: "$_id.date" } },
                            totalMessages: 1, uniqueUsers: 1,
                            computedAt: { $literal: ISODate("2024-02-01T00:01:00.250Z") } } },
              { $merge: { into: { db: "QuikApp_analytics", coll: "daily_message_stats" }, on: ["workspaceId", "date"],
                          whenMatched: "replace", whenNotMatched: "insert" } }
            ]
            """, pipeline);
    }

    [Fact]
    public void Recompute_KeepsTheSeedsMatchAndAccumulators()
    {
        var seed = BsonSerializer.Deserialize<BsonArray>(SeedMessageAnalytics);
        var pipeline = DailyMessageStatsPipelines.Recompute([January(Workspace)], ComputedAt, "QuikApp_analytics");

        var match = pipeline[0]["$match"].AsBsonDocument;
        var seedMatch = seed[0]["$match"].AsBsonDocument;
        Assert.Equal(seedMatch["workspaceId"], match["workspaceId"]);
        Assert.Equal(seedMatch["createdAt"]["$gte"].ToUniversalTime(), match["createdAt"]["$gte"].ToUniversalTime());
        Assert.Equal(seedMatch["createdAt"]["$lt"].ToUniversalTime(), match["createdAt"]["$lt"].ToUniversalTime());
        Assert.Equal(seed[1]["$group"]["_id"]["userId"], pipeline[1]["$group"]["_id"]["userId"]);
        Assert.Equal(seed[1]["$group"]["messageCount"], pipeline[1]["$group"]["messageCount"]);
        Assert.Equal(seed[2]["$group"]["totalMessages"], pipeline[2]["$group"]["totalMessages"]);
        Assert.Equal(seed[2]["$group"]["uniqueUsers"], pipeline[2]["$group"]["uniqueUsers"]);
        Assert.Equal(seed[1]["$group"]["_id"]["date"]["$dateToString"]["format"], pipeline[3]["$project"]["day"]["$dateToString"]["format"]);
    }

    [Fact]
    public void Recompute_SeveralClauses_MatchesARootedOrOfTheSeedsClauses()
    {
        var pipeline = DailyMessageStatsPipelines.Recompute([January(Workspace), January(OtherWorkspace)], ComputedAt, "QuikApp_analytics");

        StageAssert.Equal("""
            { $match: { $or: [
                { workspaceId: UUID("0e1f5a52-7c3d-4a53-9a52-6a3c4c1b2f11"),
                  createdAt: { $gte: ISODate("2024-01-01T00:00:00Z"), $lt: ISODate("2024-02-01T00:00:00Z") }, deleted: { $ne: true } },
                { workspaceId: UUID("9b7a6c5d-4e3f-4210-8a1b-2c3d4e5f6a7b"),
                  createdAt: { $gte: ISODate("2024-01-01T00:00:00Z"), $lt: ISODate("2024-02-01T00:00:00Z") }, deleted: { $ne: true } } ] } }
            """, pipeline[0]);
        Assert.Equal(5, pipeline.Length);
    }

    [Fact]
    public void Recompute_NoClauses_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => DailyMessageStatsPipelines.Recompute([], ComputedAt, "QuikApp_analytics"));
    }

    [Fact]
    public void ChangedDays_ScheduledRun_GroupsMessagesWrittenSinceByWorkspaceAndUtcDayOfCreation()
    {
        var window = new ChangeWindow(new DateTime(2024, 1, 20, 11, 40, 0, DateTimeKind.Utc), null, Requested: false);

        StageAssert.Equal("""
            [
              { $match: { updatedAt: { $gte: ISODate("2024-01-20T11:40:00Z") } } },
              { $group: { _id: { workspaceId: "$workspaceId", date: { $dateTrunc: { date: "$createdAt", unit: "day", timezone: "UTC" } } } } }
            ]
            """, DailyMessageStatsPipelines.ChangedDays(window));
    }

    [Fact]
    public void ChangedDays_BoundedWindow_AddsTheUpperBound()
    {
        var window = ChangeWindow.For(
            new JobWindow(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero)),
            null, DateTime.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));

        StageAssert.Equal(
            """{ $match: { updatedAt: { $gte: ISODate("2024-01-01T00:00:00Z"), $lt: ISODate("2024-01-02T00:00:00Z") } } }""",
            DailyMessageStatsPipelines.ChangedDays(window)[0]);
    }

    [Fact]
    public void NotRecomputedFilter_OneClause_TargetsItsDaysNotWrittenByThisRun()
    {
        StageAssert.Equal("""
            { workspaceId: UUID("0e1f5a52-7c3d-4a53-9a52-6a3c4c1b2f11"),
              date: { $gte: ISODate("2024-01-01T00:00:00Z"), $lt: ISODate("2024-02-01T00:00:00Z") },
              computedAt: { $lt: ISODate("2024-02-01T00:01:00.250Z") } }
            """, DailyMessageStatsPipelines.NotRecomputedFilter([January(Workspace)], ComputedAt));
    }

    [Fact]
    public void NotRecomputedFilter_SeveralClauses_IsARootedOr()
    {
        var filter = DailyMessageStatsPipelines.NotRecomputedFilter([January(Workspace), January(OtherWorkspace)], ComputedAt);

        Assert.Equal(["$or"], filter.Names);
        Assert.Equal(2, filter["$or"].AsBsonArray.Count);
    }

    [Fact]
    public void ZeroUpdate_SetsBothFiguresToZeroAndStampsTheRun()
    {
        StageAssert.Equal(
            """{ $set: { totalMessages: 0, uniqueUsers: 0, computedAt: ISODate("2024-02-01T00:01:00.250Z") } }""",
            DailyMessageStatsPipelines.ZeroUpdate(ComputedAt));
    }
}
