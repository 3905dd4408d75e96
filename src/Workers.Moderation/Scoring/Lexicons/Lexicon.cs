namespace QuikApp.Workers.Moderation.Scoring.Lexicons;

/// <summary>A loaded lexicon: its entries (templates already expanded) and the named word lists its check uses.</summary>
public sealed record Lexicon(string Name, IReadOnlyList<LexiconEntry> Entries)
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> WordLists { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A named word list, or an empty one.</summary>
    public IReadOnlyList<string> WordList(string name) => WordLists.TryGetValue(name, out var list) ? list : [];
}

/// <summary>The lexicons compiled into the worker.</summary>
public enum BuiltInLexicon
{
    /// <summary>profanity.json: generated from cuss and naughty-words by tools/lexicons/build-lexicons.mjs.</summary>
    Profanity,

    /// <summary>toxicity.json: insults, threats and identity attacks written for QuikApp.</summary>
    Toxicity,
}
