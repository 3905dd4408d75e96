using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Scoring.Toxicity;
using QuikApp.Workers.Moderation.Tests.Scoring;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>
/// One worker process's view of learning, over in-memory stores: its model holders (starting with the bundled spam
/// model and no toxicity model), the sync, and the retraining job. Processes made with <see cref="SameStores"/>
/// share the stores (one MongoDB) but not the holders (another replica, or a restarted worker).
/// </summary>
internal sealed class LearningHarness : IDisposable
{
    public LearningHarness(SyntheticDataset data, LearningOptions? options = null)
        : this(new InMemoryReportStore(data.Reports), new InMemoryMessageStore(data.Messages), new InMemoryTrainingSetStore(),
            new InMemoryModelRegistry(), new InMemoryModelFileStore(), options ?? new LearningOptions())
    {
    }

    private LearningHarness(
        InMemoryReportStore reports,
        InMemoryMessageStore messages,
        InMemoryTrainingSetStore trainingSets,
        InMemoryModelRegistry registry,
        InMemoryModelFileStore files,
        LearningOptions options)
    {
        (Reports, Messages, TrainingSets, Registry, Files, Options) = (reports, messages, trainingSets, registry, files, options);
        Sync = new PromotedModelSync(Registry, Files, Spam, Toxicity, NullLogger<PromotedModelSync>.Instance);
    }

    public InMemoryReportStore Reports { get; }

    public InMemoryMessageStore Messages { get; }

    public InMemoryTrainingSetStore TrainingSets { get; }

    public InMemoryModelRegistry Registry { get; }

    public InMemoryModelFileStore Files { get; }

    public LearningOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(SyntheticModeration.Cutoff.AddMinutes(2));

    public SpamModelHolder Spam { get; } = new(SpamTestData.BundledClassifier);

    public ToxicityModelHolder Toxicity { get; } = new();

    public PromotedModelSync Sync { get; }

    /// <summary>Another process on the same MongoDB: fresh holders (bundled spam, no toxicity model), same stores, new reports.</summary>
    public LearningHarness SameStores(SyntheticDataset? data = null) => new(
        data is null ? Reports : new InMemoryReportStore(data.Reports),
        data is null ? Messages : new InMemoryMessageStore(data.Messages),
        TrainingSets, Registry, Files, Options);

    public ModerationRetrainingJob Job() => new(
        Reports, Messages, TrainingSets, new CandidatePublisher(Registry, Files, Time), Sync, Spam, Toxicity, BuiltInChecks.Toxicity,
        Microsoft.Extensions.Options.Options.Create(Options), Time);

    /// <summary>Runs the job as the scheduler would for the cron slot <paramref name="slot"/> (default: the synthetic cut-off).</summary>
    public async Task<(JobOutcome Outcome, JobRunContext Context)> RunAsync(CancellationToken cancellationToken, DateTimeOffset? slot = null)
    {
        var context = new JobRunContext(Guid.CreateVersion7(), ModerationRetrainingJob.Name, JobRunTrigger.Schedule, default,
            slot ?? SyntheticModeration.Cutoff, new ConfigurationBuilder().Build(), NullLogger.Instance);
        // Training is CPU work; off the test's thread like Quartz runs it.
        var outcome = await Task.Run(() => Job().RunAsync(context, cancellationToken), cancellationToken);
        return (outcome, context);
    }

    public void Dispose() => Sync.Dispose();
}

/// <summary>Small real models (zips) learnt from the synthetic chat, trained once for the test run.</summary>
internal static class LearntModels
{
    private static readonly Lazy<byte[]> LazySpam = new(() => Train(ModelKind.Spam, seed: 3));
    private static readonly Lazy<byte[]> LazyToxicity = new(() => Train(ModelKind.Toxicity, seed: 4));

    public static byte[] SpamZip => LazySpam.Value;

    public static byte[] ToxicityZip => LazyToxicity.Value;

    /// <summary>A registry record for <paramref name="zip"/>, promoted at <paramref name="promotedAt"/> (null: a candidate).</summary>
    public static ModelRecord Record(ModelKind kind, byte[] zip, DateTimeOffset? promotedAt)
    {
        var sha = ModelRecords.Sha256Of(zip);
        var id = ModelRecords.IdFor(kind, sha);
        var metrics = new ClassifierMetrics(10, 5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.2, 5, 1, 4, 0);
        return new ModelRecord(id, kind, promotedAt is null ? ModelStatus.Candidate : ModelStatus.Promoted, sha, zip.Length, metrics,
            new ModelBaseline("bundled", metrics), "moderation-labels-20261129T030000Z", id, new ModelTraining(8, 2, 1, 0.2, 0.1),
            "promoted: test", SyntheticModeration.Cutoff, promotedAt);
    }

    private static byte[] Train(ModelKind kind, int seed) =>
        SpamModelTrainer.TrainAndEvaluate([.. SyntheticModeration.Texts(kind, 60, seed)], seed, testFraction: 0).ToZip();
}
