using System.Security.Cryptography;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Storage;

namespace QuikApp.Workers.Shared.Tests.Storage;

/// <summary>
/// The facade's untrusted-input rules (provider and bucket allow-list, then stat, then size, then open) and its
/// cross-provider moves, against s3rver and a local directory.
/// </summary>
public sealed class ObjectStorageTests(S3rverFixture s3rver) : IDisposable
{
    private const string Allowed = "quikapp-files";
    private readonly string _root = Path.Join(Path.GetTempPath(), $"quikapp-facade-{Guid.NewGuid():N}");

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_AllowedAndSmallEnough_ReturnsInfoAndTheBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, s3, _) = await StorageAsync(ct);
        using var _ = storage;
        var location = NewS3Location(Allowed);
        var bytes = RandomNumberGenerator.GetBytes(4096);
        await s3.PutAsync(location, new MemoryStream(bytes), "image/png", ct);

        await using var original = await storage.OpenOriginalAsync(location, maxBytes: null, ct);
        using var copy = new MemoryStream();
        await original.Content.CopyToAsync(copy, ct);

        Assert.Equal(4096, original.Info.Size);
        Assert.Equal("image/png", original.Info.ContentType);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_BucketNotAllowed_IsRejectedAndNoRequestReachesTheStore()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, s3, counting) = await StorageAsync(ct);
        using var _ = storage;
        var location = NewS3Location("quikapp-other");
        await s3.PutAsync(location, new MemoryStream([1, 2, 3]), "text/plain", ct);
        var uniqueKeyPart = location.Key.Split('/')[1];

        var error = await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => storage.OpenOriginalAsync(location, null, ct));

        Assert.Contains("quikapp-other", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:AllowedBuckets:s3", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, counting.Calls);
        // The one PUT above is the only request s3rver ever saw for this key.
        Assert.Equal(["PUT"], s3rver.RequestsMentioning(uniqueKeyPart).Select(request => request.Split(' ')[0]));
        Assert.Equal(FailureKind.Permanent, new DefaultFailureClassifier().Classify(error));
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_UnconfiguredProvider_IsRejectedAsPermanent()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, _, counting) = await StorageAsync(ct);
        using var _ = storage;

        var error = await Assert.ThrowsAsync<ObjectLocationRejectedException>(
            () => storage.OpenOriginalAsync(new ObjectLocation("ftp", Allowed, "x"), null, ct));

        Assert.Contains("'ftp'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, counting.Calls);
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_LargerThanTheLimit_IsRefusedAfterTheStatWithoutDownloading()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, s3, counting) = await StorageAsync(ct, maxObjectBytes: 1000);
        using var _ = storage;
        var location = NewS3Location(Allowed);
        await s3.PutAsync(location, new MemoryStream(new byte[1001]), "application/octet-stream", ct);
        var uniqueKeyPart = location.Key.Split('/')[1];

        var error = await Assert.ThrowsAsync<ObjectTooLargeException>(() => storage.OpenOriginalAsync(location, null, ct));

        Assert.Contains("1001 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("limit of 1000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 0), (counting.Stats, counting.Reads));
        Assert.DoesNotContain(s3rver.RequestsMentioning(uniqueKeyPart), request => request.StartsWith("GET ", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_CallerLimitBelowTheConfiguredOne_AppliesTheCallers()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, s3, _) = await StorageAsync(ct, maxObjectBytes: 1_000_000);
        using var _ = storage;
        var location = NewS3Location(Allowed);
        await s3.PutAsync(location, new MemoryStream(new byte[600]), "application/octet-stream", ct);

        var error = await Assert.ThrowsAsync<ObjectTooLargeException>(() => storage.OpenOriginalAsync(location, maxBytes: 500, ct));

        Assert.Equal(500, error.MaxBytes);
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_Missing_ThrowsObjectNotFoundAsPermanent()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, _, counting) = await StorageAsync(ct);
        using var _ = storage;

        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => storage.OpenOriginalAsync(NewS3Location(Allowed), null, ct));

        Assert.Equal((1, 0), (counting.Stats, counting.Reads));
        Assert.Equal(FailureKind.Permanent, new DefaultFailureClassifier().Classify(error));
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_ObjectGrewAfterTheStat_StopsReadingAtTheLimit()
    {
        var ct = TestContext.Current.CancellationToken;
        var local = new LocalDirectoryObjectStore(_root);
        var location = new ObjectLocation("local", "uploads", "grows.bin");
        await local.PutAsync(location, new MemoryStream(new byte[10]), "application/octet-stream", ct);
        var options = Options(maxObjectBytes: 100);
        options.AllowedBuckets["local"] = ["uploads"];
        using var storage = new ObjectStorage(new Dictionary<string, IObjectStore> { ["local"] = new GrowingAfterStat(local, 5000) }, options);

        await using var original = await storage.OpenOriginalAsync(location, null, ct);

        await Assert.ThrowsAsync<ObjectTooLargeException>(() => original.Content.CopyToAsync(Stream.Null, ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenOriginal_S3EndpointRefusesConnections_ThrowsTransientDependency()
    {
        var ct = TestContext.Current.CancellationToken;
        using var refusing = new S3ObjectStore(S3ClientFactory.Create(S3ObjectStoreTests.RefusingEndpoint()), ownsClient: true);
        using var storage = new ObjectStorage(new Dictionary<string, IObjectStore> { ["s3"] = refusing }, Options());

        var error = await Assert.ThrowsAsync<TransientDependencyException>(() => storage.OpenOriginalAsync(NewS3Location(Allowed), null, ct));

        Assert.Equal(FailureKind.Transient, new DefaultFailureClassifier().Classify(error));
    }

    [Fact(Timeout = 60_000)]
    public async Task Move_LocalOriginalToS3Quarantine_CopiesBytesAndContentTypeThenDeletesTheSource()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, s3, _) = await StorageAsync(ct);
        using var _ = storage;
        var from = new ObjectLocation("local", "uploads", $"w/{Guid.NewGuid():N}.pdf");
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        await storage.For("local").PutAsync(from, new MemoryStream(bytes), "application/pdf", ct);
        var to = storage.QuarantineLocation(from);

        await storage.MoveAsync(from, to, ct);
        await storage.MoveAsync(from, to, ct);

        Assert.Equal("s3", to.Provider);
        Assert.Equal($"quarantine/local/uploads/{from.Key}", to.Key);
        Assert.Null(await storage.For("local").StatAsync(from, ct));
        Assert.Equal(bytes, await S3ObjectStoreTests.ReadAllAsync(s3, to, ct));
        Assert.Equal("application/octet-stream", (await s3.StatAsync(to, ct))?.ContentType);
    }

    [Fact(Timeout = 60_000)]
    public async Task PutDerivative_ThenPublicUrl_PointsTheCdnAtTheKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, s3, _) = await StorageAsync(ct);
        using var _ = storage;
        var workspaceId = Guid.NewGuid();
        var fileId = Guid.NewGuid();
        var location = storage.DerivativeLocation(workspaceId, fileId, "webp");

        await storage.For(location.Provider).PutAsync(location, new MemoryStream([1, 2]), "image/webp", ct);

        Assert.Equal(new ObjectLocation("s3", "quikapp-derivatives", $"thumbs/{workspaceId}/{fileId}.webp"), location);
        Assert.Equal("image/webp", (await s3.StatAsync(location, ct))?.ContentType);
        Assert.Equal($"https://cdn.quikapp.test/thumbs/{workspaceId}/{fileId}.webp", storage.PublicUrl(location));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static ObjectLocation NewS3Location(string bucket) => new("s3", bucket, $"workspaces/{Guid.NewGuid():N}/original.bin");

    private static ObjectStorageOptions Options(long maxObjectBytes = ObjectStorageOptions.DefaultMaxObjectBytes)
    {
        var options = new ObjectStorageOptions
        {
            MaxObjectBytes = maxObjectBytes,
            CdnBaseUrl = "https://cdn.quikapp.test/",
            Derivatives = new StorageTarget { Provider = "s3", Bucket = "quikapp-derivatives", Prefix = "thumbs" },
            Quarantine = new StorageTarget { Provider = "s3", Bucket = "quikapp-quarantine", Prefix = "quarantine" },
        };
        options.AllowedBuckets["s3"] = [Allowed];
        return options;
    }

    private async Task<(ObjectStorage Storage, S3ObjectStore S3, CountingObjectStore Counting)> StorageAsync(
        CancellationToken ct, long maxObjectBytes = ObjectStorageOptions.DefaultMaxObjectBytes)
    {
        await s3rver.StartAsync(ct);
        var s3 = new S3ObjectStore(S3ClientFactory.Create(s3rver.ProviderSettings()), ownsClient: true);
        var counting = new CountingObjectStore(s3);
        var storage = new ObjectStorage(
            new Dictionary<string, IObjectStore> { ["s3"] = counting, ["local"] = new LocalDirectoryObjectStore(_root) },
            Options(maxObjectBytes));
        return (storage, s3, counting);
    }

    /// <summary>Reports the stat it was given, then serves a longer object: the race between stat and read.</summary>
    private sealed class GrowingAfterStat(IObjectStore inner, int grownSize) : IObjectStore
    {
        public Task<ObjectInfo?> StatAsync(ObjectLocation location, CancellationToken cancellationToken) => inner.StatAsync(location, cancellationToken);

        public Task<Stream> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken) =>
            Task.FromResult<Stream>(new MemoryStream(new byte[grownSize]));

        public Task PutAsync(ObjectLocation location, Stream content, string contentType, CancellationToken cancellationToken) =>
            inner.PutAsync(location, content, contentType, cancellationToken);

        public Task<bool> DeleteAsync(ObjectLocation location, CancellationToken cancellationToken) => inner.DeleteAsync(location, cancellationToken);

        public Task MoveAsync(ObjectLocation from, ObjectLocation to, CancellationToken cancellationToken) =>
            inner.MoveAsync(from, to, cancellationToken);
    }
}
