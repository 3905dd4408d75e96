using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.ML;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Tools.SpamModel;

/// <summary>One trainer run: read the corpus, optionally compare candidate pipelines, train the shipped one, write zip and metrics.</summary>
internal static class TrainingRun
{
    public const string ModelFile = "spam-model.zip";
    public const string ReportFile = "spam-model.metrics.json";

    /// <summary>
    /// Candidates for <c>--compare</c>. The first is what FeaturizeText does with no options; the shipped choice is
    /// <see cref="SpamPipelineOptions.Default"/>.
    /// </summary>
    public static readonly IReadOnlyList<SpamPipelineOptions> Candidates =
    [
        new() { Name = "word1+char3, sdca (FeaturizeText and SDCA defaults)", L2Regularization = null, TrainingChunkLength = 0 },
        new() { Name = "word1-2+char3, sdca", WordNgramLength = 2, L2Regularization = null, TrainingChunkLength = 0 },
        new() { Name = "word1+char3, sdca l2=1e-6", TrainingChunkLength = 0 },
        SpamPipelineOptions.Default,
        new() { Name = "word1-2+char3, sdca l2=1e-6, +chunks100", WordNgramLength = 2 },
        new() { Name = "word1+char3, lbfgs l2=1e-3, +chunks100", Learner = SpamLearner.LbfgsLogisticRegression, L2Regularization = 1e-3f },
    ];

    /// <summary>Splits per candidate: the run's seed and the next ones.</summary>
    public const int ComparisonSplits = 3;

    public static async Task RunAsync(TrainerArguments arguments, TextWriter log, CancellationToken cancellationToken)
    {
        var corpus = await SpamCorpus.ReadFileAsync(arguments.DataPath, cancellationToken);
        var examples = corpus.Examples;
        var chat = ChatSmokeSet.Parse(await File.ReadAllTextAsync(Path.Combine(arguments.RepoRoot, ChatSmokeSet.RelativePath), cancellationToken));
        await log.WriteLineAsync($"corpus: {corpus.Rows.Count} rows ({corpus.Rows.Count(r => r.IsSpam)} spam), sha256 {corpus.ContentSha256}");

        var comparison = new List<SpamPipelineComparison>();
        if (arguments.Compare)
        {
            await log.WriteLineAsync(ComparisonHeader);
            foreach (var candidate in Candidates)
            {
                var row = Compare(candidate, examples, chat, arguments.Seed, cancellationToken);
                comparison.Add(row);
                await log.WriteLineAsync(ComparisonLine(row));
            }
        }

        var reportPath = Path.Combine(arguments.OutputDirectory, ReportFile);
        if (!arguments.Compare)
        {
            comparison.AddRange(await PreviousComparisonAsync(reportPath, corpus, arguments.Seed, cancellationToken));
        }

        var result = SpamModelTrainer.TrainAndEvaluate(examples, arguments.Seed, SpamPipelineOptions.Default);
        var zip = result.ToZip();
        Directory.CreateDirectory(arguments.OutputDirectory);
        var zipPath = Path.Combine(arguments.OutputDirectory, ModelFile);
        await File.WriteAllBytesAsync(zipPath, zip, cancellationToken);

        var report = new SpamModelReport
        {
            ModelSha256 = Convert.ToHexStringLower(SHA256.HashData(zip)),
            ModelBytes = zip.LongLength,
            TrainedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            TrainingSeconds = Math.Round(result.TrainingTime.TotalSeconds, 1),
            MlNetVersion = MlNetVersion(),
            DataFile = Path.GetRelativePath(arguments.RepoRoot, arguments.DataPath).Replace('\\', '/'),
            DataSha256 = corpus.ContentSha256,
            DataRows = corpus.Rows.Count,
            Seed = arguments.Seed,
            TestFraction = HeldOutSplit.DefaultTestFraction,
            TrainCount = result.TrainCount,
            TrainingRows = result.TrainingRows,
            TestCount = result.TestCount,
            Pipeline = SpamPipelineOptions.Default,
            HeldOut = result.Metrics!,
            ChatSmoke = ChatSmokeSet.Score(SpamClassifier.Load(zip).Probability, chat),
            Comparison = comparison,
        };
        await File.WriteAllTextAsync(reportPath, report.ToJson() + "\n", cancellationToken);

        var m = report.HeldOut;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"""
            model: {zipPath} ({zip.Length:N0} bytes, sha256 {report.ModelSha256[..12]}), trained in {report.TrainingSeconds:0.0}s on {result.TrainCount} messages ({result.TrainingRows} rows with chunks)
            held-out ({result.TestCount} messages): accuracy {m.Accuracy:0.0000}  AUC {m.AreaUnderRocCurve:0.0000}  F1 {m.F1Score:0.0000}  precision {m.Precision:0.0000}  recall {m.Recall:0.0000}
            confusion (rows truth, columns predicted):  spam→spam {m.TruePositives}  spam→ham {m.FalseNegatives}  ham→spam {m.FalsePositives}  ham→ham {m.TrueNegatives}
            chat smoke set: {ChatSmokeLine(report.ChatSmoke)}
            metrics: {reportPath}
            """));
    }

    // A run without --compare keeps the last comparison if it was made on the same data and seed, so a plain
    // rebuild does not erase the table the docs quote.
    private static async Task<IReadOnlyList<SpamPipelineComparison>> PreviousComparisonAsync(
        string reportPath, SpamCorpus corpus, int seed, CancellationToken cancellationToken)
    {
        if (!File.Exists(reportPath))
        {
            return [];
        }

        var previous = SpamModelReport.FromJson(await File.ReadAllTextAsync(reportPath, cancellationToken));
        return previous.DataSha256 == corpus.ContentSha256 && previous.Seed == seed ? previous.Comparison : [];
    }

    private static SpamPipelineComparison Compare(
        SpamPipelineOptions candidate,
        IReadOnlyList<(string Text, bool IsSpam)> examples,
        IReadOnlyList<(string Text, bool IsSpam)> chat,
        int seed,
        CancellationToken cancellationToken)
    {
        var seeds = Enumerable.Range(seed, ComparisonSplits).ToList();
        var trials = new List<SpamTrainingResult>();
        foreach (var splitSeed in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            trials.Add(SpamModelTrainer.TrainAndEvaluate(examples, splitSeed, candidate));
        }

        var metrics = trials.Select(t => t.Metrics!).ToList();
        var firstZip = trials[0].ToZip();
        return new SpamPipelineComparison(
            candidate,
            seeds,
            Round(metrics.Average(m => m.Accuracy)),
            Round(StdDev(metrics.Select(m => m.Accuracy))),
            Round(metrics.Average(m => m.AreaUnderRocCurve)),
            Round(StdDev(metrics.Select(m => m.AreaUnderRocCurve))),
            Round(metrics.Average(m => m.F1Score)),
            Round(StdDev(metrics.Select(m => m.F1Score))),
            Round(metrics.Average(m => m.LogLoss)),
            ChatSmokeSet.Score(SpamClassifier.Load(firstZip).Probability, chat),
            Math.Round(trials.Average(t => t.TrainingTime.TotalSeconds), 1),
            firstZip.LongLength);
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static double StdDev(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return list.Count < 2 ? 0 : Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }

    private const string ComparisonHeader =
        "pipeline                                           | accuracy        | AUC             | F1              | log-loss | chat AUC | chat ham>0.5 | chat spam>0.5 | train s | zip bytes";

    private static string ComparisonLine(SpamPipelineComparison row) => string.Create(CultureInfo.InvariantCulture,
        $"{row.Pipeline.Name,-50} | {row.MeanAccuracy:0.0000} ± {row.StdDevAccuracy:0.0000} | {row.MeanAreaUnderRocCurve:0.0000} ± {row.StdDevAreaUnderRocCurve:0.0000} | {row.MeanF1Score:0.0000} ± {row.StdDevF1Score:0.0000} | {row.MeanLogLoss,8:0.0000} | {row.ChatSmoke.AreaUnderRocCurve,8:0.000} | {row.ChatSmoke.HamAboveHalf,6}/{row.ChatSmoke.Ham,-5} | {row.ChatSmoke.SpamAboveHalf,7}/{row.ChatSmoke.Spam,-5} | {row.MeanTrainingSeconds,7:0.0} | {row.ModelBytes,9:N0}");

    private static string ChatSmokeLine(ChatSmokeResult chat) => string.Create(CultureInfo.InvariantCulture,
        $"AUC {chat.AreaUnderRocCurve:0.000}; above 0.5: ham {chat.HamAboveHalf}/{chat.Ham}, spam {chat.SpamAboveHalf}/{chat.Spam}; above 0.9: ham {chat.HamAbove09}/{chat.Ham}, spam {chat.SpamAbove09}/{chat.Spam}");

    private static string MlNetVersion()
    {
        var informational = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return informational.Split('+')[0];
    }
}
