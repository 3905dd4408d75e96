using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// Model zips in the GridFS bucket <c>models</c> of <c>QuikApp_ml</c>, the file's <c>_id</c> being the model's id
/// (<c>spam-3f1c0a9be2d4</c>, <c>filename</c> the id + <c>.zip</c>, <c>metadata.sha256</c> the full hash).
/// </summary>
public sealed class GridFsModelFileStore(MongoCatalog catalog) : IModelFileStore
{
    public async Task<bool> UploadIfAbsentAsync(string id, byte[] zip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var bucket = catalog.ModelsBucket();
        if (await ExistsAsync(bucket, id, cancellationToken).ConfigureAwait(false))
        {
            // The id is the content hash: the stored file is this zip.
            return false;
        }

        // An upload that died before its files document was written leaves chunks behind; ours would collide with them
        // on the unique { files_id, n } index. Runs hold the job's lease, so no other upload of this id is in flight.
        var chunks = catalog.Collection<BsonDocument>(QuikAppDatabase.Ml, $"{MongoCatalog.GridFsBuckets.Models}.chunks");
        await chunks.DeleteManyAsync(new BsonDocument("files_id", id), cancellationToken).ConfigureAwait(false);
        try
        {
            var options = new GridFSUploadOptions { Metadata = new BsonDocument("sha256", ModelRecords.Sha256Of(zip)) };
            await bucket.UploadFromBytesAsync(id, $"{id}.zip", zip, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MongoWriteException ex) when (ex.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            // Someone else (a run-job beside a lost lease) stored the same content first.
            return false;
        }
        catch (MongoBulkWriteException ex) when (ex.WriteErrors.All(e => e.Category == ServerErrorCategory.DuplicateKey))
        {
            return false;
        }
    }

    public async Task<byte[]> DownloadAsync(string id, CancellationToken cancellationToken) =>
        await catalog.ModelsBucket().DownloadAsBytesAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);

    private static async Task<bool> ExistsAsync(IGridFSBucket<string> bucket, string id, CancellationToken cancellationToken)
    {
        var filter = new BsonDocumentFilterDefinition<GridFSFileInfo<string>>(new BsonDocument("_id", id));
        using var cursor = await bucket.FindAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await cursor.AnyAsync(cancellationToken).ConfigureAwait(false);
    }
}
