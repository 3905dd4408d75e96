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

/// <summary>
/// The retraining job end to end on the real learning stores (MongoDB 7; the lane skips it where there is none). Each
/// store's own behaviour is its specification (<see cref="ModelRegistrySpecification"/> and the others beside it).
/// </summary>
public sealed class MongoLearningStoreTests(MongoTestLane lane)
{
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
}
