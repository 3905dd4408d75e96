using System.Diagnostics;
using Microsoft.ML;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// Fits <see cref="SpamModelPipeline"/> on labelled texts and measures it on a held-out share of them; used by the
/// bootstrap trainer (SpamAssassin) and by the retraining job (moderator-labelled chat messages).
/// </summary>
public static class SpamModelTrainer
{
    /// <summary>
    /// Normalises the texts (<see cref="SpamText.Normalize"/>, empty ones dropped), splits them with
    /// <see cref="HeldOutSplit"/>, trains on the rest (plus their chunks, see
    /// <see cref="SpamPipelineOptions.TrainingChunkLength"/>) and evaluates on the held-out messages. The same
    /// examples, seed and options give the same model and metrics.
    /// </summary>
    public static SpamTrainingResult TrainAndEvaluate(
        IEnumerable<(string Text, bool IsSpam)> examples,
        int seed,
        SpamPipelineOptions? options = null,
        double testFraction = HeldOutSplit.DefaultTestFraction)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var normalized = examples
            .Select(e => (Text: SpamText.Normalize(e.Text), e.IsSpam))
            .Where(e => e.Text.Length > 0)
            .ToList();
        var (train, test) = HeldOutSplit.Split(normalized, seed, testFraction);
        if (!train.Any(e => e.IsSpam) || !train.Any(e => !e.IsSpam))
        {
            throw new ArgumentException("training needs both spam and non-spam examples outside the held-out share", nameof(examples));
        }

        options ??= SpamPipelineOptions.Default;
        // Chunks are cut after the split, from training messages only, so no piece of a held-out message is trained on.
        var rows = WithChunks(train, options.TrainingChunkLength);

        var ml = new MLContext(seed);
        var trainData = ml.Data.LoadFromEnumerable(ToInputs(rows));
        var stopwatch = Stopwatch.StartNew();
        var model = SpamModelPipeline.Build(ml, options).Fit(trainData);
        stopwatch.Stop();

        var metrics = test.Count > 0 ? Evaluate(model, test) : null;
        return new SpamTrainingResult(model, trainData.Schema, metrics, train.Count, rows.Count, test.Count, stopwatch.Elapsed);
    }

    /// <summary>Scores the examples with the model and compares with their labels (spam positive, threshold 0.5).</summary>
    public static SpamModelMetrics Evaluate(ITransformer model, IEnumerable<(string Text, bool IsSpam)> examples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        var ml = new MLContext(seed: 0);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(ToInputs(examples.Select(e => (SpamText.Normalize(e.Text), e.IsSpam)))));
        var metrics = ml.BinaryClassification.Evaluate(scored, SpamModelPipeline.LabelColumn);

        int tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var row in ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: true))
        {
            switch ((row.Label, row.PredictedLabel))
            {
                case (true, true): tp++; break;
                case (false, true): fp++; break;
                case (false, false): tn++; break;
                case (true, false): fn++; break;
            }
        }

        return new SpamModelMetrics(
            metrics.Accuracy,
            metrics.AreaUnderRocCurve,
            metrics.AreaUnderPrecisionRecallCurve,
            metrics.F1Score,
            metrics.PositivePrecision,
            metrics.PositiveRecall,
            metrics.NegativePrecision,
            metrics.NegativeRecall,
            metrics.LogLoss,
            tp, fp, tn, fn);
    }

    private static List<(string Text, bool IsSpam)> WithChunks(IReadOnlyList<(string Text, bool IsSpam)> messages, int chunkLength)
    {
        var rows = new List<(string Text, bool IsSpam)>(messages);
        if (chunkLength <= 0)
        {
            return rows;
        }

        foreach (var (text, isSpam) in messages)
        {
            var chunks = SpamText.Chunks(text, chunkLength);
            if (chunks.Count > 1)
            {
                rows.AddRange(chunks.Select(chunk => (chunk, isSpam)));
            }
        }

        return rows;
    }

    private static IEnumerable<SpamModelInput> ToInputs(IEnumerable<(string Text, bool IsSpam)> examples) =>
        examples.Select(e => new SpamModelInput { Text = e.Text, Label = e.IsSpam });

    private sealed class ScoredRow
    {
        public bool Label { get; set; }

        public bool PredictedLabel { get; set; }
    }
}

/// <summary>
/// A fitted spam model, the input schema it was fitted on, and its held-out metrics (null when nothing was held out).
/// <see cref="TrainCount"/> counts training messages; <see cref="TrainingRows"/> adds their chunks.
/// </summary>
public sealed record SpamTrainingResult(
    ITransformer Model,
    DataViewSchema InputSchema,
    SpamModelMetrics? Metrics,
    int TrainCount,
    int TrainingRows,
    int TestCount,
    TimeSpan TrainingTime)
{
    /// <summary>The model as a zip that <see cref="SpamClassifier.Load(ReadOnlyMemory{byte}, DateTimeOffset?)"/> reads.</summary>
    public byte[] ToZip() => SpamModelZip.Write(Model, InputSchema);
}
