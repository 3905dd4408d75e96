using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Fleet.Upstream;

/// <summary>The upstream services' writes into the run's in-memory stores, and the bytes to local-disk storage.</summary>
internal sealed class InMemoryUpstreamServices(InMemoryFleetStores stores, string storageRoot) : IUpstreamServices
{
    private readonly LocalDirectoryObjectStore _storage = new(storageRoot);

    public Task WriteMessageAsync(ChatMessage message, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        stores.History.Put(message);
        return Task.CompletedTask;
    }

    public async Task<FileStorageLocation> StoreFileAsync(PlannedFile file, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var location = await ObjectStoreUpload.PutAsync(_storage, file, content, cancellationToken).ConfigureAwait(false);
        stores.Files.Seed(InMemoryFileDocumentStore.Pending(file.FileId, file.WorkspaceId, location, file.MimeType, file.UploadedAt));
        return location;
    }

    public Task DeleteFileAsync(PlannedFile file, DateTimeOffset deletedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        stores.Files.MarkDeletedUpstream(file.FileId);
        return Task.CompletedTask;
    }
}

/// <summary>How the file-service stores an upload: under its workspace in the originals bucket of the local provider.</summary>
internal static class ObjectStoreUpload
{
    public static async Task<FileStorageLocation> PutAsync(IObjectStore storage, PlannedFile file, byte[] content, CancellationToken cancellationToken)
    {
        var location = new ObjectLocation("local", WorkerSettings.OriginalsBucket, file.StorageKey);
        using var stream = new MemoryStream(content, writable: false);
        await storage.PutAsync(location, stream, file.MimeType, cancellationToken).ConfigureAwait(false);
        return new FileStorageLocation(location.Provider, location.Bucket, location.Key, null);
    }
}
