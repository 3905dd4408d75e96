using MongoDB.Bson;
using QuikApp.Workers.Moderation.Scoring;

namespace QuikApp.Workers.Moderation.Results;

/// <summary>Which content a result judged: the sent text or an edit, when, and from which event.</summary>
/// <remarks>
/// Results are ordered by <see cref="At"/> to the millisecond, then by <see cref="EventId"/> (<see cref="ContentVersionOrder"/>):
/// an older version never overwrites a newer one.
/// </remarks>
public sealed record ContentVersion(ContentKind Kind, DateTimeOffset At, Guid EventId);

/// <summary>Whether the judged content is the message as sent or an edit of it.</summary>
public enum ContentKind
{
    Sent,
    Edited,
}

/// <summary>One message's auto-moderation result, as written to <c>QuikApp_moderation.auto_mod_results</c>.</summary>
public sealed record AutoModerationResult(
    ObjectId MessageId,
    Guid ChannelId,
    Guid WorkspaceId,
    Guid UserId,
    ScoredMessage Scored,
    ContentVersion Content,
    DateTimeOffset ProcessedAt);

/// <summary>A message deleted upstream: its result is kept for audit, marked deleted.</summary>
public sealed record MessageDeletion(ObjectId MessageId, Guid ChannelId, Guid WorkspaceId, Guid DeletedBy, DateTimeOffset DeletedAt);

/// <summary>Writes auto-moderation results (the narrow interface the handler depends on).</summary>
public interface IAutoModerationResultStore
{
    /// <summary>
    /// Upserts the results in bulk, keyed by messageId. A result older than the stored one changes nothing; the same
    /// version again (a redelivery) rewrites the same values and keeps the first <c>processedAt</c>.
    /// </summary>
    /// <returns>Per result, true when it is the stored one now (applied or re-applied), false when a newer one is stored.</returns>
    Task<IReadOnlyList<bool>> UpsertAsync(IReadOnlyList<AutoModerationResult> results, CancellationToken cancellationToken);

    /// <summary>Marks results deleted (creating a tombstone when the message was never scored). Idempotent.</summary>
    Task MarkDeletedAsync(IReadOnlyList<MessageDeletion> deletions, CancellationToken cancellationToken);
}
