using MongoDB.Bson;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>A message whose verdict was just stored: the sent or edited event and the verdict's action.</summary>
public sealed record ModeratedMessage(EventEnvelope Event, ObjectId MessageId, Guid ChannelId, Guid WorkspaceId, Guid UserId, string Content, ModerationAction Action);

/// <summary>
/// Follows the moderation stream after each batch's results are durable (the smart-reply training sets do). Called in
/// offset order within a partition; a failure fails the batch like any handler failure, so it must be idempotent.
/// </summary>
public interface IMessageModerationObserver
{
    Task OnModeratedAsync(IReadOnlyList<ModeratedMessage> messages, CancellationToken cancellationToken);

    Task OnDeletedAsync(IReadOnlyList<ObjectId> messageIds, CancellationToken cancellationToken);
}
