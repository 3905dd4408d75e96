using System.Globalization;
using QuikApp.Workers.Moderation.Scoring.Lexicons;
using QuikApp.Workers.Moderation.Scoring.Text;

namespace QuikApp.Workers.Moderation.Scoring.Profanity;

/// <summary>
/// Scores a message for swearing and slurs from the profanity lexicon: each distinct term found adds its severity's
/// weight, saturating towards 1. Pure; the lexicon is loaded before it is built.
/// </summary>
public sealed class ProfanityCheck
{
    public const string SignalPrefix = "profanity";

    private readonly LexiconMatcher _matcher;
    private readonly ProfanityOptions _options;

    /// <summary>Builds the check over a lexicon; every entry counts as profanity whatever its category.</summary>
    public ProfanityCheck(Lexicon lexicon, ProfanityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        _options = options ?? new ProfanityOptions();
        _options.Validate();
        _matcher = new LexiconMatcher(lexicon.Entries);
    }

    /// <summary>A check over the built-in profanity lexicon.</summary>
    public static ProfanityCheck CreateBuiltIn(ProfanityOptions? options = null) =>
        new(LexiconLoader.LoadBuiltIn(BuiltInLexicon.Profanity), options);

    public CheckResult Score(ScoringInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Score(TextNormalizer.Normalize(input.Content));
    }

    /// <summary>Scores an already normalised message, so several checks can share one normalisation.</summary>
    public CheckResult Score(NormalizedText text)
    {
        var matches = _matcher.Match(text);
        if (matches.Count == 0)
        {
            return CheckResult.Clean;
        }

        // A term repeated is one piece of evidence, not several: "fuck fuck fuck" scores like "fuck".
        var terms = matches
            .GroupBy(m => m.Entry)
            .Select(g => g.First())
            .OrderByDescending(m => m.Entry.Severity)
            .ThenBy(m => m.FirstToken)
            .ToList();

        var clean = 1.0;
        foreach (var match in terms)
        {
            clean *= 1 - _options.WeightOf(match.Entry.Severity);
        }

        var signals = terms
            .Take(_options.MaxSignals)
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{SignalPrefix}:{m.Entry.Term}(severity {m.Entry.Severity})"))
            .ToList();
        if (terms.Count > _options.MaxSignals)
        {
            signals.Add(string.Create(CultureInfo.InvariantCulture, $"{SignalPrefix}:+{terms.Count - _options.MaxSignals} more"));
        }

        return new CheckResult(Math.Round(1 - clean, 4), signals);
    }
}
