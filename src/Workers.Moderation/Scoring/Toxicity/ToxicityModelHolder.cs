namespace QuikApp.Workers.Moderation.Scoring.Toxicity;

/// <summary>
/// The learnt toxicity model the worker scores with now, or none (the lexicon, and ONNX when configured, score alone).
/// A promoted model is installed with <see cref="Swap"/>; a message is scored wholly by one model, never by a mix.
/// </summary>
public sealed class ToxicityModelHolder
{
    private ToxicityModelClassifier? _current;

    /// <summary>Read once per message and score with what was read; null until a model is promoted.</summary>
    public ToxicityModelClassifier? Current => Volatile.Read(ref _current);

    /// <summary>Installs <paramref name="next"/> (null: back to no model) and returns the one it replaced.</summary>
    public ToxicityModelClassifier? Swap(ToxicityModelClassifier? next) => Interlocked.Exchange(ref _current, next);
}
