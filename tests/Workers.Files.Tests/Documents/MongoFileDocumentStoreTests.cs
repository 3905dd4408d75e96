using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Sniffing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Files.Tests.Documents;

/// <summary>
/// The file document store: the rendered commands and the parser (run here), and their behaviour on a real MongoDB 7 (the
/// real-MongoDB lane, skipped with its reason where none is reachable).
/// </summary>
public sealed class MongoFileDocumentStoreTests(MongoTestLane lane)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 30, 0, TimeSpan.Zero);
    private static readonly Guid Workspace = Guid.Parse("0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a");

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) =>
        filter.Render(new RenderArgs<BsonDocument>(MongoDB.Bson.Serialization.BsonSerializer.LookupSerializer<BsonDocument>(),
            MongoDB.Bson.Serialization.BsonSerializer.SerializerRegistry));

    private static BsonDocument Render(UpdateDefinition<BsonDocument> update) =>
        update.Render(new RenderArgs<BsonDocument>(MongoDB.Bson.Serialization.BsonSerializer.LookupSerializer<BsonDocument>(),
            MongoDB.Bson.Serialization.BsonSerializer.SerializerRegistry)).AsBsonDocument;

    /// <summary>A document as the file-service writes it (the seed's QuikApp_files.files), pending a scan.</summary>
    private static BsonDocument SeedDocument(Guid fileId, DateTimeOffset createdAt, bool deleted = false) => new()
    {
        { "fileId", Uuid(fileId) },
        { "workspaceId", Uuid(Workspace) },
        { "uploadedBy", Uuid(Guid.NewGuid()) },
        { "filename", "document.pdf" },
        { "originalFilename", "My Document.pdf" },
        { "mimeType", "application/pdf" },
        { "size", 1024000 },
        { "storage", new BsonDocument { { "provider", "s3" }, { "bucket", "quikapp-files" }, { "key", $"workspaces/{Workspace}/files/{fileId}.pdf" }, { "region", "us-east-1" } } },
        { "urls", new BsonDocument { { "original", "https://cdn.quikapp.dev/files/x" }, { "thumbnail", BsonNull.Value } } },
        { "metadata", new BsonDocument { { "width", BsonNull.Value }, { "height", BsonNull.Value }, { "duration", BsonNull.Value }, { "pages", 10 } } },
        { "virusScan", new BsonDocument { { "status", "pending" }, { "scannedAt", BsonNull.Value } } },
        { "deleted", deleted },
        { "deletedAt", BsonNull.Value },
        { "createdAt", createdAt.UtcDateTime },
        { "expiresAt", BsonNull.Value },
    };

    private static FileOutcomeRecord Record(Guid fileId, ProcessingStatus status, int attempt = 1, Guid? eventId = null, DateTimeOffset? retryAfter = null)
    {
        var scan = status switch
        {
            ProcessingStatus.Done => new ScanVerdict(FileScanStatus.Clean, null, null, "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026", T0),
            ProcessingStatus.Skipped => new ScanVerdict(FileScanStatus.Infected, "Eicar-Signature", null, "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026", T0),
            _ => new ScanVerdict(FileScanStatus.Error, null, "timed out: no verdict within 60 s", "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026", T0),
        };
        var thumbnail = new StoredDerivative("thumbnail", new ObjectLocation("s3", "quikapp-derivatives", $"thumbs/{Workspace}/{fileId}.thumbnail.webp"), 360, 270);
        var outcome = new FileOutcome(
            fileId, Workspace, scan,
            status == ProcessingStatus.Failed ? null : new SniffedType(FileKind.Image, "image/png", ".png"),
            status == ProcessingStatus.Done ? new FileMediaMetadata(800, 600, null, null) : new FileMediaMetadata(null, null, null, null),
            ["a note"],
            status == ProcessingStatus.Done ? [thumbnail] : [],
            status == ProcessingStatus.Done ? $"https://cdn.quikapp.dev/{thumbnail.Location.Key}" : null,
            status == ProcessingStatus.Skipped ? new ObjectLocation("s3", "quikapp-quarantine", "quarantine/s3/quikapp-files/x.png") : null,
            status,
            status == ProcessingStatus.Failed ? "timed out: no verdict within 60 s" : null,
            null,
            StageTimings.None);
        return new FileOutcomeRecord(outcome, attempt, eventId ?? Guid.NewGuid(), T0.AddSeconds(5), retryAfter);
    }

    [Fact]
    public void OutcomeModel_Filter_MatchesOnlyAnUnfinishedUndeletedDocument_AndNeverUpserts()
    {
        var fileId = Guid.NewGuid();

        var model = MongoFileDocumentStore.OutcomeModel(Record(fileId, ProcessingStatus.Done));

        Assert.False(model.IsUpsert);
        Assert.Equal(new BsonDocument
        {
            { "fileId", Uuid(fileId) },
            { "processing.status", new BsonDocument("$nin", new BsonArray { "done", "skipped" }) },
            { "deleted", new BsonDocument("$ne", true) },
        }, Render(model.Filter));
    }

    [Fact]
    public void OutcomeModel_Done_SetsTheScanThumbnailMetadataAndProcessing_AndUnsetsTheRetry()
    {
        var fileId = Guid.NewGuid();
        var eventId = Guid.NewGuid();

        var update = Render(MongoFileDocumentStore.OutcomeModel(Record(fileId, ProcessingStatus.Done, 2, eventId)).Update);

        var set = update["$set"].AsBsonDocument;
        Assert.Equal(new BsonDocument
        {
            { "status", "clean" }, { "signature", BsonNull.Value }, { "engine", "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026" },
            { "scannedAt", T0.UtcDateTime }, { "reason", BsonNull.Value },
        }, set["virusScan"]);
        Assert.Equal($"https://cdn.quikapp.dev/thumbs/{Workspace}/{fileId}.thumbnail.webp", set["urls.thumbnail"].AsString);
        Assert.Equal(new BsonDocument { { "width", 800 }, { "height", 600 }, { "duration", BsonNull.Value }, { "pages", BsonNull.Value } }, set["metadata"]);
        Assert.Equal("done", set["processing.status"].AsString);
        Assert.Equal("image/png", set["processing.sniffedType"].AsString);
        Assert.Equal(new BsonDocument
        {
            { "size", "thumbnail" }, { "provider", "s3" }, { "bucket", "quikapp-derivatives" },
            { "key", $"thumbs/{Workspace}/{fileId}.thumbnail.webp" }, { "width", 360 }, { "height", 270 },
        }, set["processing.derivatives"][0]);
        Assert.Equal(2, set["processing.attempts"].AsInt32);
        Assert.Equal(Uuid(eventId), set["processing.eventId"]);
        Assert.False(set["processing.published"].AsBoolean);
        Assert.Equal(T0.AddSeconds(5).UtcDateTime, set["processing.processedAt"].ToUniversalTime());
        Assert.Equal(new BsonDocument("processing.retryAfter", ""), update["$unset"]);
        // Dotted and whole-document paths must not overlap, or MongoDB refuses the update (a path conflict).
        Assert.DoesNotContain(set.Names, name => name is "urls" or "processing");
    }

    [Fact]
    public void OutcomeModel_FailedWithARetry_SetsRetryAfter_AndLeavesTheFileServicesMetadataAlone()
    {
        var update = Render(MongoFileDocumentStore.OutcomeModel(Record(Guid.NewGuid(), ProcessingStatus.Failed, retryAfter: T0.AddMinutes(15))).Update);

        var set = update["$set"].AsBsonDocument;
        Assert.Equal("error", set["virusScan"]["status"].AsString);
        Assert.Equal("timed out: no verdict within 60 s", set["virusScan"]["reason"].AsString);
        Assert.Equal(T0.AddMinutes(15).UtcDateTime, set["processing.retryAfter"].ToUniversalTime());
        Assert.False(set.Contains("metadata"));
        Assert.False(update.Contains("$unset"));
        Assert.Equal(BsonNull.Value, set["urls.thumbnail"]);
    }

    [Fact]
    public void OutcomeModel_Infected_RecordsTheSignatureAndWhereTheOriginalWent()
    {
        var set = Render(MongoFileDocumentStore.OutcomeModel(Record(Guid.NewGuid(), ProcessingStatus.Skipped)).Update)["$set"].AsBsonDocument;

        Assert.Equal(("infected", "Eicar-Signature"), (set["virusScan"]["status"].AsString, set["virusScan"]["signature"].AsString));
        Assert.Equal("skipped", set["processing.status"].AsString);
        Assert.Equal(new BsonDocument { { "provider", "s3" }, { "bucket", "quikapp-quarantine" }, { "key", "quarantine/s3/quikapp-files/x.png" } },
            set["processing.quarantinedTo"]);
    }

    [Fact]
    public void PublishedAndDeletionModels_TouchOnlyTheirOwnWrite_AndKeepTheFirstDeletionTime()
    {
        var record = Record(Guid.NewGuid(), ProcessingStatus.Done, 3);
        var published = MongoFileDocumentStore.PublishedModel(record);
        var deletion = MongoFileDocumentStore.DeletionModel(new DerivativeDeletion(record.FileId, T0));

        Assert.Equal(new BsonDocument { { "fileId", Uuid(record.FileId) }, { "processing.eventId", Uuid(record.EventId) }, { "processing.attempts", 3 } },
            Render(published.Filter));
        Assert.Equal(new BsonDocument("$set", new BsonDocument("processing.published", true)), Render(published.Update));
        var update = Render(deletion.Update);
        Assert.Equal(new BsonDocument { { "urls.thumbnail", BsonNull.Value }, { "processing.derivatives", new BsonArray() } }, update["$set"]);
        Assert.Equal(new BsonDocument("processing.derivativesDeletedAt", T0.UtcDateTime), update["$min"]);
    }

    [Fact]
    public void SweeperFilters_EachCarryTheirIndexesLeadingFieldAndPartialFilter()
    {
        var files = MongoIndexCatalog.OwnedBy([IndexOwner.Files]).Where(i => i.Collection == MongoCatalog.Collections.Files).ToList();

        var pending = MongoFileDocumentStore.PendingFilter(T0);
        var due = MongoFileDocumentStore.RetryDueFilter(T0);
        var unpublished = MongoFileDocumentStore.UnpublishedFilter(T0);

        Assert.Equal("pending", pending["virusScan.status"].AsString);
        Assert.Equal(T0.UtcDateTime, pending["createdAt"]["$lt"].ToUniversalTime());
        Assert.Contains(files, i => i.Keys == new BsonDocument { { "virusScan.status", 1 }, { "createdAt", 1 } });
        var retryIndex = Assert.Single(files, i => i.Name == "processing.retryAfter_1");
        Assert.Equal(retryIndex.PartialFilterExpression!["processing.retryAfter"], new BsonDocument("$exists", true));
        Assert.True(due["processing.retryAfter"]["$exists"].AsBoolean);
        Assert.Equal(T0.UtcDateTime, due["processing.retryAfter"]["$lte"].ToUniversalTime());
        var publishedIndex = Assert.Single(files, i => i.Name == "processing.published_1");
        Assert.Equal(publishedIndex.PartialFilterExpression!["processing.published"], unpublished["processing.published"]);
        Assert.All(new[] { pending, due }, f => Assert.Equal(new BsonDocument("$ne", true), f["deleted"]));
    }

    [Fact]
    public void Parse_TheSeedsDocument_ReadsItAsPendingWithItsStorage()
    {
        var fileId = Guid.NewGuid();

        var document = MongoFileDocumentStore.Parse(SeedDocument(fileId, T0))!;

        Assert.Equal((fileId, Workspace, "application/pdf", "pending"), (document.FileId, document.WorkspaceId, document.MimeType, document.ScanStatus));
        Assert.Equal(new FileStorageLocation("s3", "quikapp-files", $"workspaces/{Workspace}/files/{fileId}.pdf", "us-east-1"), document.Storage);
        Assert.Equal(T0, document.CreatedAt);
        Assert.Equal(10, document.Metadata.Pages);
        Assert.Null(document.Processing);
        Assert.False(document.IsFinal);
    }

    [Fact]
    public void Parse_FieldsOfTheWrongTypeOrMissing_AreReadAsUnknownRatherThanThrowing()
    {
        var odd = new BsonDocument
        {
            { "fileId", Uuid(Guid.NewGuid()) },
            { "workspaceId", "not-a-uuid" },
            { "storage", "s3://somewhere" },
            { "virusScan", 42 },
            { "metadata", new BsonDocument { { "width", "wide" }, { "pages", 3L } } },
            { "processing", new BsonDocument { { "status", "done" }, { "attempts", "many" }, { "derivatives", new BsonArray { 1, new BsonDocument("key", "k") } } } },
        };

        var document = MongoFileDocumentStore.Parse(odd)!;

        Assert.Equal((Guid.Empty, "pending"), (document.WorkspaceId, document.ScanStatus));
        Assert.Null(document.Storage);
        Assert.Equal(new FileMediaMetadata(null, null, null, 3), document.Metadata);
        Assert.Equal(("done", 0), (document.Processing!.Status, document.Processing.Attempts));
        Assert.Empty(document.Processing.Derivatives);
        Assert.True(document.IsFinal);
        Assert.Null(MongoFileDocumentStore.Parse(new BsonDocument("fileId", "x")));
    }

    // --- real MongoDB lane ---

    private async Task<(MongoFileDocumentStore Store, IMongoCollection<BsonDocument> Files)> StoreAsync()
    {
        var scope = lane.Require();
        var catalog = scope.CreateCatalog();
        var bootstrapper = new MongoIndexBootstrapper(catalog, Microsoft.Extensions.Logging.Abstractions.NullLogger<MongoIndexBootstrapper>.Instance);
        await bootstrapper.EnsureAsync([IndexOwner.Files], TestContext.Current.CancellationToken);
        return (new MongoFileDocumentStore(catalog), catalog.Files);
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteOutcomesAsync_OnTheSeedsDocuments_WritesTheOutcome_AndNothingRegressesAFinishedOne()
    {
        var (store, files) = await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (done, failed, deleted, missing) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await files.InsertManyAsync([SeedDocument(done, T0), SeedDocument(failed, T0), SeedDocument(deleted, T0, deleted: true)], cancellationToken: ct);

        var first = await store.WriteOutcomesAsync([
            Record(done, ProcessingStatus.Done), Record(failed, ProcessingStatus.Failed, retryAfter: T0.AddMinutes(15)),
            Record(deleted, ProcessingStatus.Done), Record(missing, ProcessingStatus.Done)], ct);
        var late = await store.WriteOutcomesAsync([Record(done, ProcessingStatus.Failed, 2), Record(failed, ProcessingStatus.Done, 2)], ct);

        Assert.Equal([true, true, false, false], first);
        Assert.Equal([false, true], late);
        var stored = await store.ReadAsync([done, failed, deleted, missing], ct);
        Assert.Equal(3, stored.Count);
        Assert.Equal(("clean", "done", 1), (stored[done].ScanStatus, stored[done].Processing!.Status, stored[done].Processing!.Attempts));
        Assert.Equal(new FileMediaMetadata(800, 600, null, null), stored[done].Metadata);
        Assert.Equal(("clean", "done", 2), (stored[failed].ScanStatus, stored[failed].Processing!.Status, stored[failed].Processing!.Attempts));
        Assert.Null(stored[failed].Processing!.RetryAfter);
        Assert.Equal("pending", stored[deleted].ScanStatus);
        Assert.Equal(0, await files.CountDocumentsAsync(new BsonDocument("fileId", Uuid(missing)), cancellationToken: ct));
        var raw = await files.Find(new BsonDocument("fileId", Uuid(done))).SingleAsync(ct);
        Assert.Equal("https://cdn.quikapp.dev/files/x", raw["urls"]["original"].AsString);
        Assert.Equal("document.pdf", raw["filename"].AsString);
    }

    [Fact(Timeout = 60_000)]
    public async Task MarkPublishedAsync_MarksOnlyTheStoredAttempt()
    {
        var (store, files) = await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var fileId = Guid.NewGuid();
        await files.InsertOneAsync(SeedDocument(fileId, T0), cancellationToken: ct);
        var first = Record(fileId, ProcessingStatus.Failed, 1, retryAfter: T0);
        var second = Record(fileId, ProcessingStatus.Failed, 2, retryAfter: T0);
        await store.WriteOutcomesAsync([first], ct);
        await store.WriteOutcomesAsync([second], ct);

        await store.MarkPublishedAsync([first], ct);
        var afterTheOlderAttempt = (await store.ReadAsync([fileId], ct))[fileId].Processing!.Published;
        await store.MarkPublishedAsync([second], ct);

        Assert.False(afterTheOlderAttempt);
        Assert.True((await store.ReadAsync([fileId], ct))[fileId].Processing!.Published);
    }

    [Fact(Timeout = 60_000)]
    public async Task FindStuckAsync_PendingOldOnesFirst_ThenDueRetries_NeverDeletedOrNotYetDue()
    {
        var (store, files) = await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (old, older, young, gone, due, notDue, gaveUp) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await files.InsertManyAsync([
            SeedDocument(old, T0.AddMinutes(-20)), SeedDocument(older, T0.AddMinutes(-40)), SeedDocument(young, T0.AddMinutes(-5)),
            SeedDocument(gone, T0.AddHours(-2), deleted: true), SeedDocument(due, T0.AddHours(-3)), SeedDocument(notDue, T0.AddHours(-3)),
            SeedDocument(gaveUp, T0.AddHours(-3))], cancellationToken: ct);
        await store.WriteOutcomesAsync([
            Record(due, ProcessingStatus.Failed, retryAfter: T0.AddMinutes(-1)),
            Record(notDue, ProcessingStatus.Failed, retryAfter: T0.AddMinutes(10)),
            Record(gaveUp, ProcessingStatus.Failed, 5, retryAfter: null)], ct);

        var stuck = await store.FindStuckAsync(T0.AddMinutes(-15), T0, 10, ct);
        var limited = await store.FindStuckAsync(T0.AddMinutes(-15), T0, 1, ct);

        Assert.Equal([older, old, due], stuck.Select(d => d.FileId));
        Assert.Equal([older], limited.Select(d => d.FileId));
    }

    [Fact(Timeout = 60_000)]
    public async Task FindUnpublishedAsync_AndMarkDerivativesDeletedAsync_BehaveOnTheServer()
    {
        var (store, files) = await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (published, unpublished) = (Guid.NewGuid(), Guid.NewGuid());
        await files.InsertManyAsync([SeedDocument(published, T0), SeedDocument(unpublished, T0)], cancellationToken: ct);
        var record = Record(published, ProcessingStatus.Done);
        await store.WriteOutcomesAsync([record, Record(unpublished, ProcessingStatus.Done)], ct);
        await store.MarkPublishedAsync([record], ct);

        var found = await store.FindUnpublishedAsync(T0.AddHours(1), 10, ct);
        await store.MarkDerivativesDeletedAsync([new DerivativeDeletion(published, T0.AddHours(2))], ct);
        await store.MarkDerivativesDeletedAsync([new DerivativeDeletion(published, T0.AddHours(3))], ct);

        Assert.Equal([unpublished], found.Select(d => d.FileId));
        var raw = await files.Find(new BsonDocument("fileId", Uuid(published))).SingleAsync(ct);
        Assert.Equal(BsonNull.Value, raw["urls"]["thumbnail"]);
        Assert.Empty(raw["processing"]["derivatives"].AsBsonArray);
        Assert.Equal(T0.AddHours(2).UtcDateTime, raw["processing"]["derivativesDeletedAt"].ToUniversalTime());
    }
}
