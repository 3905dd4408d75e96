using System.Security.Cryptography;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Shared.Tests.Storage;

/// <summary>
/// The GridFS store against a real MongoDB 7 (the lane skips these where there is none), with files uploaded the way the
/// file-service does: ObjectId ids, filenames, optional revisions.
/// </summary>
public sealed class GridFsObjectStoreTests(MongoTestLane lane)
{
    private const string Bucket = "originals";

    [Fact(Timeout = 60_000)]
    public async Task OpenRead_ByFilename_ReturnsTheLatestRevision()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var first = RandomNumberGenerator.GetBytes(1000);
        var latest = RandomNumberGenerator.GetBytes(300_000);
        await UploadAsync(catalog, "w/f.pdf", first, ct);
        await UploadAsync(catalog, "w/f.pdf", latest, ct);

        var read = await S3ObjectStoreTests.ReadAllAsync(new GridFsObjectStore(catalog), new ObjectLocation("gridfs", Bucket, "w/f.pdf"), ct);

        Assert.Equal(latest, read);
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenRead_ByObjectIdString_ReturnsThatFile()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var bytes = RandomNumberGenerator.GetBytes(5000);
        var id = await UploadAsync(catalog, "by-id.bin", bytes, ct);
        await UploadAsync(catalog, "by-id.bin", [1, 2, 3], ct);

        var read = await S3ObjectStoreTests.ReadAllAsync(new GridFsObjectStore(catalog), new ObjectLocation("gridfs", Bucket, id.ToString()), ct);

        Assert.Equal(bytes, read);
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenRead_FilesServiceDefaultBucket_ReadsFromFs()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var id = await catalog.FilesBucket().UploadFromBytesAsync("doc.txt", "hello"u8.ToArray(), cancellationToken: ct);

        var read = await S3ObjectStoreTests.ReadAllAsync(
            new GridFsObjectStore(catalog), new ObjectLocation("gridfs", MongoCatalog.GridFsBuckets.Files, id.ToString()), ct);

        Assert.Equal("hello"u8.ToArray(), read);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stat_UploadedFile_ReportsLengthContentTypeAndUploadDate()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        await UploadAsync(catalog, "img.png", new byte[12345], ct, new BsonDocument("contentType", "image/png"));

        var info = await new GridFsObjectStore(catalog).StatAsync(new ObjectLocation("gridfs", Bucket, "img.png"), ct);

        Assert.NotNull(info);
        Assert.Equal(12345, info.Size);
        Assert.Equal("image/png", info.ContentType);
        Assert.InRange(info.LastModified!.Value, before, DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact(Timeout = 60_000)]
    public async Task Stat_Missing_ReturnsNullAndOpenReadThrowsObjectNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new GridFsObjectStore(lane.Require().CreateCatalog());
        var missing = new ObjectLocation("gridfs", Bucket, ObjectId.GenerateNewId().ToString());

        Assert.Null(await store.StatAsync(missing, ct));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync(missing, ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Delete_ByFilename_RemovesEveryRevisionThenReturnsFalse()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        await UploadAsync(catalog, "gone.bin", [1], ct);
        await UploadAsync(catalog, "gone.bin", [2], ct);
        var store = new GridFsObjectStore(catalog);
        var location = new ObjectLocation("gridfs", Bucket, "gone.bin");

        Assert.True(await store.DeleteAsync(location, ct));
        Assert.False(await store.DeleteAsync(location, ct));
        Assert.Null(await store.StatAsync(location, ct));
        var chunks = catalog.Collection<BsonDocument>(QuikAppDatabase.Files, $"{Bucket}.chunks");
        Assert.Equal(0, await chunks.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Delete_ById_RemovesOnlyThatRevision()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        await UploadAsync(catalog, "keep.bin", [1], ct);
        var id = await UploadAsync(catalog, "keep.bin", [2], ct);
        var store = new GridFsObjectStore(catalog);

        Assert.True(await store.DeleteAsync(new ObjectLocation("gridfs", Bucket, id.ToString()), ct));

        Assert.Equal([1], await S3ObjectStoreTests.ReadAllAsync(store, new ObjectLocation("gridfs", Bucket, "keep.bin"), ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenReadAndDelete_UuidAndStringIds_ResolveByTheirOwnType()
    {
        // GridFS lets the uploader pick the _id type; on the old code only an ObjectId key was looked up by id.
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var bucket = new GridFSBucket<BsonValue>(catalog.Database(QuikAppDatabase.Files), new GridFSBucketOptions { BucketName = Bucket });
        var uuid = Guid.NewGuid();
        await bucket.UploadFromBytesAsync(new BsonBinaryData(uuid, GuidRepresentation.Standard), "by-uuid.bin", [1, 2], cancellationToken: ct);
        await bucket.UploadFromBytesAsync("file-42", "by-string.bin", [3, 4], cancellationToken: ct);
        var store = new GridFsObjectStore(catalog);

        Assert.Equal([1, 2], await S3ObjectStoreTests.ReadAllAsync(store, new ObjectLocation("gridfs", Bucket, uuid.ToString()), ct));
        Assert.Equal([3, 4], await S3ObjectStoreTests.ReadAllAsync(store, new ObjectLocation("gridfs", Bucket, "file-42"), ct));
        Assert.True(await store.DeleteAsync(new ObjectLocation("gridfs", Bucket, "file-42"), ct));
        Assert.Null(await store.StatAsync(new ObjectLocation("gridfs", Bucket, "by-string.bin"), ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Delete_MissingIdOrFilename_ReturnsFalse_AndLeavesOtherFiles()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var kept = await UploadAsync(catalog, "kept.bin", [9], ct);
        var store = new GridFsObjectStore(catalog);

        Assert.False(await store.DeleteAsync(new ObjectLocation("gridfs", Bucket, ObjectId.GenerateNewId().ToString()), ct));
        Assert.False(await store.DeleteAsync(new ObjectLocation("gridfs", Bucket, "never-uploaded.bin"), ct));
        // The id as a string is another BSON type: it must not match the ObjectId file.
        Assert.NotNull(await store.StatAsync(new ObjectLocation("gridfs", Bucket, kept.ToString()), ct));
    }

    [Fact]
    public void ById_Key_SpellsEachIdTypeItParsesAs_InOneIn()
    {
        var objectId = ObjectId.GenerateNewId();
        var uuid = Guid.NewGuid();

        Assert.Equal(new BsonArray { objectId, objectId.ToString() }, GridFsObjectStore.ById(objectId.ToString())["_id"]["$in"]);
        Assert.Equal(new BsonArray { new BsonBinaryData(uuid, GuidRepresentation.Standard), uuid.ToString() }, GridFsObjectStore.ById(uuid.ToString())["_id"]["$in"]);
        Assert.Equal(new BsonArray { "w/f.pdf" }, GridFsObjectStore.ById("w/f.pdf")["_id"]["$in"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_GridFsThroughTheFacade_AppliesTheLimitFromTheFileLength()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        await UploadAsync(catalog, "big.bin", new byte[2048], ct);
        var options = new ObjectStorageOptions { MaxObjectBytes = 1024 };
        options.AllowedBuckets["gridfs"] = [Bucket];
        using var storage = new ObjectStorage(new Dictionary<string, IObjectStore> { ["gridfs"] = new GridFsObjectStore(catalog) }, options);

        var error = await Assert.ThrowsAsync<ObjectTooLargeException>(
            () => storage.OpenOriginalAsync(new ObjectLocation("gridfs", Bucket, "big.bin"), null, ct));

        Assert.Equal(2048, error.Size);
    }

    [Fact(Timeout = 10_000)]
    public async Task PutAndMove_AnyLocation_AreNotSupportedWithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        // No server needed: nothing is sent.
        using var client = new MongoClient("mongodb://127.0.0.1:1");
        var store = new GridFsObjectStore(new MongoCatalog(client, new MongoOptions()));
        var location = new ObjectLocation("gridfs", Bucket, "x");

        var put = await Assert.ThrowsAsync<NotSupportedException>(() => store.PutAsync(location, new MemoryStream([1]), "text/plain", ct));
        await Assert.ThrowsAsync<NotSupportedException>(() => store.MoveAsync(location, location, ct));

        Assert.Contains("Storage:Derivatives:Provider", put.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 10_000)]
    [InlineData("fs$x")]
    [InlineData("system.buckets")]
    [InlineData("")]
    public async Task Stat_UnusableBucketName_IsRejectedWithoutAQuery(string bucket)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new MongoClient("mongodb://127.0.0.1:1");
        var store = new GridFsObjectStore(new MongoCatalog(client, new MongoOptions()));

        await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => store.StatAsync(new ObjectLocation("gridfs", bucket, "x"), ct));
    }

    private static async Task<ObjectId> UploadAsync(
        MongoCatalog catalog, string filename, byte[] bytes, CancellationToken ct, BsonDocument? metadata = null)
    {
        var bucket = new GridFSBucket(catalog.Database(QuikAppDatabase.Files), new GridFSBucketOptions { BucketName = Bucket, ChunkSizeBytes = 64 * 1024 });
        var id = await bucket.UploadFromBytesAsync(filename, bytes, new GridFSUploadOptions { Metadata = metadata }, ct);
        // Revisions are ordered by uploadDate (millisecond resolution): keep two uploads of one name apart.
        await Task.Delay(5, ct);
        return id;
    }
}
