namespace QuikApp.Workers.Moderation.Scoring.Text;

/// <summary>
/// A message folded to canonical words (see <see cref="TextNormalizer"/>), with a map from every canonical character
/// back to the original characters it came from.
/// </summary>
public sealed class NormalizedText
{
    private readonly int[] _originalStarts;
    private readonly int[] _originalEnds;

    internal NormalizedText(
        string original,
        string text,
        IReadOnlyList<NormalizedToken> tokens,
        int[] originalStarts,
        int[] originalEnds)
    {
        Original = original;
        Text = text;
        Tokens = tokens;
        _originalStarts = originalStarts;
        _originalEnds = originalEnds;
    }

    /// <summary>The message as sent.</summary>
    public string Original { get; }

    /// <summary>The canonical words joined by single spaces.</summary>
    public string Text { get; }

    public IReadOnlyList<NormalizedToken> Tokens { get; }

    /// <summary>The span of <see cref="Original"/> that produced <c>Text[start..(start + length)]</c>.</summary>
    public TextSpan ToOriginal(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Text.Length);
        if (length == 0)
        {
            var at = start < Text.Length ? _originalStarts[start] : Original.Length;
            return new TextSpan(at, 0);
        }

        return TextSpan.FromBounds(_originalStarts[start], _originalEnds[start + length - 1]);
    }

    public override string ToString() => Text;
}
