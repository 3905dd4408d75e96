using System.Globalization;
using QuikApp.Workers.Moderation.Scoring.Lexicons;
using QuikApp.Workers.Moderation.Scoring.Text;

namespace QuikApp.Workers.Moderation.Scoring.Toxicity;

/// <summary>
/// Scores a message for insults, threats and identity attacks from the toxicity lexicon. Explainable by design: every
/// point of the score comes from a listed phrase, and the signals say which. Pure; the lexicon is loaded before.
/// </summary>
public sealed class ToxicityLexiconCheck
{
    public const string SignalPrefix = "toxicity";

    /// <summary>Word list in the lexicon naming the second-person words that aim an insult at the reader.</summary>
    public const string SecondPersonList = "secondPerson";

    /// <summary>Word list in the lexicon naming the words allowed between "you" and the insult ("are", "such", "a").</summary>
    public const string TargetLinksList = "targetLinks";

    private readonly LexiconMatcher _matcher;
    private readonly ToxicityLexiconOptions _options;
    private readonly HashSet<string> _secondPerson;
    private readonly HashSet<string> _targetLinks;

    public ToxicityLexiconCheck(Lexicon lexicon, ToxicityLexiconOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        _options = options ?? new ToxicityLexiconOptions();
        _options.Validate();

        var unknown = lexicon.Entries.Select(e => e.Category).Distinct(StringComparer.Ordinal)
            .Except([.. ToxicityCategories.All, LexiconMatcher.AllowCategory], StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Lexicon {lexicon.Name} has categories the toxicity check doesn't weigh: {string.Join(", ", unknown)}.",
                nameof(lexicon));
        }

        _matcher = new LexiconMatcher(lexicon.Entries);
        _secondPerson = CanonicalWords(lexicon.WordList(SecondPersonList));
        _targetLinks = CanonicalWords(lexicon.WordList(TargetLinksList));
    }

    /// <summary>A check over the built-in toxicity lexicon.</summary>
    public static ToxicityLexiconCheck CreateBuiltIn(ToxicityLexiconOptions? options = null) =>
        new(LexiconLoader.LoadBuiltIn(BuiltInLexicon.Toxicity), options);

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

        var insultWords = new bool[text.Tokens.Count];
        foreach (var match in matches.Where(m => m.Entry.Category == ToxicityCategories.Insult))
        {
            Array.Fill(insultWords, true, match.FirstToken, match.TokenCount);
        }

        var weighed = new Dictionary<LexiconEntry, (double Weight, bool Targeted, int At)>();
        foreach (var match in matches)
        {
            var targeted = match.Entry.Category == ToxicityCategories.Insult && IsTargeted(match, text.Tokens, insultWords);
            if (match.Entry.RequiresTarget && !targeted)
            {
                continue;
            }

            var weight = WeightOf(match.Entry, targeted);
            if (!weighed.TryGetValue(match.Entry, out var known) || weight > known.Weight)
            {
                weighed[match.Entry] = (weight, targeted, match.FirstToken);
            }
        }

        if (weighed.Count == 0)
        {
            return CheckResult.Clean;
        }

        var ranked = weighed.OrderByDescending(w => w.Value.Weight).ThenBy(w => w.Value.At).ToList();
        var clean = 1.0;
        foreach (var (_, (weight, _, _)) in ranked)
        {
            clean *= 1 - weight;
        }

        var signals = ranked
            .Take(_options.MaxSignals)
            .Select(w => string.Create(
                CultureInfo.InvariantCulture,
                $"{SignalPrefix}.{w.Key.Category}:{w.Key.Term}{(w.Value.Targeted ? "(targeted)" : "")}"))
            .ToList();
        if (ranked.Count > _options.MaxSignals)
        {
            signals.Add(string.Create(CultureInfo.InvariantCulture, $"{SignalPrefix}:+{ranked.Count - _options.MaxSignals} more"));
        }

        return new CheckResult(Math.Round(1 - clean, 4), signals);
    }

    private double WeightOf(LexiconEntry entry, bool targeted)
    {
        var category = entry.Category switch
        {
            ToxicityCategories.Threat => _options.ThreatWeight,
            ToxicityCategories.IdentityAttack => _options.IdentityAttackWeight,
            _ => targeted ? _options.TargetedInsultWeight : _options.InsultWeight,
        };
        var factor = entry.Severity switch
        {
            <= 1 => _options.MildFactor,
            2 => 1.0,
            _ => _options.SevereFactor,
        };
        return Math.Min(0.99, category * factor);
    }

    /// <summary>
    /// An insult is aimed at the reader when it contains a second-person word ("fuck you") or one stands before it
    /// in the same clause with only link words or other insults between ("you are such a stupid idiot").
    /// </summary>
    private bool IsTargeted(LexiconMatch match, IReadOnlyList<NormalizedToken> tokens, bool[] insultWords)
    {
        for (var t = match.FirstToken; t < match.EndToken; t++)
        {
            if (_secondPerson.Contains(tokens[t].Value))
            {
                return true;
            }
        }

        var links = 0;
        for (var j = match.FirstToken - 1; j >= 0 && !tokens[j].EndsClause; j--)
        {
            var word = tokens[j].Value;
            if (_secondPerson.Contains(word))
            {
                return true;
            }

            if (!(_targetLinks.Contains(word) || insultWords[j]) || ++links > _options.TargetWindow)
            {
                return false;
            }
        }

        return false;
    }

    private static HashSet<string> CanonicalWords(IEnumerable<string> words) =>
        words.SelectMany(w => TextNormalizer.Normalize(w).Tokens.Select(t => t.Value)).ToHashSet(StringComparer.Ordinal);
}
