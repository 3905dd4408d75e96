using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// Model zips in the GridFS bucket <c>models</c> of <c>QuikApp_ml</c>, the file's <c>_id</c> being the model's id
/// (<c>spam-3f1c0a9be2d4</c>, <c>filename</c> the id + <c>.zip</c>, <c>metadata.sha256</c> the full hash).
/// </summary>
/// <remarks>
/// The upload is written here in GridFS's layout rather than through the driver's upload stream, because the driver
/// recovers from a failed upload by deleting every chunk of the id (the GridFS spec's abort), and a failed upload of a
/// content-addressed id is usually a second uploader of the same zip, whose chunks are the live file's chunks.
/// GridFS writes chunks first and the files document last, so a file is complete exactly when its files document
/// exists. This store therefore never deletes a chunk that a complete file could own:
/// <list type="number">
/// <item>a files document for the id on the primary means the zip is stored (the id is its hash): nothing is written;</item>
/// <item>chunks numbered at or past this zip's chunk count can belong to no upload of this zip (same bytes, same chunk
/// size, same count): they are a crashed foreign upload's leftovers and are deleted;</item>
/// <item>chunks <c>0..count-1</c> are upserted with this zip's bytes, identical to what any concurrent uploader of the id
/// writes, so a leftover is overwritten and a concurrent upload is left intact;</item>
/// <item>the files document is inserted last; a duplicate key means another uploader finished first.</item>
/// </list>
/// </remarks>
public sealed class GridFsModelFileStore(MongoCatalog catalog) : IModelFileStore
{
    /// <summary>GridFS's default chunk size (255 KiB): the same zip always splits into the same chunks.</summary>
    internal const int ChunkSizeBytes = 255 * 1024;

    private const int DuplicateKey = 11000;

    private IMongoCollection<BsonDocument> FilesCollection =>
        catalog.Collection<BsonDocument>(QuikAppDatabase.Ml, $"{MongoCatalog.GridFsBuckets.Models}.files");

    private IMongoCollection<BsonDocument> ChunksCollection =>
        catalog.Collection<BsonDocument>(QuikAppDatabase.Ml, $"{MongoCatalog.GridFsBuckets.Models}.chunks");

    public async Task<bool> UploadIfAbsentAsync(string id, byte[] zip, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(zip);
        var files = FilesCollection;
        var chunks = ChunksCollection;
        if (await files.Find(new BsonDocument("_id", id)).Limit(1).AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            // The id is the content hash: the stored file is this zip.
            return false;
        }

        await EnsureIndexesAsync(files, chunks, cancellationToken).ConfigureAwait(false);
        var count = ChunkCount(zip.Length);
        await chunks.DeleteManyAsync(OrphanChunksFilter(id, count), cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            await WriteChunksAsync(chunks, id, zip, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await files.InsertOneAsync(FileDocument(id, zip, DateTime.UtcNow), cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MongoWriteException ex) when (ex.WriteError is { Code: DuplicateKey })
        {
            // Another uploader (a run beside a lost lease) finished the same content first; its chunks are ours.
            return false;
        }
    }

    public async Task<byte[]> DownloadAsync(string id, CancellationToken cancellationToken) =>
        await catalog.ModelsBucket().DownloadAsBytesAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Upserts the chunks. The server retries an upsert that lost an insert race on the unique index its filter names;
    /// should one still report a duplicate key, the chunk now exists and one more pass updates it.
    /// </summary>
    private static async Task WriteChunksAsync(IMongoCollection<BsonDocument> chunks, string id, byte[] zip, CancellationToken cancellationToken)
    {
        for (var pass = 1; ; pass++)
        {
            try
            {
                await chunks.BulkWriteAsync(ChunkUpserts(id, zip), new BulkWriteOptions { IsOrdered = false }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MongoBulkWriteException<BsonDocument> ex) when (pass == 1 && ex.WriteConcernError is null && ex.WriteErrors.All(e => e.Code == DuplicateKey))
            {
                // Another uploader of the same zip inserted the chunk first: the next pass updates it with the same bytes.
            }
        }
    }

    internal static int ChunkCount(long length) => (int)((length + ChunkSizeBytes - 1) / ChunkSizeBytes);

    /// <summary>Chunks of the id that no upload of a zip with <paramref name="count"/> chunks writes: a foreign upload's leftovers.</summary>
    internal static BsonDocument OrphanChunksFilter(string id, int count) =>
        new() { { "files_id", id }, { "n", new BsonDocument("$gte", count) } };

    /// <summary>One upsert per chunk, by <c>{ files_id, n }</c> (the unique index): equal to what any uploader of the same zip writes.</summary>
    internal static IEnumerable<ReplaceOneModel<BsonDocument>> ChunkUpserts(string id, byte[] zip)
    {
        for (var n = 0; n < ChunkCount(zip.Length); n++)
        {
            var offset = n * ChunkSizeBytes;
            var data = zip.AsSpan(offset, Math.Min(ChunkSizeBytes, zip.Length - offset)).ToArray();
            var filter = new BsonDocument { { "files_id", id }, { "n", n } };
            yield return new ReplaceOneModel<BsonDocument>(filter, new BsonDocument { { "files_id", id }, { "n", n }, { "data", new BsonBinaryData(data) } })
            {
                IsUpsert = true,
            };
        }
    }

    /// <summary>The files document as GridFS writes it, plus <c>metadata.sha256</c>.</summary>
    internal static BsonDocument FileDocument(string id, byte[] zip, DateTime uploadDate) => new()
    {
        { "_id", id },
        { "length", (long)zip.Length },
        { "chunkSize", ChunkSizeBytes },
        { "uploadDate", uploadDate },
        { "filename", $"{id}.zip" },
        { "metadata", new BsonDocument("sha256", ModelRecords.Sha256Of(zip)) },
    };

    /// <summary>
    /// The two indexes the GridFS spec requires, as the driver names them; the unique <c>{ files_id, n }</c> is what makes the
    /// chunk upserts safe (the server retries an upsert's duplicate-key race on it). No-ops when they exist.
    /// </summary>
    private static async Task EnsureIndexesAsync(IMongoCollection<BsonDocument> files, IMongoCollection<BsonDocument> chunks, CancellationToken cancellationToken)
    {
        await files.Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(new BsonDocument { { "filename", 1 }, { "uploadDate", 1 } }),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await chunks.Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(new BsonDocument { { "files_id", 1 }, { "n", 1 } }, new CreateIndexOptions { Unique = true }),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
