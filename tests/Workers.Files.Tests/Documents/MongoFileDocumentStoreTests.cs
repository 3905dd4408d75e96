using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Files.Tests.Documents;

/// <summary>
/// The file document store's commands as rendered, and the parser (run here). Its behaviour is specified once for the
/// store and its double in <see cref="FileDocumentStoreSpecification"/>.
/// </summary>
public sealed class MongoFileDocumentStoreTests
{
    private static readonly DateTimeOffset T0 = FileDocumentSamples.T0;
    private static readonly Guid Workspace = FileDocumentSamples.Workspace;

    private static BsonBinaryData Uuid(Guid id) => FileDocumentSamples.Uuid(id);

    private static FileOutcomeRecord Record(Guid fileId, ProcessingStatus status, int attempt = 1, Guid? eventId = null, DateTimeOffset? retryAfter = null) =>
        FileDocumentSamples.Record(fileId, status, attempt, eventId, retryAfter);

    private static BsonDocument SeedDocument(Guid fileId, DateTimeOffset createdAt) => FileDocumentSamples.Seed(fileId, createdAt);

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) =>
        filter.Render(new RenderArgs<BsonDocument>(MongoDB.Bson.Serialization.BsonSerializer.LookupSerializer<BsonDocument>(),
            MongoDB.Bson.Serialization.BsonSerializer.SerializerRegistry));

    private static BsonDocument Render(UpdateDefinition<BsonDocument> update) => RenderUpdate(update).AsBsonDocument;

    /// <summary>An update pipeline as sent (fails on a classic update document).</summary>
    private static BsonArray RenderPipeline(UpdateDefinition<BsonDocument> update) => RenderUpdate(update).AsBsonArray;

    private static BsonValue RenderUpdate(UpdateDefinition<BsonDocument> update) =>
        update.Render(new RenderArgs<BsonDocument>(MongoDB.Bson.Serialization.BsonSerializer.LookupSerializer<BsonDocument>(),
            MongoDB.Bson.Serialization.BsonSerializer.SerializerRegistry));

    /// <summary>"the field if it is a document, else {}", as the pipelines merge into another service's sub-documents.</summary>
    private static BsonDocument DocumentOrEmpty(string field) => new("$cond", new BsonArray
    {
        new BsonDocument("$eq", new BsonArray { new BsonDocument("$type", "$" + field), "object" }), "$" + field, new BsonDocument("$literal", new BsonDocument()),
    });

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
    public void OutcomeModel_Done_IsAPipelineMergingIntoUrlsAndProcessing_AndRemovingTheRetry()
    {
        var fileId = Guid.NewGuid();
        var eventId = Guid.NewGuid();

        // On the old code the update was a classic {$set: {"urls.thumbnail": …}}: not a pipeline, and error 28 on urls: null.
        var pipeline = RenderPipeline(MongoFileDocumentStore.OutcomeModel(Record(fileId, ProcessingStatus.Done, 2, eventId)).Update);

        Assert.Equal(2, pipeline.Count);
        var set = pipeline[0]["$set"].AsBsonDocument;
        Assert.Equal(new BsonDocument("$literal", new BsonDocument
        {
            { "status", "clean" }, { "signature", BsonNull.Value }, { "engine", "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026" },
            { "scannedAt", T0.UtcDateTime }, { "reason", BsonNull.Value },
        }), set["virusScan"]);
        Assert.Equal(new BsonDocument("$mergeObjects", new BsonArray
        {
            DocumentOrEmpty("urls"),
            new BsonDocument("$literal", new BsonDocument("thumbnail", $"https://cdn.quikapp.dev/thumbs/{Workspace}/{fileId}.thumbnail.webp")),
        }), set["urls"]);
        Assert.Equal(new BsonDocument("$literal", new BsonDocument { { "width", 800 }, { "height", 600 }, { "duration", BsonNull.Value }, { "pages", BsonNull.Value } }),
            set["metadata"]);
        var merge = set["processing"]["$mergeObjects"].AsBsonArray;
        Assert.Equal(DocumentOrEmpty("processing"), merge[0]);
        var processing = merge[1]["$literal"].AsBsonDocument;
        Assert.Equal("done", processing["status"].AsString);
        Assert.Equal("image/png", processing["sniffedType"].AsString);
        Assert.Equal(new BsonDocument
        {
            { "size", "thumbnail" }, { "provider", "s3" }, { "bucket", "quikapp-derivatives" },
            { "key", $"thumbs/{Workspace}/{fileId}.thumbnail.webp" }, { "width", 360 }, { "height", 270 },
        }, processing["derivatives"][0]);
        Assert.Equal(2, processing["attempts"].AsInt32);
        Assert.Equal(Uuid(eventId), processing["eventId"]);
        Assert.False(processing["published"].AsBoolean);
        Assert.Equal(T0.AddSeconds(5).UtcDateTime, processing["processedAt"].ToUniversalTime());
        Assert.False(processing.Contains("retryAfter"));
        Assert.Equal(new BsonDocument("$unset", "processing.retryAfter"), pipeline[1]);
        // No dotted path: a dotted $set is what fails through a null parent.
        Assert.DoesNotContain(set.Names, name => name.Contains('.', StringComparison.Ordinal));
    }

    [Fact]
    public void OutcomeModel_FailedWithARetry_SetsRetryAfter_AndLeavesTheFileServicesMetadataAlone()
    {
        var pipeline = RenderPipeline(MongoFileDocumentStore.OutcomeModel(Record(Guid.NewGuid(), ProcessingStatus.Failed, retryAfter: T0.AddMinutes(15))).Update);

        var set = Assert.Single(pipeline)["$set"].AsBsonDocument;
        Assert.Equal("error", set["virusScan"]["$literal"]["status"].AsString);
        Assert.Equal("timed out: no verdict within 60 s", set["virusScan"]["$literal"]["reason"].AsString);
        var processing = set["processing"]["$mergeObjects"][1]["$literal"].AsBsonDocument;
        Assert.Equal(T0.AddMinutes(15).UtcDateTime, processing["retryAfter"].ToUniversalTime());
        Assert.False(set.Contains("metadata"));
        Assert.Equal(new BsonDocument("thumbnail", BsonNull.Value), set["urls"]["$mergeObjects"][1]["$literal"]);
    }

    [Fact]
    public void OutcomeModel_Infected_RecordsTheSignatureAndWhereTheOriginalWent()
    {
        var set = RenderPipeline(MongoFileDocumentStore.OutcomeModel(Record(Guid.NewGuid(), ProcessingStatus.Skipped)).Update)[0]["$set"].AsBsonDocument;

        Assert.Equal(("infected", "Eicar-Signature"), (set["virusScan"]["$literal"]["status"].AsString, set["virusScan"]["$literal"]["signature"].AsString));
        var processing = set["processing"]["$mergeObjects"][1]["$literal"].AsBsonDocument;
        Assert.Equal("skipped", processing["status"].AsString);
        Assert.Equal(new BsonDocument { { "provider", "s3" }, { "bucket", "quikapp-quarantine" }, { "key", "quarantine/s3/quikapp-files/x.png" } },
            processing["quarantinedTo"]);
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
        // On the old code: {$set: {"urls.thumbnail": null, "processing.derivatives": []}, $min: …}, error 28 on urls: null.
        var set = Assert.Single(RenderPipeline(deletion.Update))["$set"].AsBsonDocument;
        Assert.Equal(new BsonDocument("$mergeObjects", new BsonArray { DocumentOrEmpty("urls"), new BsonDocument("$literal", new BsonDocument("thumbnail", BsonNull.Value)) }),
            set["urls"]);
        Assert.Equal(new BsonDocument("$mergeObjects", new BsonArray
        {
            DocumentOrEmpty("processing"),
            new BsonDocument
            {
                { "derivatives", new BsonDocument("$literal", new BsonArray()) },
                { "derivativesDeletedAt", new BsonDocument("$min", new BsonArray { "$processing.derivativesDeletedAt", T0.UtcDateTime }) },
            },
        }), set["processing"]);
    }

    [Fact]
    public void Writes_KeepTheClientsMajorityAndJournal_AndWaitForTheMajorityAtMost30Seconds()
    {
        // On the old code the writes had no wtimeout: a lost majority blocked the partition without bound.
        using var client = MongoClientFactory.CreateClient(new MongoOptions { ConnectionString = "mongodb://127.0.0.1:1" }, "tests");
        var store = new MongoFileDocumentStore(new MongoCatalog(client, new MongoOptions()));

        var concern = store.Writes.Settings.WriteConcern;

        Assert.Equal((WriteConcern.WMajority.W, (bool?)true, (TimeSpan?)TimeSpan.FromSeconds(30)), (concern.W, concern.Journal, concern.WTimeout));
    }

    [Fact]
    public void SweeperFilters_EachCarryTheirIndexesLeadingFieldAndPartialFilter()
    {
        var files = MongoIndexCatalog.OwnedBy([IndexOwner.Files]).Where(i => i.Collection == MongoCatalog.Collections.Files).ToList();

        var pending = MongoFileDocumentStore.PendingFilter(T0);
        var due = MongoFileDocumentStore.RetryDueFilter(T0);
        var unpublished = MongoFileDocumentStore.UnpublishedFilter(T0);

        // Pending, or no status at all (virusScan missing or null): on the old code only "pending" (the double disagreed).
        Assert.Equal(new BsonDocument("$in", new BsonArray { "pending", BsonNull.Value }), pending["virusScan.status"]);
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
}
