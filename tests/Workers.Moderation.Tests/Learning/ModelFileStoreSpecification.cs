using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>What <see cref="IModelFileStore"/> promises: a content-addressed zip is stored once and downloads as uploaded.</summary>
public abstract class ModelFileStoreSpecification
{
    protected abstract Task<IModelFileStore> CreateAsync();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A zip-sized payload spanning <paramref name="chunks"/> GridFS chunks (the last one partial).</summary>
    protected static byte[] Payload(int chunks, int seed)
    {
        var bytes = new byte[(GridFsModelFileStore.ChunkSizeBytes * (chunks - 1)) + 1_234];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact(Timeout = 120_000)]
    public async Task UploadIfAbsentAsync_Twice_UploadsOnceAndDownloadsAsUploaded()
    {
        var store = await CreateAsync();
        var zip = LearntModels.SpamZip;
        var id = ModelRecords.IdFor(ModelKind.Spam, ModelRecords.Sha256Of(zip));

        Assert.True(await store.UploadIfAbsentAsync(id, zip, Ct));
        Assert.False(await store.UploadIfAbsentAsync(id, zip, Ct));

        Assert.Equal(zip, await store.DownloadAsync(id, Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task UploadIfAbsentAsync_SeveralChunks_DownloadsAsUploaded()
    {
        var store = await CreateAsync();
        var zip = Payload(chunks: 3, seed: 1);
        var id = ModelRecords.IdFor(ModelKind.Toxicity, ModelRecords.Sha256Of(zip));

        Assert.True(await store.UploadIfAbsentAsync(id, zip, Ct));

        Assert.Equal(zip, await store.DownloadAsync(id, Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task DownloadAsync_Missing_Throws()
    {
        var store = await CreateAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => store.DownloadAsync("spam-000000000000", Ct));
    }
}

/// <summary>The specification against the in-memory double (always runs).</summary>
public sealed class InMemoryModelFileStoreSpecification : ModelFileStoreSpecification
{
    protected override Task<IModelFileStore> CreateAsync() => Task.FromResult<IModelFileStore>(new InMemoryModelFileStore());
}

/// <summary>The specification against GridFS (real lane), and the upload's safety around other uploads of the same id.</summary>
public sealed class MongoModelFileStoreSpecification(MongoTestLane lane) : ModelFileStoreSpecification
{
    private MongoCatalog? _catalog;

    private IMongoCollection<BsonDocument> Chunks => _catalog!.Collection<BsonDocument>(QuikAppDatabase.Ml, "models.chunks");

    private IMongoCollection<BsonDocument> Files => _catalog!.Collection<BsonDocument>(QuikAppDatabase.Ml, "models.files");

    protected override Task<IModelFileStore> CreateAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        return Task.FromResult<IModelFileStore>(new GridFsModelFileStore(_catalog));
    }

    [Fact(Timeout = 120_000)]
    public async Task UploadIfAbsentAsync_StoresTheGridFsLayout()
    {
        var store = await CreateAsync();
        var zip = Payload(chunks: 2, seed: 2);
        var id = ModelRecords.IdFor(ModelKind.Spam, ModelRecords.Sha256Of(zip));

        await store.UploadIfAbsentAsync(id, zip, Ct);

        var file = await Files.Find(new BsonDocument("_id", id)).SingleAsync(Ct);
        Assert.Equal(($"{id}.zip", (long)zip.Length, GridFsModelFileStore.ChunkSizeBytes, ModelRecords.Sha256Of(zip)),
            (file["filename"].AsString, file["length"].ToInt64(), file["chunkSize"].ToInt32(), file["metadata"]["sha256"].AsString));
        Assert.Equal([0, 1], (await Chunks.Find(new BsonDocument("files_id", id)).Sort(new BsonDocument("n", 1)).ToListAsync(Ct)).Select(c => c["n"].ToInt32()));
    }

    /// <summary>A complete file (uploaded by the driver, as an older worker did) is never rewritten: its chunks keep their ids.</summary>
    [Fact(Timeout = 120_000)]
    public async Task UploadIfAbsentAsync_CompleteFileExists_LeavesItsChunksUntouched()
    {
        var store = await CreateAsync();
        var zip = Payload(chunks: 3, seed: 3);
        var id = ModelRecords.IdFor(ModelKind.Spam, ModelRecords.Sha256Of(zip));
        await _catalog!.ModelsBucket().UploadFromBytesAsync(id, $"{id}.zip", zip, cancellationToken: Ct);
        var before = await Chunks.Find(new BsonDocument("files_id", id)).ToListAsync(Ct);

        Assert.False(await store.UploadIfAbsentAsync(id, zip, Ct));

        var after = await Chunks.Find(new BsonDocument("files_id", id)).ToListAsync(Ct);
        Assert.Equal(before.Select(c => c["_id"]).Order(), after.Select(c => c["_id"]).Order());
        Assert.Equal(zip, await store.DownloadAsync(id, Ct));
    }

    /// <summary>
    /// A crashed upload left chunks and no files document: a wrong chunk 0 and a chunk past this zip's count (a foreign
    /// chunk size). The upload overwrites the first and deletes the second, and the file downloads intact.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task UploadIfAbsentAsync_LeftoverPartialUpload_IsCompletedAndItsExtraChunksRemoved()
    {
        var store = await CreateAsync();
        var zip = LearntModels.ToxicityZip;
        var id = ModelRecords.IdFor(ModelKind.Toxicity, ModelRecords.Sha256Of(zip));
        await Chunks.InsertManyAsync(
        [
            new BsonDocument { { "files_id", id }, { "n", 0 }, { "data", new BsonBinaryData(new byte[] { 1, 2, 3 }) } },
            new BsonDocument { { "files_id", id }, { "n", 7 }, { "data", new BsonBinaryData(new byte[] { 4, 5, 6 }) } },
        ], cancellationToken: Ct);

        Assert.True(await store.UploadIfAbsentAsync(id, zip, Ct));

        Assert.Equal(zip, await store.DownloadAsync(id, Ct));
        Assert.Equal(GridFsModelFileStore.ChunkCount(zip.Length), await Chunks.CountDocumentsAsync(new BsonDocument("files_id", id), cancellationToken: Ct));
    }

    /// <summary>
    /// Defect 3: uploaders of the same id at once (a run beside a lost lease). On 7e088d6 each deleted every chunk of
    /// the id before its driver upload, so one could delete the chunks of the other's file just completed, or the
    /// loser's abort deleted the winner's chunks; the file then failed to download (or an upload threw). Now the
    /// uploaders write identical chunks, one files document wins, and nothing a complete file owns is deleted.
    /// </summary>
    [Fact(Timeout = 300_000)]
    public async Task UploadIfAbsentAsync_ConcurrentUploadersOfOneId_OneUploadsAndTheFileIsIntact()
    {
        var store = await CreateAsync();
        // One upload first, so the bucket's collections and indexes exist: the race under test is the uploads', not
        // the implicit creation of a collection (uploads of a fresh bucket are serialised by the job's lease anyway).
        await store.UploadIfAbsentAsync("spam-warmup000000", Payload(chunks: 1, seed: 99), Ct);
        for (var round = 0; round < 10; round++)
        {
            var zip = Payload(chunks: 4, seed: 100 + round);
            var id = ModelRecords.IdFor(ModelKind.Spam, ModelRecords.Sha256Of(zip));
            var uploaders = Enumerable.Range(0, 4).Select(_ => new GridFsModelFileStore(_catalog!)).ToList();

            var uploaded = await Task.WhenAll(uploaders.Select(u => Task.Run(() => u.UploadIfAbsentAsync(id, zip, Ct), Ct)));

            Assert.Equal(1, uploaded.Count(u => u));
            Assert.Equal(zip, await store.DownloadAsync(id, Ct));
            Assert.Equal(4, await Chunks.CountDocumentsAsync(new BsonDocument("files_id", id), cancellationToken: Ct));
        }
    }
}
