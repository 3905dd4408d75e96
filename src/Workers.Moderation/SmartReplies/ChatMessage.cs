using MongoDB.Bson;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>A chat message as the smart-reply rules see it, read from <c>QuikApp_messages.messages</c> or taken from its event.</summary>
/// <param name="ContentType">Null for a type the contract does not know: such a message is never used.</param>
/// <param name="ThreadId">The thread's parent message for a thread reply; null for a top-level channel message.</param>
/// <param name="Deleted">Deleted upstream (<c>deleted: true</c>) or marked deleted in <c>auto_mod_results</c>.</param>
/// <param name="MentionCount">How many users it mentions; only scoring on the fly needs it (the mention-spam signal).</param>
public sealed record ChatMessage(
    ObjectId Id,
    Guid WorkspaceId,
    Guid ChannelId,
    Guid UserId,
    string Content,
    MessageContentType? ContentType,
    ObjectId? ThreadId,
    DateTimeOffset CreatedAt,
    bool Deleted,
    int MentionCount = 0,
    bool MentionsEveryone = false)
{
    /// <summary>Whether this message comes before <paramref name="other"/> in the conversation (time, then id for ties).</summary>
    public bool IsBefore(ChatMessage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CreatedAt < other.CreatedAt || (CreatedAt == other.CreatedAt && Id.CompareTo(other.Id) < 0);
    }
}

/// <summary>A chat message with the moderation action that applies to its current content.</summary>
public sealed record JudgedMessage(ChatMessage Message, ModerationAction Action);
