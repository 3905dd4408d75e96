namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// How a spam model treats a small hand-written set of chat messages (Data/Spam/chat-smoke.tsv). Not a benchmark:
/// a guard against a model that is excellent on e-mail and useless on chat, until moderators' labels exist.
/// </summary>
public sealed record ChatSmokeResult(
    int Ham,
    int Spam,
    double AreaUnderRocCurve,
    int HamAboveHalf,
    int SpamAboveHalf,
    int HamAbove09,
    int SpamAbove09);

/// <summary>Reads the chat smoke set and scores a model on it.</summary>
public static class ChatSmokeSet
{
    public const string RelativePath = "src/Workers.Moderation/Data/Spam/chat-smoke.tsv";

    /// <summary>Parses the file: header <c>label&lt;TAB&gt;text</c>, labels <c>spam</c> or <c>ham</c>.</summary>
    public static IReadOnlyList<(string Text, bool IsSpam)> Parse(string tsv)
    {
        ArgumentNullException.ThrowIfNull(tsv);
        var lines = tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != "label\ttext")
        {
            throw new InvalidDataException("chat smoke set: expected the header 'label, text'");
        }

        return lines.Skip(1).Select((line, i) =>
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var label = tab < 0 ? "" : line[..tab];
            return label is "spam" or "ham"
                ? (line[(tab + 1)..], label == "spam")
                : throw new InvalidDataException($"chat smoke set line {i + 2}: expected label spam or ham, a tab, then the text");
        }).ToList();
    }

    /// <summary>Scores every message; AUC is the share of (spam, ham) pairs the model orders correctly, ties half.</summary>
    public static ChatSmokeResult Score(Func<string, double> probability, IReadOnlyList<(string Text, bool IsSpam)> examples)
    {
        ArgumentNullException.ThrowIfNull(probability);
        ArgumentNullException.ThrowIfNull(examples);
        var ham = examples.Where(e => !e.IsSpam).Select(e => probability(e.Text)).ToList();
        var spam = examples.Where(e => e.IsSpam).Select(e => probability(e.Text)).ToList();
        var pairs = ham.SelectMany(h => spam.Select(s => s > h ? 1.0 : s == h ? 0.5 : 0.0)).ToList();
        return new ChatSmokeResult(
            ham.Count,
            spam.Count,
            pairs.Count == 0 ? double.NaN : Math.Round(pairs.Average(), 4),
            ham.Count(p => p > 0.5),
            spam.Count(p => p > 0.5),
            ham.Count(p => p > 0.9),
            spam.Count(p => p > 0.9));
    }
}
