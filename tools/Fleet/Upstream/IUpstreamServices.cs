using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Upstream;

/// <summary>
/// What QuikApp's message-service and file-service write before they publish an event (the contract's order): the
/// message document, the stored object and the pending file document, the deletion marks.
/// </summary>
internal interface IUpstreamServices
{
    /// <summary>Writes the message as it is after a sent, edited or deleted event, before that event is published.</summary>
    Task WriteMessageAsync(ChatMessage message, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    /// <summary>Stores the upload's bytes in object storage and writes its file document (<c>virusScan.status: "pending"</c>).</summary>
    /// <returns>Where the bytes are, as the event carries it.</returns>
    Task<FileStorageLocation> StoreFileAsync(PlannedFile file, byte[] content, CancellationToken cancellationToken);

    /// <summary>Marks the file document deleted, before <c>file.deleted</c> is published.</summary>
    Task DeleteFileAsync(PlannedFile file, DateTimeOffset deletedAt, CancellationToken cancellationToken);
}
