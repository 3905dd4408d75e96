using QuikApp.Workers.Moderation.Scoring.Text;

namespace QuikApp.Workers.Moderation.Scoring.Lexicons;

/// <summary>One occurrence of a lexicon entry in a message.</summary>
/// <param name="Entry">The entry that matched.</param>
/// <param name="Original">The characters of the original message that matched.</param>
/// <param name="FirstToken">Index of the first matched word in <see cref="NormalizedText.Tokens"/>.</param>
/// <param name="TokenCount">How many words matched (more than one for a phrase).</param>
public sealed record LexiconMatch(LexiconEntry Entry, TextSpan Original, int FirstToken, int TokenCount)
{
    public int EndToken => FirstToken + TokenCount;
}
