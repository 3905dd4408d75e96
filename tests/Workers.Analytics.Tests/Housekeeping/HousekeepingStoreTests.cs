using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Analytics.Housekeeping.Files;
using QuikApp.Workers.Analytics.Housekeeping.IndexUsage;
using QuikApp.Workers.Analytics.Housekeeping.Messages;
using QuikApp.Workers.Analytics.Housekeeping.Reactions;
using QuikApp.Workers.Analytics.Housekeeping.State;
using QuikApp.Workers.Analytics.Housekeeping.Ttl;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Mongo;
using QuikApp.Workers.Testing.Storage;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping;

/// <summary>
/// The five housekeeping jobs against a real MongoDB 7 (the real-MongoDB lane, skipped with its reason where none is
/// reachable) over a generated dataset; object deletion against real files on local disk and against s3rver.
/// </summary>
public sealed class HousekeepingStoreTests(MongoTestLane lane, S3rverFixture s3rver) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Join(Path.GetTempPath(), $"quikapp-housekeeping-lane-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _time = new(Now);

    [Fact(Timeout = 120_000)]
    public async Task ExpiredFiles_LocalDisk_DeletesExactlyTheExpiredAndLongSoftDeletedFiles()
    {
        var catalog = lane.Require().CreateCatalog();
        using var storage = LocalStorage();
        await ExpiredFilesScenarioAsync(catalog, storage, "local", "files", "other", key => Task.FromResult(File.Exists(Path.Join(_root, key))));
    }

    [Fact(Timeout = 120_000)]
    public async Task ExpiredFiles_S3_DeletesExactlyTheExpiredAndLongSoftDeletedFiles()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        await s3rver.StartAsync(ct);
        var options = StorageOptions("s3", "quikapp-files", "quikapp-derivatives");
        options.Providers["s3"] = s3rver.ProviderSettings();
        using var storage = ObjectStorage.Create(Options.Create(options), new ServiceProviderStub());
        var s3 = storage.For("s3");
        await ExpiredFilesScenarioAsync(catalog, storage, "s3", "quikapp-files", "quikapp-other", async key =>
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            return await s3.StatAsync(new ObjectLocation("s3", key[..slash], key[(slash + 1)..]), ct) is not null;
        });
    }

    [Fact(Timeout = 120_000)]
    public async Task MessageRetention_DeletesExactlyTheCascadeAndRepairsReceipts()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var data = await MessagesAsync(catalog, old: 3, recent: 1, live: 1, ct);

        var outcome = await new MessageRetentionJob(catalog, Settings(), _time).RunAsync(Context(MessageRetentionJob.Name), ct);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        var remaining = await Ids(catalog.Messages, ct);
        Assert.Equal(data.Recent.Concat(data.Live).Order(), remaining.Order());
        Assert.Equal(data.Recent.Concat(data.Live).Order(), (await Values(catalog.Reactions, "messageId", ct)).Order());
        Assert.Equal(data.Recent.Concat(data.Live).Order(), (await Values(catalog.AutoModResults, "messageId", ct)).Order());
        Assert.Equal(["pair-live"], (await catalog.ReplyPairs.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct)).Select(p => p["_id"].AsString));
        var receipts = await catalog.ReadReceipts.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        Assert.Equal(3, receipts.Count); // none deleted
        var repaired = receipts.Single(r => r["userId"] == data.ReaderOfOld);
        Assert.Equal(BsonNull.Value, repaired["lastReadMessageId"]);
        Assert.Equal(new BsonDateTime(Now.UtcDateTime.AddDays(-40)), repaired["lastReadAt"]);
        Assert.Equal(4, repaired["unreadCount"].ToInt32());
        Assert.All(receipts.Where(r => r["userId"] != data.ReaderOfOld), r => Assert.NotEqual(BsonNull.Value, r["lastReadMessageId"]));
    }

    [Fact(Timeout = 120_000)]
    public async Task MessageRetention_StoppedMidCascadeAndAfterABatch_NextRunCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var data = await MessagesAsync(catalog, old: 5, recent: 0, live: 1, ct);
        var job = new MessageRetentionJob(catalog, Settings(o => { o.BatchSize = 2; o.MaxBatchesPerRun = 1; }), _time);

        // A crash between the dependants and the messages: everything but the last step of the first batch.
        var cutoff = Now.UtcDateTime - TimeSpan.FromDays(30);
        var first = await catalog.Messages.Find(MessageRetentionCascade.Expired(cutoff)).Sort(MessageRetentionCascade.SelectionSort)
            .Project(MessageRetentionCascade.SelectionProjection).Limit(2).ToListAsync(ct);
        foreach (var step in MessageRetentionCascade.For(MessageBatch.From(first), cutoff).SkipLast(1))
        {
            await job.ExecuteAsync(step, ct);
        }

        Assert.Equal(6, (await Ids(catalog.Messages, ct)).Count);

        // Stopped after one batch per run (MaxBatchesPerRun = 1): three runs finish five messages.
        for (var run = 0; run < 3; run++)
        {
            await job.RunAsync(Context(MessageRetentionJob.Name), ct);
        }

        Assert.Equal(data.Live, await Ids(catalog.Messages, ct));
        Assert.Equal(data.Live, await Values(catalog.Reactions, "messageId", ct));
        var last = await job.RunAsync(Context(MessageRetentionJob.Name), ct);
        Assert.Equal(JobOutcomeStatus.Skipped, last.Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task TtlIndexes_WrongExpiryAndMissingIndex_FixedWithCollModAndCreated()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        await catalog.TempUploads.Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(new BsonDocument("createdAt", 1), new CreateIndexOptions { ExpireAfter = TimeSpan.FromSeconds(60) }), cancellationToken: ct);
        var job = new TtlIndexesJob(catalog, new MongoIndexBootstrapper(catalog, NullLogger<MongoIndexBootstrapper>.Instance), Settings());
        var context = Context(TtlIndexesJob.Name);

        var outcome = await job.RunAsync(context, ct);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal((2L, 1L, 1L, 0L), (context.Counts["checked"], context.Counts["created"], context.Counts["fixed"], context.Counts["conflicts"]));
        Assert.Equal(86_400, (await Index(catalog.TempUploads, "createdAt_1", ct))["expireAfterSeconds"].ToInt32());
        Assert.Equal(MongoIndexCatalog.FilesExpiryBackstopSeconds, (await Index(catalog.Files, "expiresAt_1", ct))["expireAfterSeconds"].ToInt32());

        var again = Context(TtlIndexesJob.Name);
        await job.RunAsync(again, ct);
        Assert.Equal((0L, 0L), (again.Counts["created"], again.Counts["fixed"]));
    }

    [Fact(Timeout = 120_000)]
    public async Task OrphanReactions_ReactionsOfMissingMessages_AreDeletedAcrossResumedBatches()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        var kept = ObjectId.GenerateNewId(Now.UtcDateTime.AddDays(-3));
        await catalog.Messages.InsertOneAsync(new BsonDocument { { "_id", kept }, { "deleted", false } }, cancellationToken: ct);
        var reactions = Enumerable.Range(0, 7).Select(i => new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId(Now.UtcDateTime.AddDays(-2).AddMinutes(i)) },
            { "messageId", i % 2 == 0 ? kept : ObjectId.GenerateNewId(Now.UtcDateTime.AddDays(-5)) },
            { "userId", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
            { "emoji", "heart" },
        }).ToList();
        var young = new BsonDocument { { "_id", ObjectId.GenerateNewId(Now.UtcDateTime.AddMinutes(-5)) }, { "messageId", ObjectId.GenerateNewId() }, { "emoji", "fire" } };
        await catalog.Reactions.InsertManyAsync([.. reactions, young], cancellationToken: ct);
        var job = new OrphanReactionsJob(catalog, new HousekeepingStateStore(catalog), Settings(o => { o.BatchSize = 3; o.MaxBatchesPerRun = 2; }), _time);

        await job.RunAsync(Context(OrphanReactionsJob.Name), ct); // 6 scanned, stops with the pass unfinished
        await job.RunAsync(Context(OrphanReactionsJob.Name), ct); // resumes after the sixth

        var left = await Ids(catalog.Reactions, ct);
        Assert.Equal(reactions.Where((_, i) => i % 2 == 0).Select(r => r["_id"]).Append(young["_id"]).Order(), left.Order());
        Assert.Null(await new HousekeepingStateStore(catalog).ReadCursorAsync(OrphanReactionScan.StateId, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task IndexUsageReport_AnIndexNoQueryUses_IsListedUnused_AndTheReportIsStored()
    {
        var ct = TestContext.Current.CancellationToken;
        var catalog = lane.Require().CreateCatalog();
        await catalog.Reactions.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("userId", 1)), cancellationToken: ct);
        await catalog.Reactions.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("messageId", 1)), cancellationToken: ct);
        await catalog.Reactions.InsertOneAsync(new BsonDocument { { "messageId", ObjectId.GenerateNewId() }, { "userId", "u" } }, cancellationToken: ct);
        await catalog.Reactions.WithReadPreference(ReadPreference.Primary)
            .Find(new BsonDocument("messageId", ObjectId.GenerateNewId()), new FindOptions { Hint = new BsonDocument("messageId", 1) }).ToListAsync(ct);
        var context = Context(IndexUsageReportJob.Name);

        var outcome = await new IndexUsageReportJob(catalog, Settings(), _time).RunAsync(context, ct);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        var report = await catalog.Collection<BsonDocument>(QuikAppDatabase.Analytics, IndexUsageReport.CollectionName)
            .Find(new BsonDocument("_id", new BsonBinaryData(context.RunId, GuidRepresentation.Standard))).SingleAsync(ct);
        var messagesDb = report["databases"].AsBsonArray.Single(d => d["name"] == catalog.DatabaseName(QuikAppDatabase.Messages));
        var unused = messagesDb["unusedIndexes"].AsBsonArray.Select(u => $"{u["collection"]}.{u["name"]}").ToList();
        Assert.Contains("reactions.userId_1", unused);
        Assert.DoesNotContain("reactions.messageId_1", unused);
        Assert.DoesNotContain("reactions._id_", unused);
        Assert.True(context.Counts["unusedIndexes"] >= 1);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// Seven files: expired an hour ago, expiring in 5 min (inside the lead time: claimed, kept until due), expiring in a
    /// day, soft-deleted 40 and 5 days ago, permanent, and expired with an original outside the allowed buckets.
    /// </summary>
    private async Task ExpiredFilesScenarioAsync(
        MongoCatalog catalog, ObjectStorage storage, string provider, string bucket, string foreignBucket, Func<string, Task<bool>> exists)
    {
        var ct = TestContext.Current.CancellationToken;
        var workspace = Guid.NewGuid();
        var files = new Dictionary<string, (BsonDocument Document, string[] Objects)>();
        foreach (var (name, expiresAt, deletedAt, fileBucket) in new (string, DateTime?, DateTime?, string)[]
        {
            ("expired", Now.UtcDateTime.AddHours(-1), null, bucket),
            ("expiring", Now.UtcDateTime.AddMinutes(5), null, bucket),
            ("tomorrow", Now.UtcDateTime.AddDays(1), null, bucket),
            ("deleted-long-ago", null, Now.UtcDateTime.AddDays(-40), bucket),
            ("deleted-recently", null, Now.UtcDateTime.AddDays(-5), bucket),
            ("permanent", null, null, bucket),
            ("foreign", Now.UtcDateTime.AddHours(-2), null, foreignBucket),
        })
        {
            var fileId = Guid.NewGuid();
            var key = $"workspaces/{workspace}/files/{name}.png";
            var derivatives = storage.Options.Derivatives;
            var thumbnail = $"{derivatives.Prefix}/{workspace}/{fileId}.thumbnail.webp";
            var document = new BsonDocument
            {
                { "fileId", new BsonBinaryData(fileId, GuidRepresentation.Standard) },
                { "workspaceId", new BsonBinaryData(workspace, GuidRepresentation.Standard) },
                { "filename", $"{name}.png" },
                { "storage", new BsonDocument { { "provider", provider }, { "bucket", fileBucket }, { "key", key } } },
                { "processing", new BsonDocument("derivatives", new BsonArray
                    {
                        new BsonDocument { { "size", "thumbnail" }, { "provider", derivatives.Provider }, { "bucket", derivatives.Bucket }, { "key", thumbnail } },
                    }) },
                { "deleted", deletedAt is not null },
                { "deletedAt", deletedAt is { } d ? d : BsonNull.Value },
                { "createdAt", Now.UtcDateTime.AddDays(-60) },
                { "expiresAt", expiresAt is { } e ? e : BsonNull.Value },
            };
            await catalog.Files.InsertOneAsync(document, cancellationToken: ct);
            var original = new ObjectLocation(provider, fileBucket, key);
            var derivative = new ObjectLocation(derivatives.Provider, derivatives.Bucket, thumbnail);
            foreach (var location in new[] { original, derivative })
            {
                using var content = new MemoryStream([1, 2, 3]);
                await storage.For(location.Provider).PutAsync(location, content, "application/octet-stream", ct);
            }

            files[name] = (document, [$"{fileBucket}/{key}", $"{derivatives.Bucket}/{thumbnail}"]);
        }

        var job = new ExpiredFilesJob(catalog, storage, Settings(), _time);
        var context = Context(ExpiredFilesJob.Name);
        await job.RunAsync(context, ct);

        string[] gone = ["expired", "deleted-long-ago"];
        foreach (var (name, (document, objects)) in files)
        {
            var stored = await catalog.Files.Find(new BsonDocument("_id", document["_id"])).FirstOrDefaultAsync(ct);
            Assert.Equal(!gone.Contains(name), stored is not null);
            foreach (var key in objects)
            {
                Assert.Equal(!gone.Contains(name), await exists(key));
            }
        }

        var expiring = await catalog.Files.Find(new BsonDocument("_id", files["expiring"].Document["_id"])).SingleAsync(ct);
        Assert.False(expiring.Contains("expiresAt")); // claimed: out of the TTL monitor's reach
        Assert.Equal(new BsonDateTime(Now.UtcDateTime.AddMinutes(5)), expiring["housekeeping"]["dueAt"]);
        var foreign = await catalog.Files.Find(new BsonDocument("_id", files["foreign"].Document["_id"])).SingleAsync(ct);
        Assert.Contains(foreignBucket, foreign["housekeeping"]["refused"].AsString, StringComparison.Ordinal);
        Assert.Equal((4L, 2L, 1L), (context.Counts["claimed"], context.Counts["filesDeleted"], context.Counts["refused"]));

        // Ten minutes later the claimed file is due and goes; the refused one stays for an operator.
        _time.Advance(TimeSpan.FromMinutes(10));
        await job.RunAsync(Context(ExpiredFilesJob.Name), ct);
        Assert.Null(await catalog.Files.Find(new BsonDocument("_id", files["expiring"].Document["_id"])).FirstOrDefaultAsync(ct));
        foreach (var key in files["expiring"].Objects)
        {
            Assert.False(await exists(key));
        }

        foreach (var key in files["foreign"].Objects)
        {
            Assert.True(await exists(key));
        }
    }

    private sealed record MessageData(List<BsonValue> Old, List<BsonValue> Recent, List<BsonValue> Live, BsonValue ReaderOfOld);

    /// <summary>Messages soft-deleted 40 days ago (old), 5 days ago (recent) and live, each with a reaction, a moderation result and a pair.</summary>
    private static async Task<MessageData> MessagesAsync(MongoCatalog catalog, int old, int recent, int live, CancellationToken ct)
    {
        var channel = new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard);
        var data = new MessageData([], [], [], new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard));
        var groups = new (List<BsonValue> Ids, int Count, DateTime? DeletedAt)[]
        {
            (data.Old, old, Now.UtcDateTime.AddDays(-40)), (data.Recent, recent, Now.UtcDateTime.AddDays(-5)), (data.Live, live, null),
        };
        foreach (var (ids, count, deletedAt) in groups)
        {
            for (var i = 0; i < count; i++)
            {
                var id = ObjectId.GenerateNewId();
                ids.Add(id);
                await catalog.Messages.InsertOneAsync(new BsonDocument
                {
                    { "_id", id }, { "channelId", channel }, { "content", "hello" },
                    { "deleted", deletedAt is not null }, { "deletedAt", deletedAt is { } d ? d.AddMinutes(i) : BsonNull.Value },
                }, cancellationToken: ct);
                await catalog.Reactions.InsertOneAsync(new BsonDocument { { "messageId", id }, { "emoji", "heart" } }, cancellationToken: ct);
                await catalog.AutoModResults.InsertOneAsync(new BsonDocument { { "messageId", id }, { "overallScore", 0.1 } }, cancellationToken: ct);
            }
        }

        var pairs = new List<BsonDocument>();
        if (data.Old.Count > 0)
        {
            pairs.Add(new BsonDocument { { "_id", "pair-old" }, { "messageIds", new BsonArray(data.Live.Take(1).Append(data.Old[0])) } });
        }

        if (data.Live.Count > 0)
        {
            pairs.Add(new BsonDocument { { "_id", "pair-live" }, { "messageIds", new BsonArray(data.Live) } });
        }

        await catalog.ReplyPairs.InsertManyAsync(pairs, cancellationToken: ct);
        await catalog.ReadReceipts.InsertManyAsync(
        [
            Receipt(channel, data.ReaderOfOld, data.Old.FirstOrDefault() ?? BsonNull.Value),
            Receipt(channel, new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard), data.Live[0]),
            Receipt(new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard), new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard), data.Live[0]),
        ], cancellationToken: ct);
        return data;
    }

    private static BsonDocument Receipt(BsonValue channel, BsonValue user, BsonValue lastRead) => new()
    {
        { "channelId", channel }, { "userId", user }, { "lastReadMessageId", lastRead }, { "lastReadAt", Now.UtcDateTime.AddDays(-40) }, { "unreadCount", 4 },
    };

    private ObjectStorage LocalStorage()
    {
        var options = StorageOptions("local", "files", "derivatives");
        options.Providers["local"] = new StorageProviderSettings { Root = _root };
        return new ObjectStorage(new Dictionary<string, IObjectStore> { ["local"] = new LocalDirectoryObjectStore(_root) }, options);
    }

    private static ObjectStorageOptions StorageOptions(string provider, string originals, string derivatives)
    {
        var options = new ObjectStorageOptions
        {
            Derivatives = new StorageTarget { Provider = provider, Bucket = derivatives, Prefix = "thumbs" },
            Quarantine = new StorageTarget { Provider = provider, Bucket = derivatives, Prefix = "quarantine" },
        };
        options.AllowedBuckets[provider] = [originals];
        return options;
    }

    private static IOptions<HousekeepingOptions> Settings(Action<HousekeepingOptions>? configure = null)
    {
        var options = new HousekeepingOptions();
        configure?.Invoke(options);
        return Options.Create(options);
    }

    private static JobRunContext Context(string job) =>
        new(Guid.CreateVersion7(), job, JobRunTrigger.Cli, default, null, new ConfigurationBuilder().Build(), NullLogger.Instance);

    private static async Task<List<BsonValue>> Ids(IMongoCollection<BsonDocument> collection, CancellationToken ct) =>
        await Values(collection, "_id", ct);

    private static async Task<List<BsonValue>> Values(IMongoCollection<BsonDocument> collection, string field, CancellationToken ct) =>
        [.. (await collection.WithReadPreference(ReadPreference.Primary).Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct)).Select(d => d[field])];

    private static async Task<BsonDocument> Index(IMongoCollection<BsonDocument> collection, string name, CancellationToken ct)
    {
        using var cursor = await collection.Indexes.ListAsync(ct);
        return (await cursor.ToListAsync(ct)).Single(index => index["name"] == name);
    }

    /// <summary>ObjectStorage.Create resolves services only for GridFS, which these tests do not configure.</summary>
    private sealed class ServiceProviderStub : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
