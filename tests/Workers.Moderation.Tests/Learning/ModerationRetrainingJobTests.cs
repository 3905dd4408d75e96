using System.Globalization;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>The whole retraining run over in-memory stores and real ML.NET training on synthetic moderated chat.</summary>
public sealed class ModerationRetrainingJobTests
{
    private const string SetId = "moderation-labels-20261129T030000Z";
    private static readonly Lazy<SyntheticDataset> Moderated = new(() => SyntheticModeration.Create(spamPerClass: 300, toxicPerClass: 200, seed: 1));

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_ModeratedChat_TrainsBothModelsGradesThemAgainstTheCurrentOnesAndPromotesAsTheNumbersSay()
    {
        using var worker = new LearningHarness(Moderated.Value);
        var bundledVersion = worker.Spam.Current.ModelVersion;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var (outcome, context) = await worker.RunAsync(TestContext.Current.CancellationToken);
        watch.Stop();

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal(new JobWindow(null, SyntheticModeration.Cutoff), outcome.Window);
        var set = worker.TrainingSets.Records[SetId];
        Assert.Equal(set.Counts.Messages, worker.TrainingSets.ExamplesOf(SetId).Count);
        Assert.Equal(set.Counts.Messages, context.Counts["examples"]);
        Assert.InRange(set.Counts.Spam.Positive, 250, 350);
        Assert.InRange(set.Counts.Toxicity.Negative, 150, 250);

        var spam = Assert.Single(worker.Registry.Models.Values, m => m.Kind == ModelKind.Spam);
        var toxicity = Assert.Single(worker.Registry.Models.Values, m => m.Kind == ModelKind.Toxicity);
        Assert.Equal(bundledVersion, spam.Baseline.Version);
        Assert.Equal(ModerationRetrainingJob.LexiconBaseline, toxicity.Baseline.Version);
        foreach (var model in new[] { spam, toxicity })
        {
            // Promoted exactly when the rule says so on the recorded numbers, and the zip is where the record says.
            var rule = PromotionRule.Decide(model.Metrics, model.Baseline.Metrics, worker.Options.MinAucGain, worker.Options.MaxF1Loss);
            Assert.Equal(rule.Promote ? ModelStatus.Promoted : ModelStatus.Rejected, model.Status);
            Assert.Equal(model.Sha256, ModelRecords.Sha256Of(worker.Files.Files[model.GridFsId]));
            Assert.Equal(SetId, model.TrainingSetId);
            Assert.Equal(model.Training.TestCount, model.Metrics.Count);
        }

        // On chat the e-mail-trained model and the phrase lexicon are beaten by a model that learnt from moderators.
        Assert.Equal(ModelStatus.Promoted, spam.Status);
        Assert.Equal(ModelStatus.Promoted, toxicity.Status);
        Assert.StartsWith(spam.Sha256[..12] + "@", worker.Spam.Current.ModelVersion, StringComparison.Ordinal);
        Assert.StartsWith(toxicity.Sha256[..12] + "@", worker.Toxicity.Current!.ModelVersion, StringComparison.Ordinal);

        Assert.Equal(1, context.Counts["spamPromoted"]);
        Assert.Equal(spam.Training.TrainCount, context.Counts["spamTrain"]);
        Assert.Equal(spam.Training.TestCount, context.Counts["spamTest"]);
        Assert.Equal((long)Math.Round(spam.Metrics.AreaUnderRocCurve * 10_000), context.Counts["spamCandidateAucX10000"]);
        Assert.Equal((long)Math.Round(toxicity.Baseline.Metrics.F1Score * 10_000), context.Counts["toxicityBaselineF1X10000"]);
        Assert.Contains("spam: spam-", outcome.Message, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Message}\n{set.Counts}, excluded: {context.Counts["deletedMessagesExcluded"]} deleted, {context.Counts["missingMessages"]} missing\n" +
            $"run {watch.Elapsed.TotalSeconds:0.0} s; spam fit {spam.Training.Seconds} s on {spam.Training.TrainCount}/{spam.Training.TestCount} ({spam.Bytes} bytes), " +
            $"toxicity fit {toxicity.Training.Seconds} s on {toxicity.Training.TrainCount}/{toxicity.Training.TestCount} ({toxicity.Bytes} bytes)"));
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_SameSlotAgain_ReusesTheSetAndFindsTheSameModelsAlreadyDecided()
    {
        using var worker = new LearningHarness(Moderated.Value);
        var (_, first) = await worker.RunAsync(TestContext.Current.CancellationToken);
        var models = worker.Registry.Models.ToDictionary();
        var examples = worker.TrainingSets.ExamplesOf(SetId);
        var versions = (worker.Spam.Current.ModelVersion, worker.Toxicity.Current!.ModelVersion);

        var (outcome, second) = await worker.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal([SetId], worker.TrainingSets.Records.Keys);
        Assert.Equal(examples, worker.TrainingSets.ExamplesOf(SetId));
        Assert.Equal(models, worker.Registry.Models.ToDictionary());
        Assert.Equal(2, worker.Files.Uploads);
        Assert.Equal(versions, (worker.Spam.Current.ModelVersion, worker.Toxicity.Current!.ModelVersion));
        Assert.Contains("was already promoted", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(first.Counts["spamCandidateAucX10000"], second.Counts["spamCandidateAucX10000"]);
        Assert.Equal(1, second.Counts["spamPromoted"]);
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_AnotherReplicaAfterAPromotion_GradesTheNextCandidateAgainstThePromotedModel()
    {
        using var first = new LearningHarness(Moderated.Value);
        await first.RunAsync(TestContext.Current.CancellationToken);
        var promoted = first.Registry.Models.Values.Single(m => m.Kind == ModelKind.Spam);

        // A week later, on a replica that started with the bundled model and never ran its watcher (run-job).
        using var replica = first.SameStores(SyntheticModeration.Create(spamPerClass: 320, toxicPerClass: 210, seed: 1));
        var (outcome, _) = await replica.RunAsync(TestContext.Current.CancellationToken, SyntheticModeration.Cutoff.AddDays(7));

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        var next = replica.Registry.Models.Values.Where(m => m.Kind == ModelKind.Spam && m.Id != promoted.Id).ToList();
        var candidate = Assert.Single(next);
        Assert.Equal(promoted.Id[5..], candidate.Baseline.Version[..12]);
        Assert.Equal(2, replica.TrainingSets.Records.Count);
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_CandidateShortOfTheMargin_IsRejectedAndTheCurrentModelStays()
    {
        using var worker = new LearningHarness(Moderated.Value, new LearningOptions { MinAucGain = 1 });
        var bundled = worker.Spam.Current;

        var (outcome, context) = await worker.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.All(worker.Registry.Models.Values, m => Assert.Equal(ModelStatus.Rejected, m.Status));
        Assert.Same(bundled, worker.Spam.Current);
        Assert.Null(worker.Toxicity.Current);
        Assert.Equal(0, context.Counts["spamPromoted"]);
        Assert.Contains("rejected: AUC", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(2, worker.Files.Files.Count);   // a rejected model is kept, for the record
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_TooFewExamples_SkipsTrainingWithTheReasonAndStillSnapshots()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(spamPerClass: 12, toxicPerClass: 5, seed: 2));

        var (outcome, context) = await worker.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Skipped, outcome.Status);
        Assert.Contains("spam: skipped, too few examples", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("need 30 of each (Moderation:Learning:MinExamples)", outcome.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1), (context.Counts["spamSkipped"], context.Counts["toxicitySkipped"]));
        Assert.Empty(worker.Registry.Models);
        Assert.Single(worker.TrainingSets.Records);
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_NoToxicityLabels_SkipsThatTaskAndTrainsSpam()
    {
        var data = SyntheticModeration.Create(spamPerClass: 60, toxicPerClass: 0, seed: 3);

        using var worker = new LearningHarness(data);
        var (outcome, context) = await worker.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.Contains("toxicity: skipped, too few examples: 0 positive and 0 negative", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(1, context.Counts["toxicitySkipped"]);
        Assert.Single(worker.Registry.Models.Values, m => m.Kind == ModelKind.Spam);
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_RerunAfterAnOperatorRolledBack_LeavesTheRollbackAlone()
    {
        using var worker = new LearningHarness(Moderated.Value);
        await worker.RunAsync(TestContext.Current.CancellationToken);
        var spam = worker.Registry.Models.Values.Single(m => m.Kind == ModelKind.Spam);
        worker.Registry.SetStatus(spam.Id, ModelStatus.Rejected);

        var (outcome, _) = await worker.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ModelStatus.Rejected, worker.Registry.Models[spam.Id].Status);
        Assert.Equal(SpamTestData.BundledClassifier.ModelVersion, worker.Spam.Current.ModelVersion);
        Assert.Contains($"spam: {spam.Id} was already rejected", outcome.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task RunAsync_OlderSetsBeyondTheKeptNumber_LoseTheirExamples()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(spamPerClass: 8, toxicPerClass: 4, seed: 5), new LearningOptions { KeepTrainingSets = 2 });

        foreach (var week in new[] { 0, 7, 14 })
        {
            await worker.RunAsync(TestContext.Current.CancellationToken, SyntheticModeration.Cutoff.AddDays(week));
        }

        Assert.Equal(3, worker.TrainingSets.Records.Count);
        Assert.Equal([SetId], worker.TrainingSets.Pruned);
        Assert.Empty(worker.TrainingSets.ExamplesOf(SetId));
        Assert.NotEmpty(worker.TrainingSets.ExamplesOf("moderation-labels-20261213T030000Z"));
    }
}
