using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Storage;

namespace QuikApp.Workers.Shared.Tests.Storage;

/// <summary>The S3 store against a real S3 protocol server (s3rver on 127.0.0.1, path-style, SigV4 with s3rver's keys).</summary>
public sealed class S3ObjectStoreTests(S3rverFixture s3rver)
{
    private const string Bucket = "quikapp-files";

    [Theory(Timeout = 60_000)]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(3 * 1024 * 1024 + 17)]
    public async Task PutThenOpenRead_AnySize_ReturnsTheSameBytesAndStatReportsTheSize(int size)
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var location = NewLocation();
        var bytes = RandomNumberGenerator.GetBytes(size);

        await store.PutAsync(location, new MemoryStream(bytes), "application/octet-stream", ct);
        var info = await store.StatAsync(location, ct);
        var read = await ReadAllAsync(store, location, ct);

        Assert.NotNull(info);
        Assert.Equal(size, info.Size);
        Assert.Equal(bytes, read);
    }

    [Fact(Timeout = 60_000)]
    public async Task Put_NonSeekableStream_StoresTheSameBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var location = NewLocation();
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        await store.PutAsync(location, new ForwardOnlyStream(bytes), "application/octet-stream", ct);

        Assert.Equal(bytes, await ReadAllAsync(store, location, ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Stat_AfterPut_ReportsContentTypeAndLastModified()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var location = NewLocation(".webp");
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);

        await store.PutAsync(location, new MemoryStream([1, 2, 3]), "image/webp", ct);
        var info = await store.StatAsync(location, ct);

        Assert.NotNull(info);
        Assert.Equal("image/webp", info.ContentType);
        Assert.NotNull(info.LastModified);
        Assert.InRange(info.LastModified.Value, before, DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact(Timeout = 60_000)]
    public async Task PutObject_SdkDefaultChunkedUpload_StoresTheAwsChunkedFramingOnS3rver()
    {
        // Why the store sends plain bodies: with the SDK's defaults the body is aws-chunked (chunk signatures, CRC32 trailer),
        // which s3rver stores verbatim. If this starts failing, s3rver learned to decode aws-chunked.
        var ct = TestContext.Current.CancellationToken;
        await s3rver.StartAsync(ct);
        using var client = S3ClientFactory.Create(s3rver.ProviderSettings());
        var location = NewLocation();
        var bytes = RandomNumberGenerator.GetBytes(1000);

        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = location.Key, InputStream = new MemoryStream(bytes) }, ct);
        using var store = new S3ObjectStore(client);
        var stored = await ReadAllAsync(store, location, ct);

        Assert.NotEqual(bytes.Length, stored.Length);
        Assert.StartsWith("3e8;chunk-signature=", System.Text.Encoding.ASCII.GetString(stored, 0, 20), StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stat_MissingObject_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);

        Assert.Null(await store.StatAsync(NewLocation(), ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Stat_MissingBucket_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);

        Assert.Null(await store.StatAsync(new ObjectLocation("s3", "no-such-bucket", "a.bin"), ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenRead_MissingObject_ThrowsObjectNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var location = NewLocation();

        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync(location, ct));

        Assert.Equal(location, error.Location);
    }

    [Fact(Timeout = 60_000)]
    public async Task Delete_ExistingThenAgain_ReturnsTrueThenFalse()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var location = NewLocation();
        await store.PutAsync(location, new MemoryStream([42]), "application/octet-stream", ct);

        Assert.True(await store.DeleteAsync(location, ct));
        Assert.False(await store.DeleteAsync(location, ct));
        Assert.Null(await store.StatAsync(location, ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Move_AcrossBuckets_CopiesBytesAndContentTypeThenRemovesTheSource()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var from = NewLocation();
        var to = new ObjectLocation("s3", "quikapp-quarantine", $"quarantine/{Guid.NewGuid():N}/x y+z.pdf");
        var bytes = RandomNumberGenerator.GetBytes(70_000);
        await store.PutAsync(from, new MemoryStream(bytes), "application/pdf", ct);

        await store.MoveAsync(from, to, ct);

        Assert.Null(await store.StatAsync(from, ct));
        Assert.Equal("application/pdf", (await store.StatAsync(to, ct))?.ContentType);
        Assert.Equal(bytes, await ReadAllAsync(store, to, ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Move_RerunAfterItCompleted_IsANoOp()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var from = NewLocation();
        var to = NewLocation();
        await store.PutAsync(from, new MemoryStream([1, 2, 3]), "application/octet-stream", ct);
        await store.MoveAsync(from, to, ct);

        await store.MoveAsync(from, to, ct);

        Assert.Equal([1, 2, 3], await ReadAllAsync(store, to, ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Move_SourceAndTargetMissing_ThrowsObjectNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);

        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.MoveAsync(NewLocation(), NewLocation(), ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Move_TargetBucketMissing_NamesTheTargetBucketAndKeepsTheSource()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var from = NewLocation();
        await store.PutAsync(from, new MemoryStream([1]), "application/octet-stream", ct);

        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(
            () => store.MoveAsync(from, new ObjectLocation("s3", "no-such-quarantine", "q/x.bin"), ct));

        Assert.Contains("bucket 'no-such-quarantine' does not exist", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await store.StatAsync(from, ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Put_KeyWithSpacesPlusAndUnicode_RoundTripsUnderThatKey()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = await StoreAsync(ct);
        var location = new ObjectLocation("s3", Bucket, $"workspaces/{Guid.NewGuid():N}/Résumé final+v2 (1).pdf");

        await store.PutAsync(location, new MemoryStream([7, 8, 9]), "application/pdf", ct);

        Assert.Equal([7, 8, 9], await ReadAllAsync(store, location, ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Client_PathStyle_AddressesTheBucketInThePath()
    {
        var ct = TestContext.Current.CancellationToken;
        await s3rver.StartAsync(ct);
        using var client = S3ClientFactory.Create(s3rver.ProviderSettings());
        var key = $"path-style/{Guid.NewGuid():N}.txt";
        using var store = new S3ObjectStore(client);
        await store.PutAsync(new ObjectLocation("s3", Bucket, key), new MemoryStream("hi"u8.ToArray()), "text/plain", ct);

        // A presigned URL shows the addressing the client uses: host stays 127.0.0.1, the bucket leads the path.
        var url = new Uri(await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket, Key = key, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        }));
        using var http = new HttpClient();
        var body = await http.GetStringAsync(url, ct);

        Assert.Equal("127.0.0.1", url.Host);
        Assert.StartsWith($"/{Bucket}/path-style/", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("hi", body);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stat_UnknownAccessKey_IsTransientNotAccessDenied()
    {
        var ct = TestContext.Current.CancellationToken;
        await s3rver.StartAsync(ct);
        var settings = s3rver.ProviderSettings();
        settings.AccessKey = "AKIANOTAKEY";

        // HEAD answers a bare 403; the store's ranged-GET probe reads the code (InvalidAccessKeyId) behind it. (s3rver checks
        // the access key id but not SigV4 signatures, so a wrong secret would pass here.)
        using var store = new S3ObjectStore(S3ClientFactory.Create(settings), ownsClient: true);
        var error = await Assert.ThrowsAsync<TransientDependencyException>(() => store.StatAsync(NewLocation(), ct));

        Assert.Contains("InvalidAccessKeyId", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stat_ConnectionRefused_ThrowsTransientDependency()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = new S3ObjectStore(S3ClientFactory.Create(RefusingEndpoint()), ownsClient: true);

        var error = await Assert.ThrowsAsync<TransientDependencyException>(() => store.StatAsync(NewLocation(), ct));

        Assert.Equal(FailureKind.Transient, new DefaultFailureClassifier().Classify(error));
    }

    internal static StorageProviderSettings RefusingEndpoint() => new()
    {
        Kind = StorageProviderKind.S3,
        // Nothing listens on a just-released ephemeral port.
        ServiceUrl = $"http://127.0.0.1:{Testing.Hosting.FreePort.Next()}",
        ForcePathStyle = true,
        AccessKey = S3rverFixture.AccessKey,
        SecretKey = S3rverFixture.SecretKey,
    };

    internal static async Task<byte[]> ReadAllAsync(IObjectStore store, ObjectLocation location, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(location, ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);
        return copy.ToArray();
    }

    private static ObjectLocation NewLocation(string extension = ".bin") =>
        new("s3", Bucket, $"workspaces/{Guid.NewGuid():N}/files/{Guid.NewGuid():N}{extension}");

    private async Task<S3ObjectStore> StoreAsync(CancellationToken ct)
    {
        await s3rver.StartAsync(ct);
        return new S3ObjectStore(S3ClientFactory.Create(s3rver.ProviderSettings()), ownsClient: true);
    }

    /// <summary>A stream that cannot seek or report its length, like a pipe or a network body.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
