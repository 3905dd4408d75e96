using System.IO.Compression;
using System.Security.Cryptography;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

/// <summary>
/// The committed model, metrics and corpus agree: re-evaluating the model on its held-out split gives the committed
/// metrics, and re-training with the committed seed gives them again (tools/spam-model/rebuild.sh reproduces them).
/// </summary>
public sealed class BundledSpamModelTests
{
    private static readonly Lazy<Task<SpamCorpus>> Corpus =
        new(() => SpamCorpus.ReadFileAsync(SpamTestData.CorpusPath, CancellationToken.None));

    [Fact(Timeout = 60_000)]
    public async Task Report_CommittedFiles_MatchTheHashesItRecords()
    {
        var report = BundledSpamModel.ReadReport();
        var corpus = await Corpus.Value;
        var zip = await File.ReadAllBytesAsync(SpamTestData.ModelPath, TestContext.Current.CancellationToken);

        Assert.Equal(report.DataSha256, corpus.ContentSha256);
        Assert.Equal(report.DataRows, corpus.Rows.Count);
        Assert.Equal(report.ModelSha256, Convert.ToHexStringLower(SHA256.HashData(zip)));
        Assert.Equal(SpamPipelineOptions.Default, report.Pipeline);
    }

    [Fact(Timeout = 60_000)]
    public async Task Evaluate_BundledModelOnTheHeldOutSplit_ReproducesTheCommittedMetrics()
    {
        var report = BundledSpamModel.ReadReport();
        var corpus = await Corpus.Value;
        var (train, test) = HeldOutSplit.Split(corpus.Examples, report.Seed, report.TestFraction);

        var metrics = await Task.Run(() => SpamModelTrainer.Evaluate(SpamTestData.BundledClassifier.Model, test), TestContext.Current.CancellationToken);

        Assert.Equal(report.TrainCount, train.Count);
        Assert.Equal(report.TestCount, test.Count);
        AssertSameMetrics(report.HeldOut, metrics, tolerance: 1e-9);
    }

    [Fact(Timeout = 120_000)]
    public async Task TrainAndEvaluate_CommittedCorpusAndSeed_ReproducesTheCommittedMetrics()
    {
        var report = BundledSpamModel.ReadReport();
        var corpus = await Corpus.Value;

        var result = await Task.Run(
            () => SpamModelTrainer.TrainAndEvaluate(corpus.Examples, report.Seed, report.Pipeline, report.TestFraction),
            TestContext.Current.CancellationToken);

        AssertSameMetrics(report.HeldOut, Assert.IsType<SpamModelMetrics>(result.Metrics), tolerance: 1e-6);
    }

    [Fact]
    public void BundledZip_HasFixedEntryTimes_SoItsHashDependsOnlyOnTheModel()
    {
        using var zip = ZipFile.OpenRead(SpamTestData.ModelPath);

        Assert.All(zip.Entries, entry => Assert.Equal(2000, entry.LastWriteTime.Year));
    }

    private static void AssertSameMetrics(SpamModelMetrics expected, SpamModelMetrics actual, double tolerance)
    {
        Assert.Equal(expected.Accuracy, actual.Accuracy, tolerance);
        Assert.Equal(expected.AreaUnderRocCurve, actual.AreaUnderRocCurve, tolerance);
        Assert.Equal(expected.AreaUnderPrecisionRecallCurve, actual.AreaUnderPrecisionRecallCurve, tolerance);
        Assert.Equal(expected.F1Score, actual.F1Score, tolerance);
        Assert.Equal(expected.Precision, actual.Precision, tolerance);
        Assert.Equal(expected.Recall, actual.Recall, tolerance);
        Assert.Equal(expected.LogLoss, actual.LogLoss, tolerance);
        Assert.Equal(
            (expected.TruePositives, expected.FalsePositives, expected.TrueNegatives, expected.FalseNegatives),
            (actual.TruePositives, actual.FalsePositives, actual.TrueNegatives, actual.FalseNegatives));
    }
}
