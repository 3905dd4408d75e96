using MongoDB.Bson;
using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.Moderation.Tests.Learning;

public sealed class CandidateTrainerTests
{
    private static readonly BaselineScorer Chance = new("chance", _ => 0.5);

    [Fact(Timeout = 120_000)]
    public async Task TrainAndCompare_SeparableLabels_BeatsAConstantBaselineOnTheSameHeldOutTexts()
    {
        var examples = Examples(ModelKind.Toxicity, perClass: 80, seed: 1);

        var evaluation = await Task.Run(() => CandidateTrainer.TrainAndCompare(ModelKind.Toxicity, examples, Chance, new LearningOptions(),
            TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        Assert.False(evaluation.Skipped);
        Assert.Equal(evaluation.TestCount, evaluation.Candidate!.Count);
        Assert.Equal(evaluation.TestCount, evaluation.Baseline!.Count);
        Assert.Equal(0.5, evaluation.Baseline.AreaUnderRocCurve);
        Assert.True(evaluation.Candidate.AreaUnderRocCurve > 0.9, $"AUC {evaluation.Candidate.AreaUnderRocCurve}");
        Assert.True(evaluation.Decision!.Promote);
        Assert.Equal(evaluation.Data.Examples.Count, evaluation.TrainCount + evaluation.TestCount);
    }

    [Fact(Timeout = 120_000)]
    public async Task TrainAndCompare_SameLabelsInAnotherOrder_TrainsTheSameZip()
    {
        var examples = Examples(ModelKind.Spam, perClass: 50, seed: 2);
        var reversed = examples.AsEnumerable().Reverse().ToList();

        var first = await Task.Run(() => CandidateTrainer.TrainAndCompare(ModelKind.Spam, examples, Chance, new LearningOptions(), TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken);
        var second = await Task.Run(() => CandidateTrainer.TrainAndCompare(ModelKind.Spam, reversed, Chance, new LearningOptions(), TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken);

        Assert.Equal(first.Zip, second.Zip);
        Assert.Equal(first.Candidate, second.Candidate);
    }

    [Fact]
    public void TrainAndCompare_OneClassOnly_SkipsNamingTheCounts()
    {
        var allSpam = Examples(ModelKind.Spam, perClass: 50, seed: 3).Where(e => e.Spam == true);

        var evaluation = CandidateTrainer.TrainAndCompare(ModelKind.Spam, allSpam, Chance, new LearningOptions(), TestContext.Current.CancellationToken);

        Assert.True(evaluation.Skipped);
        Assert.Null(evaluation.Zip);
        Assert.StartsWith("too few examples: ", evaluation.SkipReason, StringComparison.Ordinal);
        Assert.EndsWith(" positive and 0 negative distinct texts, need 30 of each (Moderation:Learning:MinExamples)", evaluation.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainAndCompare_Cancelled_Throws()
    {
        Assert.Throws<OperationCanceledException>(() => CandidateTrainer.TrainAndCompare(ModelKind.Spam, Examples(ModelKind.Spam, 40, 4), Chance,
            new LearningOptions(), new CancellationToken(canceled: true)));
    }

    private static List<TrainingExample> Examples(ModelKind kind, int perClass, int seed) =>
    [
        .. SyntheticModeration.Texts(kind, perClass, seed).Select((e, i) => new TrainingExample("set", ObjectId.Parse($"65a{i:x21}"), e.Text,
            kind == ModelKind.Spam ? e.IsPositive : null, kind == ModelKind.Toxicity ? e.IsPositive : null)),
    ];
}
