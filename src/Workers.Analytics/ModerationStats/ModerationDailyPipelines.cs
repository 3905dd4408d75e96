using MongoDB.Bson;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Merging;
using static QuikApp.Workers.Shared.Mongo.MongoCatalog;

namespace QuikApp.Workers.Analytics.ModerationStats;

/// <summary>The moderation-daily pipeline, rendered to BSON (pure): per workspace and UTC day, from auto_mod_results and reports.</summary>
public static class ModerationDailyPipelines
{
    /// <summary>
    /// One aggregation on <c>QuikApp_moderation.auto_mod_results</c>, with the reports joined in by <c>$unionWith</c>
    /// (same database), each source turned into rows of the same shape, then summed per (workspace, day):
    /// <code>
    /// { $match: { processedAt: { $gte: from, $lt: to } } }                                         // { processedAt: 1 } (Analytics)
    /// { $project: { workspaceId, date: day(processedAt), scored: 1, flagged: action == "flag", blocked: action == "block" } }
    /// { $unionWith: { coll: "reports", pipeline: [ { $match: { createdAt: range } },                // { createdAt: 1 } (Analytics)
    ///                 $lookup auto_mod_results by messageId → workspaceId,                          // { messageId: 1 } unique (Moderation)
    ///                 { $project: { workspaceId, date: day(createdAt), opened: 1 } } ] } }
    /// { $unionWith: { coll: "reports", pipeline: [ { $match: { status: "actioned", reviewedAt: range } }, // { status: 1, reviewedAt: 1 } (Moderation)
    ///                 $lookup …, { $project: { workspaceId, date: day(reviewedAt), actioned: 1 } } ] } }
    /// { $match: { workspaceId: { $ne: null } } }                                                   // $merge refuses a null on field
    /// { $group: { _id: { workspaceId, date }, messagesScored, messagesFlagged, messagesBlocked, reportsOpened, reportsActioned } }
    /// { $project: { _id: 0, workspaceId, date, day: "%Y-%m-%d", …, computedAt } }
    /// { $merge: { into: { db: analytics, coll: "moderation_daily" }, on: [workspaceId, date], replace / insert } }
    /// </code>
    /// Reports carry a channel but no workspace: a report is attributed through the auto-moderation result of its message
    /// (the moderation worker writes workspaceId on each result, and a tombstone for a message deleted unscored). A report
    /// whose message has no result is counted by <see cref="UnattributedReports"/> instead.
    /// </summary>
    public static BsonDocument[] Recompute(DayRange days, DateTime computedAt, string analyticsDatabase) =>
    [
        new BsonDocument("$match", new BsonDocument("processedAt", Range(days))),
        Row("$processedAt", scored: 1, flagged: Action("flag"), blocked: Action("block"), opened: 0, actioned: 0),
        new BsonDocument("$unionWith", new BsonDocument
        {
            { "coll", Collections.Reports },
            {
                "pipeline", new BsonArray
                {
                    new BsonDocument("$match", new BsonDocument("createdAt", Range(days))),
                    WorkspaceOfReport(),
                    Row("$createdAt", scored: 0, flagged: 0, blocked: 0, opened: 1, actioned: 0, fromReport: true),
                }
            },
        }),
        new BsonDocument("$unionWith", new BsonDocument
        {
            { "coll", Collections.Reports },
            {
                "pipeline", new BsonArray
                {
                    new BsonDocument("$match", new BsonDocument { { "status", "actioned" }, { "reviewedAt", Range(days) } }),
                    WorkspaceOfReport(),
                    Row("$reviewedAt", scored: 0, flagged: 0, blocked: 0, opened: 0, actioned: 1, fromReport: true),
                }
            },
        }),
        new BsonDocument("$match", new BsonDocument("workspaceId", new BsonDocument("$ne", BsonNull.Value))),
        new BsonDocument("$group", new BsonDocument
        {
            { "_id", new BsonDocument { { "workspaceId", "$workspaceId" }, { "date", "$date" } } },
            { "messagesScored", new BsonDocument("$sum", "$scored") },
            { "messagesFlagged", new BsonDocument("$sum", "$flagged") },
            { "messagesBlocked", new BsonDocument("$sum", "$blocked") },
            { "reportsOpened", new BsonDocument("$sum", "$opened") },
            { "reportsActioned", new BsonDocument("$sum", "$actioned") },
        }),
        new BsonDocument("$project", new BsonDocument
        {
            { "_id", 0 },
            { "workspaceId", "$_id.workspaceId" },
            { "date", "$_id.date" },
            { "day", BsonValues.DayLabel("$_id.date") },
            { "messagesScored", 1 },
            { "messagesFlagged", 1 },
            { "messagesBlocked", 1 },
            { "reportsOpened", 1 },
            { "reportsActioned", 1 },
            { "computedAt", new BsonDocument("$literal", BsonValues.Date(computedAt)) },
        }),
        MergeStage.Into(analyticsDatabase, Collections.ModerationDaily, "workspaceId", "date"),
    ];

    /// <summary>Reports opened in the window that no auto-moderation result attributes to a workspace (reported in the run's counts).</summary>
    public static BsonDocument[] UnattributedReports(DayRange days) =>
    [
        new BsonDocument("$match", new BsonDocument("createdAt", Range(days))),
        WorkspaceOfReport(),
        new BsonDocument("$match", new BsonDocument("result.workspaceId", new BsonDocument("$exists", false))),
        new BsonDocument("$count", "unattributed"),
    ];

    /// <summary>Documents of the window the run's $merge did not write (their day has nothing left): backed by <c>{ date: 1, workspaceId: 1 }</c>.</summary>
    public static BsonDocument NotRecomputedFilter(DayRange days, DateTime computedAt) => new()
    {
        { "date", Range(days) },
        { "computedAt", new BsonDocument("$lt", BsonValues.Date(computedAt)) },
    };

    public static BsonDocument ZeroUpdate(DateTime computedAt) => new("$set", new BsonDocument
    {
        { "messagesScored", 0 },
        { "messagesFlagged", 0 },
        { "messagesBlocked", 0 },
        { "reportsOpened", 0 },
        { "reportsActioned", 0 },
        { "computedAt", BsonValues.Date(computedAt) },
    });

    /// <summary>
    /// <c>{ $lookup: { from: "auto_mod_results", localField: "messageId", foreignField: "messageId", pipeline: [{ $project: { _id: 0, workspaceId: 1 } }], as: "result" } }</c>:
    /// the concise correlated form (5.0+), equality on the unique <c>{ messageId: 1 }</c>, bringing back only the workspace.
    /// </summary>
    public static BsonDocument WorkspaceOfReport() => new("$lookup", new BsonDocument
    {
        { "from", Collections.AutoModResults },
        { "localField", "messageId" },
        { "foreignField", "messageId" },
        { "pipeline", new BsonArray { new BsonDocument("$project", new BsonDocument { { "_id", 0 }, { "workspaceId", 1 } }) } },
        { "as", "result" },
    });

    private static BsonDocument Range(DayRange days) => new()
    {
        { "$gte", BsonValues.Date(days.Start) },
        { "$lt", BsonValues.Date(days.End) },
    };

    private static BsonDocument Action(string action) =>
        new("$cond", new BsonArray { new BsonDocument("$eq", new BsonArray { "$action", action }), 1, 0 });

    /// <summary>One row per source document; numbers go through $literal, because a bare 0/1 in $project means exclude/include.</summary>
    private static BsonDocument Row(string dateField, BsonValue scored, BsonValue flagged, BsonValue blocked, BsonValue opened, BsonValue actioned, bool fromReport = false) =>
        new("$project", new BsonDocument
        {
            { "_id", 0 },
            { "workspaceId", fromReport ? new BsonDocument("$arrayElemAt", new BsonArray { "$result.workspaceId", 0 }) : "$workspaceId" },
            { "date", BsonValues.DayOf(dateField) },
            { "scored", Literal(scored) },
            { "flagged", Literal(flagged) },
            { "blocked", Literal(blocked) },
            { "opened", Literal(opened) },
            { "actioned", Literal(actioned) },
        });

    private static BsonDocument Literal(BsonValue value) => value is BsonDocument expression ? expression : new BsonDocument("$literal", value);
}
