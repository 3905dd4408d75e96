namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>The one text rule shared by training and scoring, so the model sees chat messages as it saw its corpus.</summary>
public static class SpamText
{
    /// <summary>
    /// Longest text the model looks at. Chat messages are short; without a cap a few long e-mails dominate the
    /// corpus's n-gram counts. tools/spam-model/prepare-corpus.mjs cuts at the same length.
    /// </summary>
    public const int MaxLength = 2000;

    /// <summary>
    /// Runs of whitespace or control characters become one space, the ends are trimmed, and the text is cut to
    /// <see cref="MaxLength"/> UTF-16 code units without splitting a surrogate pair. Idempotent, and identical to
    /// <c>normalise()</c> in prepare-corpus.mjs, which produced the training file.
    /// </summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new System.Text.StringBuilder(Math.Min(text.Length, MaxLength + 1));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (builder.Length > MaxLength)
            {
                break;
            }
        }

        if (builder.Length > MaxLength)
        {
            builder.Length = MaxLength;
            if (char.IsHighSurrogate(builder[^1]))
            {
                builder.Length--;
            }

            while (builder.Length > 0 && builder[^1] == ' ')
            {
                builder.Length--;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Cuts a normalised text into chat-sized pieces: sentences (ended by . ! or ? and a space) gathered up to about
    /// <paramref name="targetLength"/> characters, a longer sentence split between words. Training adds these pieces
    /// beside each long message so the model also learns what short text looks like (see <see cref="SpamPipelineOptions.TrainingChunkLength"/>).
    /// </summary>
    public static IReadOnlyList<string> Chunks(string normalizedText, int targetLength)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetLength, 1);
        var pieces = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var word in normalizedText.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > targetLength)
            {
                Flush();
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(word);
            if (word[^1] is '.' or '!' or '?' && current.Length >= targetLength / 2)
            {
                Flush();
            }
        }

        Flush();
        return pieces;

        void Flush()
        {
            if (current.Length > 0)
            {
                pieces.Add(current.ToString());
                current.Clear();
            }
        }
    }
}
