using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Fleet.Upstream;

/// <summary>
/// The upstream services' writes into a real MongoDB, in the seed's shapes: <c>QuikApp_messages.messages</c> (replaced
/// whole on each change, <c>updatedAt</c> set as the analytics jobs expect) and <c>QuikApp_files.files</c> (pending).
/// </summary>
internal sealed class MongoUpstreamServices(MongoCatalog catalog, string storageRoot) : IUpstreamServices
{
    private readonly LocalDirectoryObjectStore _storage = new(storageRoot);

    public async Task WriteMessageAsync(ChatMessage message, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var document = new BsonDocument
        {
            { "_id", message.Id },
            { "channelId", new BsonBinaryData(message.ChannelId, GuidRepresentation.Standard) },
            { "workspaceId", new BsonBinaryData(message.WorkspaceId, GuidRepresentation.Standard) },
            { "userId", new BsonBinaryData(message.UserId, GuidRepresentation.Standard) },
            { "content", message.Content },
            { "contentType", "text" },
            { "threadId", message.ThreadId is { } thread ? thread : BsonNull.Value },
            { "mentionsEveryone", message.MentionsEveryone },
            { "replyCount", 0 },
            { "reactions", new BsonDocument() },
            { "reactionCount", 0 },
            { "edited", updatedAt > message.CreatedAt && !message.Deleted },
            { "deleted", message.Deleted },
            { "deletedAt", message.Deleted ? new BsonDateTime(updatedAt.UtcDateTime) : BsonNull.Value },
            { "createdAt", message.CreatedAt.UtcDateTime },
            { "updatedAt", updatedAt.UtcDateTime },
        };
        await catalog.Messages.ReplaceOneAsync(new BsonDocument("_id", message.Id), document, new ReplaceOptions { IsUpsert = true }, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<FileStorageLocation> StoreFileAsync(PlannedFile file, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(content);
        var location = await ObjectStoreUpload.PutAsync(_storage, file, content, cancellationToken).ConfigureAwait(false);
        var document = new BsonDocument
        {
            { "fileId", new BsonBinaryData(file.FileId, GuidRepresentation.Standard) },
            { "workspaceId", new BsonBinaryData(file.WorkspaceId, GuidRepresentation.Standard) },
            { "uploadedBy", new BsonBinaryData(file.UploadedBy, GuidRepresentation.Standard) },
            { "filename", Path.GetFileName(file.StorageKey) },
            { "originalFilename", file.FileName },
            { "mimeType", file.MimeType },
            { "size", content.LongLength },
            { "storage", new BsonDocument { { "provider", location.Provider }, { "bucket", location.Bucket }, { "key", location.Key }, { "region", BsonNull.Value } } },
            { "virusScan", new BsonDocument("status", "pending") },
            { "urls", new BsonDocument() },
            { "metadata", new BsonDocument { { "width", BsonNull.Value }, { "height", BsonNull.Value }, { "duration", BsonNull.Value }, { "pages", BsonNull.Value } } },
            { "deleted", false },
            { "expiresAt", BsonNull.Value },
            { "createdAt", file.UploadedAt.UtcDateTime },
            { "updatedAt", file.UploadedAt.UtcDateTime },
        };
        await catalog.Files.InsertOneAsync(document, cancellationToken: cancellationToken).ConfigureAwait(false);
        return location;
    }

    public async Task DeleteFileAsync(PlannedFile file, DateTimeOffset deletedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var update = new BsonDocument("$set", new BsonDocument { { "deleted", true }, { "deletedAt", deletedAt.UtcDateTime }, { "updatedAt", deletedAt.UtcDateTime } });
        await catalog.Files.UpdateOneAsync(new BsonDocument("fileId", new BsonBinaryData(file.FileId, GuidRepresentation.Standard)), update,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
