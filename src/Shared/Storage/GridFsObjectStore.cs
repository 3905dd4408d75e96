using System.Collections.Concurrent;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>
/// Originals the file-service keeps in GridFS: bucket = GridFS bucket name in the files database, key = the file's id
/// (an ObjectId as 24 hex digits, a UUID, or a string id) or its filename (latest revision). Read and delete only.
/// </summary>
/// <remarks>
/// GridFS lets the uploader choose the type of <c>_id</c> (ObjectId by default), and MongoDB never matches an id across
/// BSON types, so the key is looked up by every id it can spell in one <c>$in</c> (ObjectId when it parses, UUID subtype 4
/// when it parses, the string itself), then as a filename: a filename that happens to look like an id still resolves.
/// Deleting a filename deletes every revision (otherwise an older one would resurface as the object); deleting a missing
/// file (or one deleted concurrently) returns false.
/// Put and move throw <see cref="NotSupportedException"/>: derivatives and quarantine copies go to an S3 or local provider.
/// </remarks>
public sealed class GridFsObjectStore : IObjectStore
{
    private const int MaxBucketNameLength = 64;
    private readonly MongoCatalog _catalog;
    private readonly ConcurrentDictionary<string, IGridFSBucket<BsonValue>> _buckets = new(StringComparer.Ordinal);

    public GridFsObjectStore(MongoCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
    }

    public async Task<ObjectInfo?> StatAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        var file = await FindAsync(location, cancellationToken).ConfigureAwait(false);
        return file is null ? null : InfoOf(file);
    }

    public async Task<Stream> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        var file = await FindAsync(location, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(location);
        try
        {
            return await BucketOf(location).OpenDownloadStreamAsync(file.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (GridFSFileNotFoundException ex)
        {
            throw new ObjectNotFoundException(location, ex);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw Transient(location, "read", ex);
        }
    }

    public Task PutAsync(ObjectLocation location, Stream content, string contentType, CancellationToken cancellationToken) =>
        Task.FromException(new NotSupportedException(
            $"Cannot write {location}: GridFS holds the file-service's originals and this store only reads and deletes them. " +
            "Write derivatives and quarantine copies to an S3 or Local provider (Storage:Derivatives:Provider, Storage:Quarantine:Provider)."));

    public async Task<bool> DeleteAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        var bucket = BucketOf(location);
        try
        {
            var ids = new List<BsonValue>();
            if (await FirstAsync(bucket, ById(location.Key), cancellationToken).ConfigureAwait(false) is { } byId)
            {
                ids.Add(byId.Id);
            }
            else
            {
                using var cursor = await bucket.FindAsync(ByFilename(location.Key), cancellationToken: cancellationToken).ConfigureAwait(false);
                ids.AddRange((await cursor.ToListAsync(cancellationToken).ConfigureAwait(false)).Select(file => file.Id));
            }

            var deleted = false;
            foreach (var fileId in ids)
            {
                try
                {
                    await bucket.DeleteAsync(fileId, cancellationToken).ConfigureAwait(false);
                    deleted = true;
                }
                catch (GridFSFileNotFoundException)
                {
                    // Deleted concurrently (another replica's housekeeping): the outcome we wanted.
                }
            }

            return deleted;
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw Transient(location, "delete", ex);
        }
    }

    public Task MoveAsync(ObjectLocation from, ObjectLocation to, CancellationToken cancellationToken) =>
        Task.FromException(new NotSupportedException(
            $"Cannot move {from} within GridFS: this store only reads and deletes. ObjectStorage.MoveAsync moves a GridFS original " +
            "to another provider (read, write there, delete here)."));

    private async Task<GridFSFileInfo<BsonValue>?> FindAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        var bucket = BucketOf(location);
        try
        {
            if (await FirstAsync(bucket, ById(location.Key), cancellationToken).ConfigureAwait(false) is { } byId)
            {
                return byId;
            }

            return await FirstAsync(bucket, ByFilename(location.Key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw Transient(location, "stat", ex);
        }
    }

    private static async Task<GridFSFileInfo<BsonValue>?> FirstAsync(
        IGridFSBucket<BsonValue> bucket, BsonDocument filter, CancellationToken cancellationToken)
    {
        // Newest first: by filename, that is the latest revision (what OpenDownloadStreamByName reads by default).
        var options = new GridFSFindOptions<BsonValue> { Limit = 1, Sort = new BsonDocument("uploadDate", -1) };
        using var cursor = await bucket.FindAsync(filter, options, cancellationToken).ConfigureAwait(false);
        return await cursor.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>{_id: {$in: [every id <paramref name="key"/> can spell]}}</c>: served by <c>_id</c>; one query for all the id types.</summary>
    internal static BsonDocument ById(string key)
    {
        var ids = new BsonArray();
        if (ObjectId.TryParse(key, out var objectId))
        {
            ids.Add(objectId);
        }

        if (Guid.TryParse(key, out var uuid))
        {
            ids.Add(new BsonBinaryData(uuid, GuidRepresentation.Standard));
        }

        ids.Add(key);
        return new BsonDocument("_id", new BsonDocument("$in", ids));
    }

    /// <summary>Served by <c>filename_1_uploadDate_1</c>, the index GridFS writers create before their first upload.</summary>
    private static BsonDocument ByFilename(string filename) => new("filename", filename);

    private static ObjectInfo InfoOf(GridFSFileInfo<BsonValue> file)
    {
        // The top-level contentType is deprecated by the GridFS spec; newer writers put it in metadata.
        var document = file.BackingDocument;
        var contentType = document.TryGetValue("contentType", out var top) && top.IsString ? top.AsString
            : document.TryGetValue("metadata", out var metadata) && metadata.IsBsonDocument
                && metadata.AsBsonDocument.TryGetValue("contentType", out var inMetadata) && inMetadata.IsString ? inMetadata.AsString
            : null;
        return new ObjectInfo(file.Length, contentType, new DateTimeOffset(file.UploadDateTime.ToUniversalTime(), TimeSpan.Zero));
    }

    private IGridFSBucket<BsonValue> BucketOf(ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var name = location.Bucket;
        // Bucket names become collection names (<name>.files): refuse what MongoDB would misread.
        if (string.IsNullOrEmpty(name) || name.Length > MaxBucketNameLength || name.StartsWith("system", StringComparison.Ordinal)
            || name.AsSpan().IndexOfAny('$', '\0') >= 0)
        {
            throw new ObjectLocationRejectedException(location, "not a usable GridFS bucket name.");
        }

        if (string.IsNullOrEmpty(location.Key))
        {
            throw new ObjectLocationRejectedException(location, "the key is empty.");
        }

        return _buckets.GetOrAdd(name, _catalog.GridFsBucket);
    }

    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && (exception is MongoConnectionException or MongoExecutionTimeoutException or MongoNotPrimaryException
            or MongoNodeIsRecoveringException or MongoWaitQueueFullException or TimeoutException
            // An election or a failed write concern the server itself marks as worth retrying.
            || exception is MongoException mongo && mongo.HasErrorLabel("RetryableWriteError"));

    private static TransientDependencyException Transient(ObjectLocation location, string operation, Exception exception) =>
        new($"GridFS {operation} of {location} failed: {exception.Message}", exception);
}
