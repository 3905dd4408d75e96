using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Analytics.Housekeeping.Files;
using QuikApp.Workers.Analytics.Housekeeping.Ttl;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Files;

/// <summary>
/// expired-files next to the TTL index on files.expiresAt, on a real MongoDB 7 that starts as the seed left it (TTL 0):
/// the TTL monitor (every 60 s, wall-clock time) must not delete an expired file before the job has deleted its objects.
/// </summary>
public sealed class ExpiredFilesBesideTtlIndexTests(MongoTestLane lane) : IDisposable
{
    private readonly string _root = Path.Join(Path.GetTempPath(), $"quikapp-ttl-lane-{Guid.NewGuid():N}");

    [Fact(Timeout = 240_000)]
    public async Task SeedsTtlIndex_FileExpiredWhileHousekeepingWasDown_SurvivesTheTtlMonitorUntilExpiredFilesDeletesItsObjects()
    {
        var ct = TestContext.Current.CancellationToken;
        var upstream = await UpstreamDatabase.In(lane.Require()).WithSeedIndexesAsync(ct);
        var catalog = upstream.Catalog;
        var settings = Options.Create(new HousekeepingOptions());

        // ttl-indexes turns the seed's expireAfterSeconds 0 into the backstop in place (collMod).
        var ttl = Context(TtlIndexesJob.Name);
        var ttlOutcome = await new TtlIndexesJob(catalog, new MongoIndexBootstrapper(catalog, NullLogger<MongoIndexBootstrapper>.Instance), settings).RunAsync(ttl, ct);
        Assert.Equal(JobOutcomeStatus.Succeeded, ttlOutcome.Status);
        Assert.Equal(1L, ttl.Counts["fixed"]);
        Assert.Equal(MongoIndexCatalog.FilesExpiryBackstopSeconds, (await IndexAsync(catalog.Files, "expiresAt_1", ct))["expireAfterSeconds"].ToInt32());

        // A file that expired two minutes ago, never claimed (analytics was down), with its original on disk.
        var now = DateTime.UtcNow;
        var (fileId, workspaceId) = (Guid.NewGuid(), Guid.NewGuid());
        var file = UpstreamDatabase.SeedFile(fileId, workspaceId, now.AddHours(-1), expiresAt: now.AddMinutes(-2));
        var key = $"workspaces/{workspaceId}/files/{fileId}.pdf";
        file["storage"] = new BsonDocument { { "provider", "local" }, { "bucket", "files" }, { "key", key } };
        await upstream.WithDocumentsAsync(catalog.Files, [file], ct);
        using var storage = LocalStorage();
        using (var content = new MemoryStream([1, 2, 3]))
        {
            await storage.For("local").PutAsync(new ObjectLocation("local", "files", key), content, "application/pdf", ct);
        }

        // A temp upload two days old: the monitor deletes it (TTL one day), which proves a pass ran after the file was written.
        await upstream.WithDocumentsAsync(catalog.TempUploads, [new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "createdAt", now.AddDays(-2) } }], ct);
        while (await catalog.TempUploads.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct) > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }

        Assert.NotNull(await catalog.Files.Find(new BsonDocument("_id", file["_id"])).FirstOrDefaultAsync(ct));

        var outcome = await new ExpiredFilesJob(catalog, storage, settings, TimeProvider.System).RunAsync(Context(ExpiredFilesJob.Name), ct);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.Null(await catalog.Files.Find(new BsonDocument("_id", file["_id"])).FirstOrDefaultAsync(ct));
        Assert.False(File.Exists(Path.Join(_root, "files", key)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ObjectStorage LocalStorage()
    {
        var options = new ObjectStorageOptions
        {
            Derivatives = new StorageTarget { Provider = "local", Bucket = "derivatives", Prefix = "thumbs" },
            Quarantine = new StorageTarget { Provider = "local", Bucket = "derivatives", Prefix = "quarantine" },
        };
        options.AllowedBuckets["local"] = ["files"];
        options.Providers["local"] = new StorageProviderSettings { Root = _root };
        return new ObjectStorage(new Dictionary<string, IObjectStore> { ["local"] = new LocalDirectoryObjectStore(_root) }, options);
    }

    private static JobRunContext Context(string job) =>
        new(Guid.CreateVersion7(), job, JobRunTrigger.Cli, default, null, new ConfigurationBuilder().Build(), NullLogger.Instance);

    private static async Task<BsonDocument> IndexAsync(IMongoCollection<BsonDocument> collection, string name, CancellationToken ct)
    {
        using var cursor = await collection.Indexes.ListAsync(ct);
        return (await cursor.ToListAsync(ct)).Single(index => index["name"] == name);
    }
}
