using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Tests.ModerationStats;

/// <summary>The moderation-daily pipeline as BSON, and which days a run recomputes.</summary>
public sealed class ModerationDailyPipelinesTests
{
    private static readonly DateTime ComputedAt = new(2024, 1, 20, 12, 4, 0, DateTimeKind.Utc);
    private static readonly DayRange TwoDays = new(new DateTime(2024, 1, 19, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 1, 21, 0, 0, 0, DateTimeKind.Utc));

    private const string Range = """{ $gte: ISODate("2024-01-19T00:00:00Z"), $lt: ISODate("2024-01-21T00:00:00Z") }""";

    private const string WorkspaceOfReport = """
        { $lookup: { from: "auto_mod_results", localField: "messageId", foreignField: "messageId",
                     pipeline: [ { $project: { _id: 0, workspaceId: 1 } } ], as: "result" } }
        """;

    [Fact]
    public void Recompute_ResultsAndReportsPerWorkspaceAndDay_MergedIntoModerationDaily()
    {
        var pipeline = ModerationDailyPipelines.Recompute(TwoDays, ComputedAt, "QuikApp_analytics");

        StageAssert.Equal($$"""
            [
              { $match: { processedAt: {{Range}} } },
              { $project: { _id: 0, workspaceId: "$workspaceId", date: { $dateTrunc: { date: "$processedAt", unit: "day", timezone: "UTC" } },
                            scored: { $literal: 1 },
                            flagged: { $cond: [ { $eq: ["$action", "flag"] }, 1, 0 ] },
                            blocked: { $cond: [ { $eq: ["$action", "block"] }, 1, 0 ] },
                            opened: { $literal: 0 }, actioned: { $literal: 0 } } },
              { $unionWith: { coll: "reports", pipeline: [
                  { $match: { createdAt: {{Range}} } },
                  {{WorkspaceOfReport}},
                  { $project: { _id: 0, workspaceId: { $arrayElemAt: ["$result.workspaceId", 0] },
                                date: { $dateTrunc: { date: "$createdAt", unit: "day", timezone: "UTC" } },
                                scored: { $literal: 0 }, flagged: { $literal: 0 }, blocked: { $literal: 0 },
                                opened: { $literal: 1 }, actioned: { $literal: 0 } } } ] } },
              { $unionWith: { coll: "reports", pipeline: [
                  { $match: { status: "actioned", reviewedAt: {{Range}} } },
                  {{WorkspaceOfReport}},
                  { $project: { _id: 0, workspaceId: { $arrayElemAt: ["$result.workspaceId", 0] },
                                date: { $dateTrunc: { date: "$reviewedAt", unit: "day", timezone: "UTC" } },
                                scored: { $literal: 0 }, flagged: { $literal: 0 }, blocked: { $literal: 0 },
                                opened: { $literal: 0 }, actioned: { $literal: 1 } } } ] } },
              { $match: { workspaceId: { $ne: null } } },
              { $group: { _id: { workspaceId: "$workspaceId", date: "$date" },
                          messagesScored: { $sum: "$scored" }, messagesFlagged: { $sum: "$flagged" }, messagesBlocked: { $sum: "$blocked" },
                          reportsOpened: { $sum: "$opened" }, reportsActioned: { $sum: "$actioned" } } },
              { $project: { _id: 0, workspaceId: "$_id.workspaceId", date: "$_id.date",
                            day: { $dateToString: { format: "%Y-%m-%d", date: "$_id.date" } },
                            messagesScored: 1, messagesFlagged: 1, messagesBlocked: 1, reportsOpened: 1, reportsActioned: 1,
                            computedAt: { $literal: ISODate("2024-01-20T12:04:00Z") } } },
              { $merge: { into: { db: "QuikApp_analytics", coll: "moderation_daily" }, on: ["workspaceId", "date"],
                          whenMatched: "replace", whenNotMatched: "insert" } }
            ]
            """, pipeline);
    }

    [Fact]
    public void UnattributedReports_CountsReportsWhoseMessageHasNoResultWithAWorkspace()
    {
        StageAssert.Equal($$"""
            [
              { $match: { createdAt: {{Range}} } },
              {{WorkspaceOfReport}},
              { $match: { "result.workspaceId": { $exists: false } } },
              { $count: "unattributed" }
            ]
            """, ModerationDailyPipelines.UnattributedReports(TwoDays));
    }

    [Fact]
    public void NotRecomputedFilter_IsTheWindowsDatesNotWrittenByThisRun()
    {
        StageAssert.Equal($$"""{ date: {{Range}}, computedAt: { $lt: ISODate("2024-01-20T12:04:00Z") } }""",
            ModerationDailyPipelines.NotRecomputedFilter(TwoDays, ComputedAt));
    }

    [Fact]
    public void DaysToRecompute_ScheduledRun_YesterdayAndToday()
    {
        var days = ModerationDailyJob.DaysToRecompute(default, ComputedAt.AddMinutes(-30), ComputedAt, days: 2, TimeSpan.FromMinutes(5));

        Assert.Equal(TwoDays, days);
    }

    [Fact]
    public void DaysToRecompute_AfterThreeDaysDown_ReachesBackToTheLastRunsDay()
    {
        var lastRun = new DateTime(2024, 1, 17, 0, 2, 0, DateTimeKind.Utc);

        var days = ModerationDailyJob.DaysToRecompute(default, lastRun, ComputedAt, days: 2, TimeSpan.FromMinutes(5));

        // 00:02 minus the 5-minute overlap is the 16th.
        Assert.Equal(new DayRange(new DateTime(2024, 1, 16, 0, 0, 0, DateTimeKind.Utc), TwoDays.End), days);
    }

    [Fact]
    public void DaysToRecompute_RequestedWindow_IsThatWindow()
    {
        var requested = new JobWindow(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero));

        var days = ModerationDailyJob.DaysToRecompute(requested, null, ComputedAt, days: 2, TimeSpan.FromMinutes(5));

        Assert.Equal(new DayRange(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc)), days);
        Assert.Equal(31, days.Days);
    }
}
