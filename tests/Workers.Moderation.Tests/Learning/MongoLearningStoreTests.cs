using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Scoring.Toxicity;
using QuikApp.Workers.Moderation.Tests.Scoring;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>The learning stores against a real MongoDB 7 (the lane skips these where there is none).</summary>
public sealed class MongoLearningStoreTests(MongoTestLane lane)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 3, 5, 0, TimeSpan.Zero);

    [Fact(Timeout = 120_000)]
    public async Task ModelFiles_UploadedTwice_StoreOneFileThatDownloadsAsUploaded()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new GridFsModelFileStore(catalog);
        var zip = LearntModels.SpamZip;
        var id = ModelRecords.IdFor(ModelKind.Spam, ModelRecords.Sha256Of(zip));

        Assert.True(await store.UploadIfAbsentAsync(id, zip, ct));
        Assert.False(await store.UploadIfAbsentAsync(id, zip, ct));

        Assert.Equal(zip, await store.DownloadAsync(id, ct));
        var files = await catalog.Collection<BsonDocument>(QuikAppDatabase.Ml, "models.files").Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        var file = Assert.Single(files);
        Assert.Equal(id, file["_id"].AsString);
        Assert.Equal($"{id}.zip", file["filename"].AsString);
        Assert.Equal(ModelRecords.Sha256Of(zip), file["metadata"]["sha256"].AsString);
        Assert.Equal(zip.Length, file["length"].ToInt64());
    }

    [Fact(Timeout = 120_000)]
    public async Task ModelFiles_ChunksLeftByACrashedUpload_AreReplaced()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var zip = LearntModels.ToxicityZip;
        var id = ModelRecords.IdFor(ModelKind.Toxicity, ModelRecords.Sha256Of(zip));
        var chunks = catalog.Collection<BsonDocument>(QuikAppDatabase.Ml, "models.chunks");
        await chunks.InsertOneAsync(new BsonDocument { { "files_id", id }, { "n", 0 }, { "data", new BsonBinaryData(new byte[] { 1, 2, 3 }) } },
            cancellationToken: ct);

        var uploaded = await new GridFsModelFileStore(catalog).UploadIfAbsentAsync(id, zip, ct);

        Assert.True(uploaded);
        Assert.Equal(zip, await new GridFsModelFileStore(catalog).DownloadAsync(id, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ModelFiles_Missing_DownloadThrows()
    {
        var catalog = lane.Require().CreateCatalog();

        await Assert.ThrowsAnyAsync<Exception>(() => new GridFsModelFileStore(catalog).DownloadAsync("spam-000000000000", TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 120_000)]
    public async Task Registry_AddedRecord_IsStoredAsDocumentedAndReadBackEqual()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var registry = new MongoModelRegistry(catalog);
        var record = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, promotedAt: null);

        Assert.True(await registry.AddAsync(record, ct));
        Assert.False(await registry.AddAsync(record with { Decision = "changed" }, ct));

        Assert.Equal(record, await registry.FindAsync(record.Id, ct));
        var document = await catalog.Models.Find(new BsonDocument("_id", record.Id)).SingleAsync(ct);
        Assert.Equal("spam", document["kind"].AsString);
        Assert.Equal("candidate", document["status"].AsString);
        Assert.Equal(record.Id, document["gridFsId"].AsString);
        Assert.Equal(BsonNull.Value, document["promotedAt"]);
        Assert.Equal(0.9, document["metrics"]["auc"].AsDouble);
        Assert.Equal("bundled", document["baseline"]["version"].AsString);
        Assert.Equal("moderation-labels-20261129T030000Z", document["trainingSetId"].AsString);
    }

    [Fact(Timeout = 120_000)]
    public async Task Registry_PromoteASecondModel_RetiresTheFirstAndReadersSeeTheSecond()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var registry = new MongoModelRegistry(catalog);
        var first = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, promotedAt: null);
        var second = LearntModels.Record(ModelKind.Spam, LearntModels.ToxicityZip, promotedAt: null);
        var toxicity = LearntModels.Record(ModelKind.Toxicity, LearntModels.ToxicityZip, promotedAt: null);
        foreach (var record in new[] { first, second, toxicity })
        {
            await registry.AddAsync(record, ct);
        }

        await registry.PromoteAsync(toxicity.Id, ModelKind.Toxicity, T0, ct);
        await registry.PromoteAsync(first.Id, ModelKind.Spam, T0, ct);
        await registry.PromoteAsync(second.Id, ModelKind.Spam, T0.AddDays(7), ct);
        await registry.PromoteAsync(second.Id, ModelKind.Spam, T0.AddDays(8), ct);   // again: keeps its promotedAt
        await registry.RejectAsync(second.Id, ct);                                     // never demotes a promoted model

        Assert.Equal(ModelStatus.Retired, (await registry.FindAsync(first.Id, ct))!.Status);
        var newest = await registry.NewestPromotedAsync(ModelKind.Spam, ct);
        Assert.Equal((second.Id, ModelStatus.Promoted, T0.AddDays(7)), (newest!.Id, newest.Status, newest.PromotedAt));
        Assert.Equal(toxicity.Id, (await registry.NewestPromotedAsync(ModelKind.Toxicity, ct))!.Id);
        Assert.True((await catalog.Models.Find(new BsonDocument("_id", first.Id)).SingleAsync(ct)).Contains("retiredAt"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Registry_CrashBetweenPromoteAndRetire_ReadersTakeTheNewestAndTheRepairNeverRetiresALaterPromotion()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var registry = new MongoModelRegistry(catalog);
        var older = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, T0);
        var newer = LearntModels.Record(ModelKind.Spam, LearntModels.ToxicityZip, T0.AddDays(7));
        await registry.AddAsync(older, ct);
        await registry.AddAsync(newer, ct);

        Assert.Equal(newer.Id, (await registry.NewestPromotedAsync(ModelKind.Spam, ct))!.Id);
        await registry.PromoteAsync(older.Id, ModelKind.Spam, T0.AddDays(8), ct);   // a rerun of the older one's run: its promotion stands, nothing newer is retired
        Assert.Equal(ModelStatus.Promoted, (await registry.FindAsync(newer.Id, ct))!.Status);
        await registry.PromoteAsync(newer.Id, ModelKind.Spam, T0.AddDays(8), ct);   // the interrupted run's rerun finishes the retire step
        Assert.Equal(ModelStatus.Retired, (await registry.FindAsync(older.Id, ct))!.Status);
        Assert.Equal(T0.AddDays(7), (await registry.FindAsync(newer.Id, ct))!.PromotedAt);
    }

    [Fact(Timeout = 120_000)]
    public async Task Registry_RollBack_RestoresThePreviousModelAndWithdrawsTheCurrentOne()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var registry = new MongoModelRegistry(catalog);
        var previous = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, promotedAt: null);
        var current = LearntModels.Record(ModelKind.Spam, LearntModels.ToxicityZip, promotedAt: null);
        await registry.AddAsync(previous, ct);
        await registry.AddAsync(current, ct);
        await registry.PromoteAsync(previous.Id, ModelKind.Spam, T0, ct);
        await registry.PromoteAsync(current.Id, ModelKind.Spam, T0.AddDays(7), ct);

        var result = await new ModelRollback(registry, new FakeTimeProvider(T0.AddDays(8))).RollBackAsync(ModelKind.Spam, ct);

        Assert.Equal(new RollbackResult(ModelKind.Spam, current.Id, previous.Id), result);
        Assert.Equal(T0.AddDays(8), (await registry.NewestPromotedAsync(ModelKind.Spam, ct))!.PromotedAt);
        var withdrawn = await catalog.Models.Find(new BsonDocument("_id", current.Id)).SingleAsync(ct);
        Assert.Equal(("rejected", T0.AddDays(8).UtcDateTime), (withdrawn["status"].AsString, withdrawn["withdrawnAt"].ToUniversalTime()));
        Assert.Null(await registry.NewestRetiredAsync(ModelKind.Spam, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task TrainingSets_SavedAgainWithFewerExamples_UpsertsRemovesTheStaleOneAndKeepsCreatedAt()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new MongoTrainingSetStore(catalog);
        var snapshot = Snapshot(T0, messages: 3);

        await store.SaveAsync(snapshot, ct);
        await store.SaveAsync(snapshot with { Record = snapshot.Record with { CreatedAt = T0.AddDays(1) } }, ct);
        var fewer = Snapshot(T0, messages: 2);
        await store.SaveAsync(fewer with { Record = fewer.Record with { CreatedAt = T0.AddDays(2) } }, ct);

        var examples = await catalog.TrainingExamples.Find(new BsonDocument("setId", snapshot.Record.Id)).Sort(new BsonDocument("_id", 1)).ToListAsync(ct);
        Assert.Equal(fewer.Examples.Select(e => e.Id), examples.Select(e => e["_id"].AsString));
        Assert.Equal(
            BsonDocument.Parse($$"""
                { _id: "{{fewer.Examples[0].Id}}", setId: "{{fewer.Record.Id}}", messageId: ObjectId("{{fewer.Examples[0].MessageId}}"),
                  text: "message 0", spam: true, toxic: null }
                """),
            examples[0]);
        var record = await catalog.TrainingSets.Find(new BsonDocument("_id", snapshot.Record.Id)).SingleAsync(ct);
        Assert.Equal(T0.UtcDateTime, record["createdAt"].ToUniversalTime());
        Assert.Equal("moderation-labels", record["kind"].AsString);
        Assert.Equal(T0.UtcDateTime, record["source"]["reportsResolvedBefore"].ToUniversalTime());
        Assert.Equal(BsonDocument.Parse("{ messages: 2, spam: { positive: 1, negative: 0 }, toxicity: { positive: 0, negative: 1 } }"), record["counts"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task TrainingSets_Prune_DeletesTheExamplesOfAllButTheNewestSets()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new MongoTrainingSetStore(catalog);
        var sets = new[] { 0, 7, 14 }.Select(days => Snapshot(T0.AddDays(days), messages: 2)).ToList();
        foreach (var set in sets)
        {
            await store.SaveAsync(set, ct);
        }

        Assert.Equal(1, await store.PruneExamplesAsync(keepNewest: 2, T0.AddDays(15), ct));
        Assert.Equal(0, await store.PruneExamplesAsync(keepNewest: 2, T0.AddDays(16), ct));

        Assert.Equal(0, await catalog.TrainingExamples.CountDocumentsAsync(new BsonDocument("setId", sets[0].Record.Id), cancellationToken: ct));
        Assert.Equal(4, await catalog.TrainingExamples.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
        var pruned = await catalog.TrainingSets.Find(new BsonDocument("_id", sets[0].Record.Id)).SingleAsync(ct);
        Assert.Equal(T0.AddDays(15).UtcDateTime, pruned["examplesPrunedAt"].ToUniversalTime());
    }

    [Fact(Timeout = 120_000)]
    public async Task Reports_ReadResolved_ReturnsDecidedWellFormedReportsBeforeTheCutoff()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var message = ObjectId.GenerateNewId();
        BsonDocument Report(string status, DateTime? reviewedAt, string reason = "spam") => new()
        {
            { "_id", ObjectId.GenerateNewId() }, { "messageId", message }, { "reason", reason }, { "status", status },
            { "reviewedAt", reviewedAt is { } at ? at : BsonNull.Value }, { "action", status == "actioned" ? "delete" : BsonNull.Value },
            { "description", "spam" }, { "createdAt", T0.UtcDateTime.AddDays(-9) },
        };
        var before = T0.UtcDateTime.AddDays(-1);
        var actioned = Report("actioned", before);
        var dismissed = Report("dismissed", before, "harassment");
        await catalog.Reports.InsertManyAsync(
        [
            actioned, dismissed, Report("pending", null), Report("reviewed", before), Report("actioned", T0.UtcDateTime.AddDays(1)),
            Report("actioned", T0.UtcDateTime), // the cut-off itself is excluded: windows are half-open
            new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "messageId", "not-an-object-id" }, { "reason", "spam" }, { "status", "actioned" }, { "reviewedAt", before } },
        ], cancellationToken: ct);

        var reports = await new MongoModerationReportStore(catalog).ReadResolvedAsync(T0, ct);

        Assert.Equal(
            [
                new ResolvedReport(actioned["_id"].AsObjectId, message, "spam", "actioned", "delete", new DateTimeOffset(before, TimeSpan.Zero)),
                new ResolvedReport(dismissed["_id"].AsObjectId, message, "harassment", "dismissed", null, new DateTimeOffset(before, TimeSpan.Zero)),
            ],
            reports.OrderBy(r => r.Status, StringComparer.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task Messages_Get_FetchesExistingMessagesAcrossBatches()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var ids = Enumerable.Range(0, MongoMessageContentStore.BatchSize + 200).Select(_ => ObjectId.GenerateNewId()).ToList();
        await catalog.Messages.InsertManyAsync(ids.Select((id, i) => new BsonDocument
        {
            { "_id", id }, { "content", $"message {i}" }, { "deleted", i == 0 }, { "editedAt", i == 1 ? T0.UtcDateTime : BsonNull.Value },
            { "channelId", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        }), cancellationToken: ct);

        var found = await new MongoMessageContentStore(catalog).GetAsync([.. ids, ObjectId.GenerateNewId()], ct);

        Assert.Equal(ids.Count, found.Count);
        Assert.Equal(new MessageContent(ids[0], "message 0", true, null), found[ids[0]]);
        Assert.Equal(new MessageContent(ids[1], "message 1", false, T0), found[ids[1]]);
    }

    [Fact(Timeout = 300_000)]
    public async Task Job_OnRealStores_SnapshotsTrainsPromotesAndAnotherWorkerLoadsThePromotedModels()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        // The data set of ModerationRetrainingJobTests, where both candidates are promoted.
        var data = SyntheticModeration.Create(spamPerClass: 300, toxicPerClass: 200, seed: 1);
        await catalog.Messages.InsertManyAsync(data.Messages.Select(m => new BsonDocument
        {
            { "_id", m.MessageId }, { "content", m.Text }, { "deleted", m.Deleted },
        }), cancellationToken: ct);
        await catalog.Reports.InsertManyAsync(data.Reports.Select(r => new BsonDocument
        {
            { "_id", r.ReportId }, { "messageId", r.MessageId }, { "reason", r.Reason }, { "status", r.Status },
            { "action", r.Action is null ? BsonNull.Value : r.Action }, { "reviewedAt", r.ReviewedAt.UtcDateTime },
        }), cancellationToken: ct);
        var (registry, files) = (new MongoModelRegistry(catalog), new GridFsModelFileStore(catalog));
        var time = new FakeTimeProvider(SyntheticModeration.Cutoff.AddMinutes(1));
        var spam = new SpamModelHolder(SpamTestData.BundledClassifier);
        var toxicity = new ToxicityModelHolder();
        using var sync = new PromotedModelSync(registry, files, spam, toxicity, NullLogger<PromotedModelSync>.Instance);
        var job = new ModerationRetrainingJob(new MongoModerationReportStore(catalog), new MongoMessageContentStore(catalog),
            new MongoTrainingSetStore(catalog), new CandidatePublisher(registry, files, time), sync, spam, toxicity, BuiltInChecks.Toxicity,
            Microsoft.Extensions.Options.Options.Create(new LearningOptions()), time);
        var context = new JobRunContext(Guid.CreateVersion7(), ModerationRetrainingJob.Name, JobRunTrigger.Cli,
            new JobWindow(null, SyntheticModeration.Cutoff), null, new ConfigurationBuilder().Build(), NullLogger.Instance);

        var outcome = await Task.Run(() => job.RunAsync(context, ct), ct);
        var again = await Task.Run(() => job.RunAsync(context, ct), ct);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.Contains("was already", again.Message, StringComparison.Ordinal);
        Assert.Equal(2, await catalog.Models.CountDocumentsAsync(new BsonDocument("status", "promoted"), cancellationToken: ct));
        Assert.Equal(2, await catalog.Collection<BsonDocument>(QuikAppDatabase.Ml, "models.files").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
        Assert.Equal(1, await catalog.TrainingSets.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
        var restarted = (Spam: new SpamModelHolder(SpamTestData.BundledClassifier), Toxicity: new ToxicityModelHolder());
        using var restartedSync = new PromotedModelSync(registry, files, restarted.Spam, restarted.Toxicity, NullLogger<PromotedModelSync>.Instance);
        await restartedSync.SyncAsync(ct);
        Assert.Equal(spam.Current.ModelVersion, restarted.Spam.Current.ModelVersion);
        Assert.Equal(toxicity.Current!.ModelVersion, restarted.Toxicity.Current!.ModelVersion);
        Assert.NotEqual(SpamTestData.BundledClassifier.ModelVersion, restarted.Spam.Current.ModelVersion);
    }

    private static TrainingSetSnapshot Snapshot(DateTimeOffset cutoff, int messages)
    {
        var ids = Enumerable.Range(0, messages).Select(i => ObjectId.Parse($"65a{i:x21}")).ToList();
        var labels = ids.Select((id, i) => new MessageLabels(id,
            i % 2 == 0 ? new TaskLabel(true, cutoff.AddDays(-1)) : null,
            i % 2 == 1 ? new TaskLabel(false, cutoff.AddDays(-1)) : null, false)).ToList();
        var contents = ids.Select((id, i) => new MessageContent(id, $"message {i}", false, null)).ToDictionary(m => m.MessageId);
        return TrainingSetBuilder.Build(labels, contents, cutoff, cutoff);
    }
}
