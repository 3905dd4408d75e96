using MongoDB.Bson;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>Reads the conversation around a message from <c>QuikApp_messages.messages</c> (the narrow view smart replies need).</summary>
public interface IMessageHistory
{
    /// <summary>The messages with these ids that exist, in no particular order.</summary>
    Task<IReadOnlyList<ChatMessage>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="limit"/> replies of thread <paramref name="threadId"/> created before <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> ThreadBeforeAsync(ObjectId threadId, DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>The first <paramref name="limit"/> replies of thread <paramref name="threadId"/> created after <paramref name="after"/> (from the start when null), oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> ThreadAfterAsync(ObjectId threadId, DateTimeOffset? after, int limit, CancellationToken cancellationToken);

    /// <summary>The latest top-level (not thread) message of the channel created in [<paramref name="notBefore"/>, <paramref name="before"/>).</summary>
    Task<ChatMessage?> ChannelMessageBeforeAsync(Guid channelId, DateTimeOffset before, DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>The earliest top-level (not thread) message of the channel created in (<paramref name="after"/>, <paramref name="notAfter"/>].</summary>
    Task<ChatMessage?> ChannelMessageAfterAsync(Guid channelId, DateTimeOffset after, DateTimeOffset notAfter, CancellationToken cancellationToken);
}
