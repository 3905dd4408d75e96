using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

public sealed class SpamModelTrainerTests
{
    [Fact(Timeout = 60_000)]
    public async Task TrainAndEvaluate_SeparableSyntheticChat_ScoresNearPerfectlyOnTheHeldOutShare()
    {
        var examples = SpamTestData.Synthetic(400, seed: 1);

        var result = await Task.Run(() => SpamModelTrainer.TrainAndEvaluate(examples, seed: 42), TestContext.Current.CancellationToken);

        var m = Assert.IsType<SpamModelMetrics>(result.Metrics);
        Assert.Equal(320, result.TrainCount);
        Assert.Equal(320, result.TrainingRows); // chat-length messages are one chunk each: nothing added
        Assert.Equal(80, result.TestCount);
        Assert.Equal(result.TestCount, m.TruePositives + m.FalsePositives + m.TrueNegatives + m.FalseNegatives);
        Assert.Equal(40, m.TruePositives + m.FalseNegatives);
        Assert.InRange(m.Accuracy, 0.95, 1);
        Assert.InRange(m.AreaUnderRocCurve, 0.95, 1);
        Assert.InRange(m.F1Score, 0.95, 1);
        Assert.Equal((double)(m.TruePositives + m.TrueNegatives) / result.TestCount, m.Accuracy, 1e-12);
    }

    [Fact(Timeout = 60_000)]
    public async Task TrainAndEvaluate_SameExamplesAndSeed_GivesTheSameMetricsAndZipBytes()
    {
        var examples = SpamTestData.Synthetic(200, seed: 2);

        var first = await Task.Run(() => SpamModelTrainer.TrainAndEvaluate(examples, seed: 9), TestContext.Current.CancellationToken);
        var second = await Task.Run(() => SpamModelTrainer.TrainAndEvaluate(examples, seed: 9), TestContext.Current.CancellationToken);

        Assert.Equal(first.Metrics, second.Metrics);
        Assert.Equal(first.ToZip(), second.ToZip());
    }

    [Fact]
    public void TrainAndEvaluate_OnlyOneLabel_IsRefused()
    {
        var allHam = SpamTestData.Synthetic(40, seed: 3).Where(e => !e.IsSpam);

        Assert.Throws<ArgumentException>(() => SpamModelTrainer.TrainAndEvaluate(allHam, seed: 1));
    }

    [Fact(Timeout = 60_000)]
    public async Task TrainAndEvaluate_TrainedModel_RoundTripsThroughItsZip()
    {
        var result = await Task.Run(() => SpamModelTrainer.TrainAndEvaluate(SpamTestData.Synthetic(200, seed: 4), seed: 1), TestContext.Current.CancellationToken);

        var classifier = SpamClassifier.Load(result.ToZip());

        Assert.True(classifier.Probability("WIN a FREE laptop!!! click http://win77.example.com now") > 0.5);
        Assert.True(classifier.Probability("can we move planning to 11:30?") < 0.5);
    }

    [Fact(Timeout = 60_000)]
    public async Task TrainAndEvaluate_LongMessages_AlsoTrainsOnTheirChunks()
    {
        var longMessages = SpamTestData.Synthetic(100, seed: 6)
            .Select(e => (string.Join(". ", Enumerable.Repeat(e.Text, 6)), e.IsSpam))
            .ToList();

        var withChunks = await Task.Run(() => SpamModelTrainer.TrainAndEvaluate(longMessages, seed: 1), TestContext.Current.CancellationToken);
        var without = await Task.Run(
            () => SpamModelTrainer.TrainAndEvaluate(longMessages, seed: 1, SpamPipelineOptions.Default with { TrainingChunkLength = 0 }),
            TestContext.Current.CancellationToken);

        Assert.Equal(80, withChunks.TrainCount);
        Assert.True(withChunks.TrainingRows > 80 * 3, $"{withChunks.TrainingRows} rows");
        Assert.Equal(80, without.TrainingRows);
        Assert.Equal(withChunks.TestCount, without.TestCount);
    }
}
