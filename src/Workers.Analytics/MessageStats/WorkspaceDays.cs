using MongoDB.Bson;
using QuikApp.Workers.Analytics.Incremental;

namespace QuikApp.Workers.Analytics.MessageStats;

/// <summary>One workspace's run of days to recompute: one clause of the recompute <c>$match</c>.</summary>
/// <remarks>The workspace id is kept as the stored BSON value, so it matches whatever representation the messages carry.</remarks>
public sealed record WorkspaceDays(BsonValue WorkspaceId, DayRange Range);

/// <summary>Which (workspace, day) groups a run recomputes, folded into as few clauses as possible (pure).</summary>
public static class DayTargets
{
    /// <summary>
    /// Reads one output document of <see cref="DailyMessageStatsPipelines.ChangedDays"/>, <c>{ _id: { workspaceId, date } }</c>;
    /// null when either is missing (a message without a workspace or a date has no day to recompute).
    /// </summary>
    public static (BsonValue WorkspaceId, DateTime Day)? ChangedDay(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.GetValue("_id", BsonNull.Value) is not BsonDocument id)
        {
            return null;
        }

        var workspace = id.GetValue("workspaceId", BsonNull.Value);
        return workspace.IsBsonNull || id.GetValue("date", BsonNull.Value) is not BsonDateTime date
            ? null
            : (workspace, UtcDays.StartOf(date.ToUniversalTime()));
    }

    /// <summary>Changed (workspace, day) pairs to clauses: per workspace, adjacent days merged into one range.</summary>
    public static IReadOnlyList<WorkspaceDays> FromChangedDays(IEnumerable<(BsonValue WorkspaceId, DateTime Day)> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        return [.. days
            .GroupBy(day => day.WorkspaceId)
            .OrderBy(group => group.Key, Comparer<BsonValue>.Create(BsonValues.Compare))
            .SelectMany(group => DayRange.Coalesce(group.Select(day => day.Day)).Select(range => new WorkspaceDays(group.Key, range)))];
    }

    /// <summary>A backfill: every workspace, the whole window.</summary>
    public static IReadOnlyList<WorkspaceDays> ForBackfill(IEnumerable<BsonValue> workspaces, DayRange window)
    {
        ArgumentNullException.ThrowIfNull(workspaces);
        return [.. workspaces
            .Where(workspace => !workspace.IsBsonNull)
            .Distinct()
            .Order(Comparer<BsonValue>.Create(BsonValues.Compare))
            .Select(workspace => new WorkspaceDays(workspace, window))];
    }

    /// <summary>The days of the clauses, summed: how many (workspace, day) groups a run recomputes.</summary>
    public static long DayCount(IEnumerable<WorkspaceDays> clauses) => clauses.Sum(clause => (long)clause.Range.Days);
}
