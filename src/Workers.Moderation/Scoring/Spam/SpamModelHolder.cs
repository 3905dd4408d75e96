namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// The spam model the worker scores with now. The retraining job promotes a new model with <see cref="Swap"/>;
/// a message is scored wholly by the old model or wholly by the new one, never by a mix.
/// </summary>
public sealed class SpamModelHolder(SpamClassifier initial)
{
    private SpamClassifier _current = initial ?? throw new ArgumentNullException(nameof(initial));

    /// <summary>Read once per message and score with what was read.</summary>
    public SpamClassifier Current => Volatile.Read(ref _current);

    /// <summary>
    /// Installs <paramref name="next"/> and returns the model it replaced. Scorers already holding the old model
    /// finish with it; it needs no disposal (managed only) and is collected once they are done.
    /// </summary>
    public SpamClassifier Swap(SpamClassifier next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Interlocked.Exchange(ref _current, next);
    }
}
