using MongoDB.Bson;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Merging;
using static QuikApp.Workers.Shared.Mongo.MongoCatalog;

namespace QuikApp.Workers.Analytics.MessageStats;

/// <summary>
/// The daily-message-stats pipelines, rendered to BSON (pure): which days changed, and the seed's "Message Analytics"
/// pipeline recomputing them into <c>QuikApp_analytics.daily_message_stats</c>.
/// </summary>
public static class DailyMessageStatsPipelines
{
    /// <summary>
    /// (workspace, UTC day of <c>createdAt</c>) of every message written in the window: new, edited and deleted messages
    /// all move <c>updatedAt</c>. Backed by <c>{ updatedAt: 1 }</c> (owner Analytics).
    /// </summary>
    public static BsonDocument[] ChangedDays(ChangeWindow window)
    {
        var updatedAt = new BsonDocument("$gte", BsonValues.Date(window.Since));
        if (window.Until is { } until)
        {
            updatedAt.Add("$lt", BsonValues.Date(until));
        }

        return
        [
            new BsonDocument("$match", new BsonDocument("updatedAt", updatedAt)),
            new BsonDocument("$group", new BsonDocument("_id", new BsonDocument
            {
                { "workspaceId", "$workspaceId" },
                { "date", BsonValues.DayOf("$createdAt") },
            })),
        ];
    }

    /// <summary>One clause: the seed's <c>$match</c> (workspace and createdAt range), minus deleted messages.</summary>
    /// <remarks>Backed by the seed's <c>{ workspaceId: 1, createdAt: -1 }</c>; <c>deleted</c> is a filter on the fetched documents.</remarks>
    public static BsonDocument MatchClause(WorkspaceDays clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        return new BsonDocument
        {
            { "workspaceId", clause.WorkspaceId },
            { "createdAt", new BsonDocument { { "$gte", BsonValues.Date(clause.Range.Start) }, { "$lt", BsonValues.Date(clause.Range.End) } } },
            { "deleted", new BsonDocument("$ne", true) },
        };
    }

    /// <summary>
    /// The seed's "Message Analytics" for a batch of (workspace, day range) clauses, merged into daily_message_stats:
    /// <code>
    /// { $match: { workspaceId, createdAt: { $gte, $lt }, deleted: { $ne: true } } }   // one clause; several: a rooted $or of them
    /// { $group: { _id: { workspaceId, date: { $dateTrunc: createdAt, day, UTC }, userId }, messageCount: { $sum: 1 } } }
    /// { $group: { _id: { workspaceId, date }, totalMessages: { $sum: "$messageCount" }, uniqueUsers: { $sum: 1 } } }
    /// { $project: { _id: 0, workspaceId, date, day: { $dateToString: "%Y-%m-%d" }, totalMessages, uniqueUsers, computedAt } }
    /// { $merge: { into: { db: analytics, coll: "daily_message_stats" }, on: [workspaceId, date], replace / insert } }
    /// </code>
    /// Differences from the seed, and why: workspaceId joins the group keys (a batch spans workspaces); the day is a
    /// <c>$dateTrunc</c> date rather than a <c>$dateToString</c> string, so it is a real date to range over, and the seed's
    /// "%Y-%m-%d" string is kept as the <c>day</c> label; deleted messages are excluded; the seed's final <c>$sort</c> is
    /// dropped (it orders output for display, and $merge writes documents, not a listing).
    /// </summary>
    public static BsonDocument[] Recompute(IReadOnlyList<WorkspaceDays> clauses, DateTime computedAt, string analyticsDatabase)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        if (clauses.Count == 0)
        {
            throw new ArgumentException("A recompute needs at least one (workspace, days) clause.", nameof(clauses));
        }

        // One clause renders exactly as the seed's $match; several become a rooted $or, which the planner splits into one
        // index scan per clause (a clause-level predicate like deleted stays inside each clause to keep the $or rooted).
        var match = clauses.Count == 1
            ? MatchClause(clauses[0])
            : new BsonDocument("$or", new BsonArray(clauses.Select(MatchClause)));

        return
        [
            new BsonDocument("$match", match),
            new BsonDocument("$group", new BsonDocument
            {
                {
                    "_id", new BsonDocument
                    {
                        { "workspaceId", "$workspaceId" },
                        { "date", BsonValues.DayOf("$createdAt") },
                        { "userId", "$userId" },
                    }
                },
                { "messageCount", new BsonDocument("$sum", 1) },
            }),
            new BsonDocument("$group", new BsonDocument
            {
                { "_id", new BsonDocument { { "workspaceId", "$_id.workspaceId" }, { "date", "$_id.date" } } },
                { "totalMessages", new BsonDocument("$sum", "$messageCount") },
                { "uniqueUsers", new BsonDocument("$sum", 1) },
            }),
            new BsonDocument("$project", new BsonDocument
            {
                { "_id", 0 },
                { "workspaceId", "$_id.workspaceId" },
                { "date", "$_id.date" },
                { "day", BsonValues.DayLabel("$_id.date") },
                { "totalMessages", 1 },
                { "uniqueUsers", 1 },
                { "computedAt", new BsonDocument("$literal", BsonValues.Date(computedAt)) },
            }),
            MergeStage.Into(analyticsDatabase, Collections.DailyMessageStats, "workspaceId", "date"),
        ];
    }

    /// <summary>
    /// The stats documents of the batch's days that this run's $merge did not write (their <c>computedAt</c> is older):
    /// days whose messages are now all deleted (or purged). Rooted $or, one clause per range, on <c>{ workspaceId, date }</c>.
    /// </summary>
    public static BsonDocument NotRecomputedFilter(IReadOnlyList<WorkspaceDays> clauses, DateTime computedAt)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        var rendered = clauses.Select(clause => new BsonDocument
        {
            { "workspaceId", clause.WorkspaceId },
            { "date", new BsonDocument { { "$gte", BsonValues.Date(clause.Range.Start) }, { "$lt", BsonValues.Date(clause.Range.End) } } },
            { "computedAt", new BsonDocument("$lt", BsonValues.Date(computedAt)) },
        }).ToList();
        return rendered.Count == 1 ? rendered[0] : new BsonDocument("$or", new BsonArray(rendered));
    }

    /// <summary>A day with no (undeleted) messages left counts zero; it is kept rather than removed, so "0" reads as computed.</summary>
    public static BsonDocument ZeroUpdate(DateTime computedAt) => new("$set", new BsonDocument
    {
        { "totalMessages", 0 },
        { "uniqueUsers", 0 },
        { "computedAt", BsonValues.Date(computedAt) },
    });
}
