using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Files.Tests.Documents;

/// <summary>
/// What every <see cref="IFileDocumentStore"/> does, on documents seeded raw as the file-service writes them (explicit
/// nulls, ids of other BSON types): run against the in-memory double always and against MongoDB on the real lane.
/// </summary>
public abstract class FileDocumentStoreSpecification
{
    private static readonly DateTimeOffset T0 = FileDocumentSamples.T0;

    /// <summary>A store over an empty <c>QuikApp_files.files</c> (with its indexes, where it has any).</summary>
    protected abstract Task<IFileDocumentStore> CreateAsync();

    /// <summary>Inserts a raw upstream document, as the file-service (or the seed) would.</summary>
    protected abstract Task SeedAsync(BsonDocument raw);

    /// <summary>The stored document of <paramref name="fileId"/>, as a query without projection returns it.</summary>
    protected abstract Task<BsonDocument?> RawAsync(Guid fileId);

    /// <summary>Waits for (MongoDB) or runs (the double) one pass of the TTL monitor that deletes <paramref name="expired"/>.</summary>
    protected abstract Task TtlMonitorPassAsync(Guid expired);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task TtlMonitor_FilePastExpiresAtAndTheBackstop_IsDeletedOnItsOwn_AnExpiredFileWithinTheBackstopStays()
    {
        // The TTL on expiresAt is a backstop days after the date: a file housekeeping has not claimed yet must still be
        // there for it (issue 11, defect 1). Null and non-date values never expire.
        var store = await CreateAsync();
        var now = DateTimeOffset.UtcNow;
        var (gone, expiredRecently, never, stringDate) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        foreach (var (id, expiresAt) in new (Guid, BsonValue)[]
                 {
                     (gone, now.AddDays(-8).UtcDateTime), (expiredRecently, now.AddHours(-1).UtcDateTime),
                     (never, BsonNull.Value), (stringDate, "2020-01-01T00:00:00Z"),
                 })
        {
            var document = FileDocumentSamples.Seed(id, T0);
            document["expiresAt"] = expiresAt;
            await SeedAsync(document);
        }

        await TtlMonitorPassAsync(gone);

        var found = await store.ReadAsync([gone, expiredRecently, never, stringDate], Ct);
        Assert.Equal(new[] { expiredRecently, never, stringDate }.Order(), found.Keys.Order());
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_SeededDocuments_FindsThemByUuid_NeverAStringFileIdOrAMissingOne()
    {
        var store = await CreateAsync();
        var (uuid, stringly, missing) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SeedAsync(FileDocumentSamples.Seed(uuid, T0));
        var stringId = FileDocumentSamples.Seed(stringly, T0);
        stringId["fileId"] = stringly.ToString();
        await SeedAsync(stringId);

        var found = await store.ReadAsync([uuid, stringly, missing], Ct);

        Assert.Equal([uuid], found.Keys);
        Assert.Equal(("pending", "application/pdf"), (found[uuid].ScanStatus, found[uuid].MimeType));
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteOutcomesAsync_SeedDocuments_WritesTheOutcome_AndNothingRegressesAFinishedDeletedOrMissingOne()
    {
        var store = await CreateAsync();
        var (done, failed, deleted, missing) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SeedAsync(FileDocumentSamples.Seed(done, T0));
        await SeedAsync(FileDocumentSamples.Seed(failed, T0));
        await SeedAsync(FileDocumentSamples.Seed(deleted, T0, deleted: true));

        var first = await store.WriteOutcomesAsync([
            FileDocumentSamples.Record(done, ProcessingStatus.Done), FileDocumentSamples.Record(failed, ProcessingStatus.Failed, retryAfter: T0.AddMinutes(15)),
            FileDocumentSamples.Record(deleted, ProcessingStatus.Done), FileDocumentSamples.Record(missing, ProcessingStatus.Done)], Ct);
        var late = await store.WriteOutcomesAsync([
            FileDocumentSamples.Record(done, ProcessingStatus.Failed, 2), FileDocumentSamples.Record(failed, ProcessingStatus.Done, 2)], Ct);

        Assert.Equal([true, true, false, false], first);
        Assert.Equal([false, true], late);
        var stored = await store.ReadAsync([done, failed, deleted, missing], Ct);
        Assert.Equal(3, stored.Count);
        Assert.Equal(("clean", "done", 1), (stored[done].ScanStatus, stored[done].Processing!.Status, stored[done].Processing!.Attempts));
        Assert.Equal(new FileMediaMetadata(800, 600, null, null), stored[done].Metadata);
        Assert.Equal(("clean", "done", 2), (stored[failed].ScanStatus, stored[failed].Processing!.Status, stored[failed].Processing!.Attempts));
        Assert.Null(stored[failed].Processing!.RetryAfter);
        Assert.Equal("pending", stored[deleted].ScanStatus);
        Assert.Null(await RawAsync(missing));
        var raw = (await RawAsync(done))!;
        Assert.Equal("https://cdn.quikapp.dev/files/x", raw["urls"]["original"].AsString);
        Assert.Equal($"https://cdn.quikapp.dev/thumbs/{FileDocumentSamples.Workspace}/{done}.thumbnail.webp", raw["urls"]["thumbnail"].AsString);
        Assert.Equal("document.pdf", raw["filename"].AsString);
        Assert.False(raw["processing"].AsBsonDocument.Contains("retryAfter"));
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteOutcomesAsync_NullParents_WritesTheOutcome_AndTheRestOfTheBatch()
    {
        // The seed writes explicit nulls: a dotted $set through any of them would fail with error 28 and poison the batch.
        var store = await CreateAsync();
        var (nulls, clean) = (Guid.NewGuid(), Guid.NewGuid());
        var raw = FileDocumentSamples.Seed(nulls, T0);
        raw["urls"] = BsonNull.Value;
        raw["metadata"] = BsonNull.Value;
        raw["virusScan"] = BsonNull.Value;
        raw["processing"] = BsonNull.Value;
        await SeedAsync(raw);
        await SeedAsync(FileDocumentSamples.Seed(clean, T0));

        var applied = await store.WriteOutcomesAsync([FileDocumentSamples.Record(nulls, ProcessingStatus.Done), FileDocumentSamples.Record(clean, ProcessingStatus.Done)], Ct);

        Assert.Equal([true, true], applied);
        var stored = (await RawAsync(nulls))!;
        Assert.Equal(new BsonDocument("thumbnail", $"https://cdn.quikapp.dev/thumbs/{FileDocumentSamples.Workspace}/{nulls}.thumbnail.webp"), stored["urls"]);
        Assert.Equal("done", stored["processing"]["status"].AsString);
        Assert.Equal("clean", stored["virusScan"]["status"].AsString);
        Assert.Equal(800, stored["metadata"]["width"].AsInt32);
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteOutcomesAsync_ValuesStartingWithADollar_AreStoredAsText()
    {
        // An update pipeline reads "$x" as a field path: every value the worker writes must go in as a literal.
        var store = await CreateAsync();
        var fileId = Guid.NewGuid();
        await SeedAsync(FileDocumentSamples.Seed(fileId, T0));
        var record = FileDocumentSamples.Record(fileId, ProcessingStatus.Failed, retryAfter: T0.AddMinutes(5));
        record = record with { Outcome = record.Outcome with { Reason = "$urls", Notes = ["$createdAt"] } };

        Assert.Equal([true], await store.WriteOutcomesAsync([record], Ct));

        var stored = (await RawAsync(fileId))!;
        Assert.Equal("$urls", stored["processing"]["reason"].AsString);
        Assert.Equal(new BsonArray { "$createdAt" }, stored["processing"]["notes"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteOutcomesAsync_TheSameRecordRedelivered_ReportsItStored_AndWritesNothingNew()
    {
        var store = await CreateAsync();
        var fileId = Guid.NewGuid();
        await SeedAsync(FileDocumentSamples.Seed(fileId, T0));
        var record = FileDocumentSamples.Record(fileId, ProcessingStatus.Done);
        await store.WriteOutcomesAsync([record], Ct);
        await store.MarkPublishedAsync([record], Ct);

        var again = await store.WriteOutcomesAsync([record], Ct);

        Assert.Equal([true], again);
        Assert.True((await store.ReadAsync([fileId], Ct))[fileId].Processing!.Published);
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteOutcomesAsync_SubMillisecondTimes_AreStoredToTheMillisecond_AndComparedAsStored()
    {
        var store = await CreateAsync();
        var fileId = Guid.NewGuid();
        await SeedAsync(FileDocumentSamples.Seed(fileId, T0));
        var processedAt = T0.AddTicks(7_000); // 0.7 ms
        var record = FileDocumentSamples.Record(fileId, ProcessingStatus.Failed, retryAfter: T0.AddMinutes(1).AddTicks(9_999)) with { ProcessedAt = processedAt };

        await store.WriteOutcomesAsync([record], Ct);

        var processing = (await store.ReadAsync([fileId], Ct))[fileId].Processing!;
        Assert.Equal(T0, processing.ProcessedAt);
        Assert.Equal(T0.AddMinutes(1), processing.RetryAfter);
        // processedAt 0.7 ms is stored as T0, and writtenBefore 0.9 ms is sent as T0: T0 < T0 is false on the server.
        Assert.Empty(await store.FindUnpublishedAsync(T0.AddTicks(9_000), 10, Ct));
        Assert.Single(await store.FindUnpublishedAsync(T0.AddMilliseconds(1), 10, Ct));
        // retryAfter 1 min + 0.9999 ms is stored as 1 min: due at exactly 1 min.
        Assert.Equal([fileId], (await store.FindStuckAsync(T0.AddHours(-1), T0.AddMinutes(1), 10, Ct)).Select(d => d.FileId));
    }

    [Fact(Timeout = 60_000)]
    public async Task MarkPublishedAsync_MarksOnlyTheStoredAttempt()
    {
        var store = await CreateAsync();
        var fileId = Guid.NewGuid();
        await SeedAsync(FileDocumentSamples.Seed(fileId, T0));
        var first = FileDocumentSamples.Record(fileId, ProcessingStatus.Failed, 1, retryAfter: T0);
        var second = FileDocumentSamples.Record(fileId, ProcessingStatus.Failed, 2, retryAfter: T0);
        await store.WriteOutcomesAsync([first], Ct);
        await store.WriteOutcomesAsync([second], Ct);

        await store.MarkPublishedAsync([first], Ct);
        var afterTheOlderAttempt = (await store.ReadAsync([fileId], Ct))[fileId].Processing!.Published;
        await store.MarkPublishedAsync([second, FileDocumentSamples.Record(Guid.NewGuid(), ProcessingStatus.Done)], Ct);

        Assert.False(afterTheOlderAttempt);
        Assert.True((await store.ReadAsync([fileId], Ct))[fileId].Processing!.Published);
    }

    [Fact(Timeout = 60_000)]
    public async Task MarkDerivativesDeletedAsync_ProcessedAndNullParents_ClearsTheDerivatives_AndKeepsTheFirstTime()
    {
        var store = await CreateAsync();
        var (processed, nulls) = (Guid.NewGuid(), Guid.NewGuid());
        await SeedAsync(FileDocumentSamples.Seed(processed, T0));
        var raw = FileDocumentSamples.Seed(nulls, T0, deleted: true);
        raw["urls"] = BsonNull.Value;
        raw["processing"] = BsonNull.Value;
        await SeedAsync(raw);
        await store.WriteOutcomesAsync([FileDocumentSamples.Record(processed, ProcessingStatus.Done)], Ct);

        await store.MarkDerivativesDeletedAsync([new DerivativeDeletion(processed, T0.AddHours(2)), new DerivativeDeletion(nulls, T0.AddHours(2))], Ct);
        await store.MarkDerivativesDeletedAsync([new DerivativeDeletion(processed, T0.AddHours(3)), new DerivativeDeletion(Guid.NewGuid(), T0)], Ct);

        foreach (var fileId in new[] { processed, nulls })
        {
            var stored = (await RawAsync(fileId))!;
            Assert.Equal(BsonNull.Value, stored["urls"]["thumbnail"]);
            Assert.Empty(stored["processing"]["derivatives"].AsBsonArray);
            Assert.Equal(T0.AddHours(2).UtcDateTime, stored["processing"]["derivativesDeletedAt"].ToUniversalTime());
        }

        Assert.Equal("https://cdn.quikapp.dev/files/x", (await RawAsync(processed))!["urls"]["original"].AsString);
        Assert.Equal("done", (await RawAsync(processed))!["processing"]["status"].AsString);
    }

    [Fact(Timeout = 60_000)]
    public async Task FindStuckAsync_PendingOldOnesFirst_ThenDueRetries_NeverDeletedYoungOrNotYetDue()
    {
        var store = await CreateAsync();
        var (old, older, young, gone, due, notDue, gaveUp) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        foreach (var (id, createdAt, deleted) in new[]
        {
            (old, T0.AddMinutes(-20), false), (older, T0.AddMinutes(-40), false), (young, T0.AddMinutes(-5), false), (gone, T0.AddHours(-2), true),
            (due, T0.AddHours(-3), false), (notDue, T0.AddHours(-3), false), (gaveUp, T0.AddHours(-3), false),
        })
        {
            await SeedAsync(FileDocumentSamples.Seed(id, createdAt, deleted));
        }

        await store.WriteOutcomesAsync([
            FileDocumentSamples.Record(due, ProcessingStatus.Failed, retryAfter: T0.AddMinutes(-1)),
            FileDocumentSamples.Record(notDue, ProcessingStatus.Failed, retryAfter: T0.AddMinutes(10)),
            FileDocumentSamples.Record(gaveUp, ProcessingStatus.Failed, 5, retryAfter: null)], Ct);

        var stuck = await store.FindStuckAsync(T0.AddMinutes(-15), T0, 10, Ct);
        var limited = await store.FindStuckAsync(T0.AddMinutes(-15), T0, 1, Ct);
        var pendingThenDue = await store.FindStuckAsync(T0.AddMinutes(-15), T0, 3, Ct);

        Assert.Equal([older, old, due], stuck.Select(d => d.FileId));
        Assert.Equal([older], limited.Select(d => d.FileId));
        Assert.Equal([older, old, due], pendingThenDue.Select(d => d.FileId));
    }

    [Fact(Timeout = 60_000)]
    public async Task FindStuckAsync_VirusScanMissingNullOrWithoutStatus_IsPending_UnlessDeleted()
    {
        // Decision (docs/files.md): a document without a scan status was never scanned, so the sweeper scans it.
        var store = await CreateAsync();
        var (missing, nullScan, noStatus, deletedNull) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var raws = new[] { FileDocumentSamples.Seed(missing, T0.AddHours(-4)), FileDocumentSamples.Seed(nullScan, T0.AddHours(-3)),
            FileDocumentSamples.Seed(noStatus, T0.AddHours(-2)), FileDocumentSamples.Seed(deletedNull, T0.AddHours(-5), deleted: true) };
        raws[0].Remove("virusScan");
        raws[1]["virusScan"] = BsonNull.Value;
        raws[2]["virusScan"] = new BsonDocument("scannedAt", BsonNull.Value);
        raws[3]["virusScan"] = BsonNull.Value;
        foreach (var raw in raws)
        {
            await SeedAsync(raw);
        }

        var stuck = await store.FindStuckAsync(T0.AddMinutes(-15), T0, 10, Ct);

        Assert.Equal([missing, nullScan, noStatus], stuck.Select(d => d.FileId));
        Assert.All(stuck, d => Assert.Equal("pending", d.ScanStatus));
    }

    [Fact(Timeout = 60_000)]
    public async Task FindStuckAsync_ScannedButNeverProcessed_IsNotPending()
    {
        // A status the file-service (or an older worker) wrote is the scan's answer: only "pending" or none means unscanned.
        var store = await CreateAsync();
        var fileId = Guid.NewGuid();
        var raw = FileDocumentSamples.Seed(fileId, T0.AddHours(-4));
        raw["virusScan"] = new BsonDocument { { "status", "clean" }, { "scannedAt", T0.AddHours(-4).UtcDateTime } };
        await SeedAsync(raw);

        Assert.Empty(await store.FindStuckAsync(T0.AddMinutes(-15), T0, 10, Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task FindUnpublishedAsync_FindsOnlyUnpublishedOutcomesWrittenBefore()
    {
        var store = await CreateAsync();
        var (published, unpublished, never) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in new[] { published, unpublished, never })
        {
            await SeedAsync(FileDocumentSamples.Seed(id, T0));
        }

        var record = FileDocumentSamples.Record(published, ProcessingStatus.Done);
        await store.WriteOutcomesAsync([record, FileDocumentSamples.Record(unpublished, ProcessingStatus.Done)], Ct);
        await store.MarkPublishedAsync([record], Ct);

        var found = await store.FindUnpublishedAsync(T0.AddHours(1), 10, Ct);
        var tooEarly = await store.FindUnpublishedAsync(T0, 10, Ct);

        Assert.Equal([unpublished], found.Select(d => d.FileId));
        Assert.Empty(tooEarly);
    }
}

/// <summary>The specification against the in-memory double (runs everywhere).</summary>
public sealed class InMemoryFileDocumentStoreSpecification : FileDocumentStoreSpecification
{
    private readonly InMemoryFileDocumentStore _store = new();

    protected override Task<IFileDocumentStore> CreateAsync() => Task.FromResult<IFileDocumentStore>(_store);

    protected override Task SeedAsync(BsonDocument raw)
    {
        _store.SeedRaw(raw);
        return Task.CompletedTask;
    }

    protected override Task<BsonDocument?> RawAsync(Guid fileId) => Task.FromResult(_store.Raw(fileId));

    protected override Task TtlMonitorPassAsync(Guid expired)
    {
        _store.RunTtlMonitor(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(MongoIndexCatalog.FilesExpiryBackstopSeconds));
        return Task.CompletedTask;
    }
}

/// <summary>The specification against MongoDB 7 (the real lane), over a database with the seed's indexes already there.</summary>
public sealed class MongoFileDocumentStoreSpecification(MongoTestLane lane) : FileDocumentStoreSpecification
{
    private IMongoCollection<BsonDocument>? _files;

    protected override async Task<IFileDocumentStore> CreateAsync()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        _files = catalog.Files;
        // The file-service created its indexes first (the seed's, default names); the worker's bootstrap meets them.
        await _files.Indexes.CreateManyAsync([
            new CreateIndexModel<BsonDocument>(new BsonDocument("fileId", 1), new CreateIndexOptions { Unique = true }),
            new CreateIndexModel<BsonDocument>(new BsonDocument { { "workspaceId", 1 }, { "createdAt", -1 } }),
            new CreateIndexModel<BsonDocument>(new BsonDocument("uploadedBy", 1))], ct);
        var bootstrapper = new MongoIndexBootstrapper(catalog, Microsoft.Extensions.Logging.Abstractions.NullLogger<MongoIndexBootstrapper>.Instance);
        await bootstrapper.EnsureAsync([IndexOwner.Files], ct);
        return new MongoFileDocumentStore(catalog);
    }

    protected override Task SeedAsync(BsonDocument raw) => _files!.InsertOneAsync(raw.DeepClone().AsBsonDocument, cancellationToken: TestContext.Current.CancellationToken);

    protected override async Task<BsonDocument?> RawAsync(Guid fileId) =>
        await _files!.Find(new BsonDocument("fileId", new BsonBinaryData(fileId, GuidRepresentation.Standard)))
            .FirstOrDefaultAsync(TestContext.Current.CancellationToken);

    protected override async Task TtlMonitorPassAsync(Guid expired)
    {
        // The server's monitor runs every 60 s (ttlMonitorSleepSecs); give it two passes and a margin.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while (await RawAsync(expired) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the TTL monitor did not delete the file past its backstop within 150 s");
            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        }
    }
}
