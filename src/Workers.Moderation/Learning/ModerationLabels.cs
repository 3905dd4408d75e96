using MongoDB.Bson;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// One report a moderator has decided, as read from <c>QuikApp_moderation.reports</c>: the seed's wire values
/// (<c>reason</c> spam/harassment/inappropriate/other, <c>status</c> actioned/dismissed, <c>action</c> warn/delete/ban).
/// </summary>
public sealed record ResolvedReport(
    ObjectId ReportId,
    ObjectId MessageId,
    string Reason,
    string Status,
    string? Action,
    DateTimeOffset ReviewedAt);

/// <summary>One task's label for a message: the moderator's verdict and when it was reached.</summary>
public readonly record struct TaskLabel(bool IsPositive, DateTimeOffset DecidedAt);

/// <summary>What moderators decided about one message: a label per task (null when no decided report speaks to it).</summary>
/// <param name="DeletedByModerator">A report on it was actioned with <c>action: delete</c>: its deletion was a moderator's verdict.</param>
public sealed record MessageLabels(ObjectId MessageId, TaskLabel? Spam, TaskLabel? Toxic, bool DeletedByModerator);

/// <summary>
/// Turns moderators' decisions on reports into training labels, per message and per task. Pure.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Only decided reports count: status <c>actioned</c> (the moderator agreed) or <c>dismissed</c> (disagreed).
/// <c>pending</c> and <c>reviewed</c> (looked at, no verdict) say nothing.</item>
/// <item>Reason <c>spam</c> labels the spam task; <c>harassment</c> and <c>inappropriate</c> label the toxicity task;
/// <c>other</c> (or an unknown reason) labels nothing. Actioned → positive, dismissed → negative, whatever the action.</item>
/// <item>Several decided reports on one message for the same task: the latest decision (by <c>reviewedAt</c>, then by
/// report id) wins. A moderator who re-reviews overrides the earlier call; reports are not votes.</item>
/// </list>
/// </remarks>
public static class ModerationLabels
{
    public const string Actioned = "actioned";
    public const string Dismissed = "dismissed";
    public const string DeleteAction = "delete";

    public static IReadOnlyList<MessageLabels> Derive(IEnumerable<ResolvedReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return reports
            .Where(r => r.Status is Actioned or Dismissed)
            .GroupBy(r => r.MessageId)
            .Select(group => new MessageLabels(
                group.Key,
                Latest(group, ModelKind.Spam),
                Latest(group, ModelKind.Toxicity),
                group.Any(r => r.Status == Actioned && r.Action == DeleteAction)))
            .Where(labels => labels.Spam is not null || labels.Toxic is not null)
            .OrderBy(labels => labels.MessageId)
            .ToList();
    }

    /// <summary>The task a report's reason speaks to, if any.</summary>
    public static ModelKind? TaskOf(string reason) => reason switch
    {
        "spam" => ModelKind.Spam,
        "harassment" or "inappropriate" => ModelKind.Toxicity,
        _ => null,
    };

    private static TaskLabel? Latest(IEnumerable<ResolvedReport> reports, ModelKind task)
    {
        var latest = reports
            .Where(r => TaskOf(r.Reason) == task)
            .OrderByDescending(r => r.ReviewedAt)
            .ThenByDescending(r => r.ReportId)
            .FirstOrDefault();
        return latest is null ? null : new TaskLabel(latest.Status == Actioned, latest.ReviewedAt);
    }
}
