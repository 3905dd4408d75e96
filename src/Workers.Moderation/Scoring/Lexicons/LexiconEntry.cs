namespace QuikApp.Workers.Moderation.Scoring.Lexicons;

/// <summary>One word or phrase of a lexicon, with what it means when it appears.</summary>
/// <param name="Term">The term as written in the lexicon; it is normalised the same way as messages before matching.</param>
/// <param name="Category">What the term is evidence of: <c>profanity</c>, <c>insult</c>, <c>threat</c>, <c>identity_attack</c>.</param>
/// <param name="Severity">1 mild, 2 moderate, 3 severe.</param>
public sealed record LexiconEntry(string Term, string Category, int Severity)
{
    /// <summary>Where the term comes from (an upstream package id, or our own list).</summary>
    public string? Source { get; init; }

    /// <summary>ISO 639-1 code of the term's language, when the lexicon says.</summary>
    public string? Language { get; init; }

    /// <summary>The term counts only when aimed at the reader ("you are stupid", not "stupid printer"); the check decides what aimed means.</summary>
    public bool RequiresTarget { get; init; }

    /// <summary>The term matches only where a clause ends after it ("i will find you." but not "i will find you a seat").</summary>
    public bool AtClauseEnd { get; init; }
}
