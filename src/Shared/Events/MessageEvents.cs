using MongoDB.Bson;

namespace QuikApp.Workers.Shared.Events;

/// <summary>Data of <c>message.sent</c>: a message the message-service has already stored.</summary>
public sealed record MessageSent(
    ObjectId MessageId,
    Guid ChannelId,
    Guid WorkspaceId,
    Guid UserId,
    string Content, // required, but empty for a file-only message
    MessageContentType ContentType,
    ObjectId? ThreadId, // the parent message of a thread reply
    IReadOnlyList<Guid> Mentions,
    bool MentionsEveryone,
    IReadOnlyList<MessageAttachment> Attachments,
    string? ClientMessageId,
    DateTimeOffset CreatedAt) : IEventData
{
    // Written out because records compare lists by reference; an event read twice must equal itself.
    // A new property must be added here too.
    public bool Equals(MessageSent? other) =>
        other is not null
        && MessageId == other.MessageId
        && ChannelId == other.ChannelId
        && WorkspaceId == other.WorkspaceId
        && UserId == other.UserId
        && Content == other.Content
        && ContentType == other.ContentType
        && ThreadId == other.ThreadId
        && Mentions.SequenceEqual(other.Mentions)
        && MentionsEveryone == other.MentionsEveryone
        && Attachments.SequenceEqual(other.Attachments)
        && ClientMessageId == other.ClientMessageId
        && CreatedAt == other.CreatedAt;

    public override int GetHashCode() => HashCode.Combine(MessageId, ChannelId, UserId, Content, CreatedAt);
}

/// <summary>The kind of content in a message (<c>contentType</c>).</summary>
public enum MessageContentType
{
    Text,
    Rich,
    Code,
    File,
}

/// <summary>A file attached to a sent message.</summary>
/// <remarks><c>Type</c> is the message-service's attachment kind (e.g. image, file); <c>Size</c> is in bytes.</remarks>
public sealed record MessageAttachment(Guid Id, string Type, string Filename, string MimeType, long Size);

/// <summary>Data of <c>message.edited</c>: the message's new content.</summary>
public sealed record MessageEdited(
    ObjectId MessageId,
    Guid ChannelId,
    Guid WorkspaceId,
    Guid UserId,
    string Content,
    DateTimeOffset EditedAt) : IEventData;

/// <summary>Data of <c>message.deleted</c>.</summary>
public sealed record MessageDeleted(
    ObjectId MessageId,
    Guid ChannelId,
    Guid WorkspaceId,
    Guid DeletedBy,
    DateTimeOffset DeletedAt) : IEventData;

/// <summary>Data of <c>message.reaction</c>: a user added or removed an emoji reaction.</summary>
public sealed record MessageReaction(
    ObjectId MessageId,
    Guid ChannelId,
    Guid UserId,
    string Emoji,
    ReactionAction Action,
    DateTimeOffset At) : IEventData;

/// <summary>Whether a reaction was added or removed.</summary>
public enum ReactionAction
{
    Added,
    Removed,
}
