using MongoDB.Bson;
using QuikApp.Workers.Moderation.Scoring;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>What <c>auto_mod_results</c> holds for one message: the action and the hash of the content it judged, and whether it is deleted.</summary>
/// <param name="Action">Null when the message was deleted before it was ever scored (a tombstone).</param>
public sealed record StoredModeration(ObjectId MessageId, ModerationAction? Action, string? ContentHash, bool Deleted);

/// <summary>Reads the stored moderation of several messages at once from <c>QuikApp_moderation.auto_mod_results</c>.</summary>
public interface IModerationActions
{
    /// <summary>The stored results of the messages that have one, by message id (deleted ones included).</summary>
    Task<IReadOnlyDictionary<ObjectId, StoredModeration>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken);
}
