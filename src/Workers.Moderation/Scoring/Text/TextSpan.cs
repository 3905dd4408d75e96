namespace QuikApp.Workers.Moderation.Scoring.Text;

/// <summary>A run of UTF-16 code units in a string: where something sits in the message as sent.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    public override string ToString() => $"[{Start}..{End})";
}
