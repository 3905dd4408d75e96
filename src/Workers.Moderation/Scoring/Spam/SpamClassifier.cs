using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// Scores a message's text with one trained spam model: the probability that it is spam. Thread-safe; load once and
/// share (swap models through <see cref="SpamModelHolder"/>).
/// </summary>
public sealed class SpamClassifier
{
    /// <summary>Prefix of the signal this check reports, followed by the probability: <c>spam.model:0.97</c>.</summary>
    public const string SignalPrefix = "spam.model:";

    private readonly ObjectPool<Scorer> _scorers;

    private SpamClassifier(ITransformer model, string modelVersion)
    {
        Model = model;
        ModelVersion = modelVersion;
        // A PredictionEngine is not thread-safe and costs far more to build than to use, so each caller borrows one.
        // Engines beyond the retained count (bursts) are built, used and dropped.
        _scorers = new DefaultObjectPool<Scorer>(new ScorerPolicy(model), Environment.ProcessorCount * 2);
    }

    /// <summary>
    /// First 12 hex digits of the model zip's SHA-256, then <c>@</c> and the training time when known
    /// (<c>3f1c0a9be2d4@2025-11-25T22:00:00Z</c>). The zip is written byte-reproducibly, so equal versions mean equal models.
    /// </summary>
    public string ModelVersion { get; }

    /// <summary>The fitted pipeline, for evaluating this model against labelled examples.</summary>
    public ITransformer Model { get; }

    /// <summary>Reads a model zip (as written by <see cref="SpamModelZip"/> or ML.NET's <c>Model.Save</c>).</summary>
    public static SpamClassifier Load(ReadOnlyMemory<byte> zip, DateTimeOffset? trainedAt = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(zip.Span));
        var version = trainedAt is { } at
            ? $"{sha[..12]}@{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}"
            : sha[..12];
        using var stream = new MemoryStream(zip.ToArray(), writable: false);
        var model = new MLContext(seed: 0).Model.Load(stream, out _);
        return new SpamClassifier(model, version);
    }

    public static async Task<SpamClassifier> LoadAsync(Stream zip, DateTimeOffset? trainedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zip);
        using var buffer = new MemoryStream();
        await zip.CopyToAsync(buffer, cancellationToken);
        return Load(buffer.ToArray(), trainedAt);
    }

    /// <summary>
    /// Reads a model zip from disk, taking the training time from the <c>.metrics.json</c> beside it
    /// (<c>spam-model.zip</c> → <c>spam-model.metrics.json</c>) when there is one.
    /// </summary>
    public static async Task<SpamClassifier> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        var zip = await File.ReadAllBytesAsync(path, cancellationToken);
        var reportPath = Path.ChangeExtension(path, ".metrics.json");
        DateTimeOffset? trainedAt = File.Exists(reportPath)
            ? SpamModelReport.FromJson(await File.ReadAllTextAsync(reportPath, cancellationToken)).TrainedAt
            : null;
        return Load(zip, trainedAt);
    }

    /// <summary>Probability in [0, 1] that the text is spam; 0 for text that is empty once normalised.</summary>
    public double Probability(string text)
    {
        var normalized = SpamText.Normalize(text);
        if (normalized.Length == 0)
        {
            return 0;
        }

        var scorer = _scorers.Get();
        try
        {
            var p = scorer.Score(normalized);
            return float.IsNaN(p) ? 0 : Math.Clamp(p, 0, 1);
        }
        finally
        {
            _scorers.Return(scorer);
        }
    }

    /// <summary>The probability as a check verdict, with the signal <c>spam.model:&lt;p&gt;</c> (two decimals).</summary>
    public CheckResult Check(string text)
    {
        var p = Probability(text);
        return new CheckResult(p, [SignalPrefix + p.ToString("0.00", CultureInfo.InvariantCulture)]);
    }

    public CheckResult Check(ScoringInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Check(input.Content);
    }

    private sealed class Scorer(PredictionEngine<SpamModelInput, SpamModelOutput> engine)
    {
        private readonly SpamModelInput _input = new();
        private SpamModelOutput _output = new();

        public float Score(string text)
        {
            _input.Text = text;
            engine.Predict(_input, ref _output);
            return _output.Probability;
        }
    }

    private sealed class ScorerPolicy(ITransformer model) : PooledObjectPolicy<Scorer>
    {
        // MLContext is not documented as thread-safe; engines are built rarely, so building them one at a time costs nothing.
        private readonly Lock _gate = new();
        private readonly MLContext _ml = new(seed: 0);

        public override Scorer Create()
        {
            lock (_gate)
            {
                return new Scorer(_ml.Model.CreatePredictionEngine<SpamModelInput, SpamModelOutput>(model));
            }
        }

        public override bool Return(Scorer obj) => true;
    }
}
