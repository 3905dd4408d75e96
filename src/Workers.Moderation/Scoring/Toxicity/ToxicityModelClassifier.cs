using System.Globalization;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Scoring.Toxicity;

/// <summary>
/// Scores a message with a toxicity model learnt from moderators' decisions (Learning/): the probability that it is
/// toxic. Thread-safe; load once and share through <see cref="ToxicityModelHolder"/>.
/// </summary>
/// <remarks>
/// The model is the spam model's pipeline (<see cref="SpamModelPipeline"/>) fitted on toxicity labels, so it runs on
/// the same runtime: a pooled ML.NET prediction engine over the same input and output columns. Only the meaning of the
/// positive class differs.
/// </remarks>
public sealed class ToxicityModelClassifier
{
    /// <summary>Prefix of the signal this model reports, followed by the probability: <c>toxicity.model:0.91</c>.</summary>
    public const string SignalPrefix = "toxicity.model:";

    private readonly SpamClassifier _model;

    private ToxicityModelClassifier(SpamClassifier model) => _model = model;

    /// <summary>First 12 hex digits of the zip's SHA-256, then <c>@</c> and the training time when known.</summary>
    public string ModelVersion => _model.ModelVersion;

    /// <summary>Reads a model zip written by the retraining job.</summary>
    public static ToxicityModelClassifier Load(ReadOnlyMemory<byte> zip, DateTimeOffset? trainedAt = null) =>
        new(SpamClassifier.Load(zip, trainedAt));

    /// <summary>Probability in [0, 1] that the text is toxic; 0 for text that is empty once normalised.</summary>
    public double Probability(string text) => _model.Probability(text);

    /// <summary>The signal for a probability, two decimals.</summary>
    public static string Signal(double probability) => SignalPrefix + probability.ToString("0.00", CultureInfo.InvariantCulture);
}
