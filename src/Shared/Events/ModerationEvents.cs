using MongoDB.Bson;

namespace QuikApp.Workers.Shared.Events;

/// <summary>Data of <c>moderation.flagged</c> (produced): auto-moderation flagged or blocked a message; checks are keyed by name (toxicity, spam...).</summary>
public sealed record ModerationFlagged(
    ObjectId MessageId,
    Guid ChannelId,
    Guid WorkspaceId,
    Guid UserId,
    string Action, // flag or block
    double OverallScore,
    IReadOnlyDictionary<string, ModerationCheckResult> Checks) : IEventData
{
    // Written out because records compare dictionaries by reference; an event read twice must equal itself.
    // A new property must be added here too.
    public bool Equals(ModerationFlagged? other) =>
        other is not null
        && MessageId == other.MessageId
        && ChannelId == other.ChannelId
        && WorkspaceId == other.WorkspaceId
        && UserId == other.UserId
        && Action == other.Action
        && OverallScore.Equals(other.OverallScore)
        && Checks.Count == other.Checks.Count
        && Checks.All(c => other.Checks.TryGetValue(c.Key, out var theirs) && c.Value == theirs);

    public override int GetHashCode() => HashCode.Combine(MessageId, ChannelId, Action, OverallScore);
}

/// <summary>One moderation check's score and whether it crossed its threshold.</summary>
public sealed record ModerationCheckResult(double Score, bool Flagged);
