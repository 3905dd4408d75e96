using System.Runtime.InteropServices;
using QuikApp.Workers.Moderation.Scoring.Text;

namespace QuikApp.Workers.Moderation.Scoring.Lexicons;

/// <summary>
/// Finds lexicon words and phrases in normalised messages, on whole-word boundaries only, so "Scunthorpe",
/// "assassin" and "class" never match "cunt" or "ass". Built once per lexicon; matching is pure and thread-safe.
/// </summary>
/// <remarks>
/// Every term is normalised like a message and stored as a path of word ids in a trie, so a message is matched in
/// one pass over its words with a dictionary lookup per word. A word matches a lexicon word when its canonical form
/// or its alternate leetspeak reading is that word; a stretched word ("shiiit", "asss") also matches a lexicon word
/// with the same letters in the same order where every run of the lexicon word is no longer than the message's
/// ("boob" does not match "bobbb"); a word ending in "s" also matches a single-word term without it ("dicks").
/// Where one match lies inside another, only the longer one is reported. Entries of category
/// <see cref="AllowCategory"/> ("cum laude", "moby dick") are never reported: they only hide the matches inside them.
/// </remarks>
public sealed class LexiconMatcher
{
    /// <summary>The category of phrases in which a listed word is innocent.</summary>
    public const string AllowCategory = "allow";

    private const int MinPluralLength = 4;

    private readonly Dictionary<string, int> _wordIds = new(StringComparer.Ordinal);
    private readonly List<string> _words = [];
    private readonly Dictionary<string, List<int>> _bySkeleton = new(StringComparer.Ordinal);
    private readonly Node _root = new();

    public LexiconMatcher(IEnumerable<LexiconEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            var tokens = TextNormalizer.Normalize(entry.Term).Tokens;
            if (tokens.Count == 0)
            {
                continue; // nothing a message could contain after normalisation ("!!!")
            }

            var node = _root;
            foreach (var token in tokens)
            {
                node = node.ChildFor(WordId(token.Value));
            }

            if (node.Entry is null)
            {
                TermCount++;
            }

            // Two spellings that normalise alike ("pu55y", "pussy") are one term: the more severe one speaks for it.
            if (node.Entry is null || entry.Severity > node.Entry.Severity)
            {
                node.Entry = entry;
            }
        }
    }

    /// <summary>Distinct terms after normalisation.</summary>
    public int TermCount { get; }

    public IReadOnlyList<LexiconMatch> Match(string text) => Match(TextNormalizer.Normalize(text));

    public IReadOnlyList<LexiconMatch> Match(NormalizedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = text.Tokens;
        if (tokens.Count == 0)
        {
            return [];
        }

        var candidates = new Candidates(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            CollectCandidates(tokens[i], i, candidates);
        }

        List<LexiconMatch>? matches = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            foreach (var id in candidates.For(i))
            {
                if (_root.Children?.GetValueOrDefault(id) is { } child)
                {
                    Walk(child, tokens, candidates, i, i, ref matches);
                }
            }

            if (candidates.PluralOf(i) is { } stem && _root.Children?.GetValueOrDefault(stem)?.Entry is { } single
                && Fits(single, tokens[i]))
            {
                (matches ??= []).Add(MatchOf(single, tokens, i, i));
            }
        }

        return matches is null ? [] : KeepOutermost(matches);
    }

    private int WordId(string word)
    {
        if (_wordIds.TryGetValue(word, out var id))
        {
            return id;
        }

        id = _words.Count;
        _wordIds.Add(word, id);
        _words.Add(word);
        var skeleton = Skeleton(word);
        if (!_bySkeleton.TryGetValue(skeleton, out var ids))
        {
            _bySkeleton[skeleton] = ids = [];
        }

        ids.Add(id);
        return id;
    }

    private void CollectCandidates(NormalizedToken token, int index, Candidates candidates)
    {
        candidates.Begin(index);
        AddReadings(token.Value, token.Elongated, candidates);
        if (token.Alternate is { } alternate)
        {
            AddReadings(alternate, token.Elongated, candidates);
        }

        if (candidates.CountFor(index) == 0 && token.Value.Length >= MinPluralLength && token.Value[^1] == 's'
            && _wordIds.TryGetValue(token.Value[..^1], out var stem))
        {
            candidates.SetPlural(index, stem);
        }
    }

    private void AddReadings(string value, bool elongated, Candidates candidates)
    {
        if (_wordIds.TryGetValue(value, out var exact))
        {
            candidates.Add(exact);
        }

        if (elongated && _bySkeleton.TryGetValue(Skeleton(value), out var similar))
        {
            foreach (var id in similar)
            {
                if (RunsFit(value, _words[id]))
                {
                    candidates.Add(id);
                }
            }
        }
    }

    private static void Walk(
        Node node,
        IReadOnlyList<NormalizedToken> tokens,
        Candidates candidates,
        int start,
        int end,
        ref List<LexiconMatch>? matches)
    {
        if (node.Entry is { } entry && Fits(entry, tokens[end]))
        {
            (matches ??= []).Add(MatchOf(entry, tokens, start, end));
        }

        if (node.Children is null || end + 1 >= tokens.Count)
        {
            return;
        }

        foreach (var id in candidates.For(end + 1))
        {
            if (node.Children.GetValueOrDefault(id) is { } child)
            {
                Walk(child, tokens, candidates, start, end + 1, ref matches);
            }
        }
    }

    private static bool Fits(LexiconEntry entry, NormalizedToken last) => !entry.AtClauseEnd || last.EndsClause;

    private static LexiconMatch MatchOf(LexiconEntry entry, IReadOnlyList<NormalizedToken> tokens, int start, int end) =>
        new(entry, TextSpan.FromBounds(tokens[start].Original.Start, tokens[end].Original.End), start, end - start + 1);

    private static List<LexiconMatch> KeepOutermost(List<LexiconMatch> matches)
    {
        if (matches.Count == 1)
        {
            return matches[0].Entry.Category == AllowCategory ? [] : matches;
        }

        // Longest first, then most severe, so the first of any nested group is the one kept.
        matches.Sort((a, b) => b.TokenCount != a.TokenCount
            ? b.TokenCount.CompareTo(a.TokenCount)
            : b.Entry.Severity.CompareTo(a.Entry.Severity));
        var kept = new List<LexiconMatch>(matches.Count);
        foreach (var match in matches)
        {
            if (!kept.Exists(k => k.FirstToken <= match.FirstToken && match.EndToken <= k.EndToken))
            {
                kept.Add(match);
            }
        }

        kept.RemoveAll(k => k.Entry.Category == AllowCategory);
        kept.Sort((a, b) => a.FirstToken.CompareTo(b.FirstToken));
        return kept;
    }

    /// <summary>The word with every run of a repeated letter cut to one ("bullshit" → "bulshit").</summary>
    private static string Skeleton(string word)
    {
        Span<char> buffer = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
        var length = 0;
        foreach (var c in word)
        {
            if (length == 0 || buffer[length - 1] != c || !char.IsLetter(c))
            {
                buffer[length++] = c;
            }
        }

        return new string(buffer[..length]);
    }

    /// <summary>
    /// Whether a stretched message word (letter runs already capped at two) can be the lexicon word: same letters in
    /// the same order, no lexicon run longer than the message's.
    /// </summary>
    private static bool RunsFit(string message, string lexicon)
    {
        int i = 0, j = 0;
        while (i < message.Length && j < lexicon.Length)
        {
            var c = message[i];
            if (lexicon[j] != c)
            {
                return false;
            }

            var messageRun = RunLength(message, i);
            var lexiconRun = RunLength(lexicon, j);
            if (char.IsLetter(c) ? messageRun < lexiconRun : messageRun != lexiconRun)
            {
                return false;
            }

            i += messageRun;
            j += lexiconRun;
        }

        return i == message.Length && j == lexicon.Length;
    }

    private static int RunLength(string s, int from)
    {
        var to = from + 1;
        while (to < s.Length && s[to] == s[from])
        {
            to++;
        }

        return to - from;
    }

    private sealed class Node
    {
        public Dictionary<int, Node>? Children { get; private set; }

        public LexiconEntry? Entry { get; set; }

        public Node ChildFor(int wordId)
        {
            Children ??= [];
            if (!Children.TryGetValue(wordId, out var child))
            {
                Children[wordId] = child = new Node();
            }

            return child;
        }
    }

    /// <summary>The lexicon word ids each message word can stand for, in one flat list.</summary>
    private sealed class Candidates(int tokenCount)
    {
        private readonly int[] _start = new int[tokenCount];
        private readonly int[] _count = new int[tokenCount];
        private readonly int[] _plural = new int[tokenCount];
        private readonly List<int> _ids = [];
        private int _current;

        public void Begin(int index)
        {
            _current = index;
            _start[index] = _ids.Count;
            _plural[index] = -1;
        }

        public void Add(int id)
        {
            for (var k = _start[_current]; k < _ids.Count; k++)
            {
                if (_ids[k] == id)
                {
                    return;
                }
            }

            _ids.Add(id);
            _count[_current]++;
        }

        public void SetPlural(int index, int stem) => _plural[index] = stem;

        public int CountFor(int index) => _count[index];

        public int? PluralOf(int index) => _plural[index] >= 0 ? _plural[index] : null;

        public ReadOnlySpan<int> For(int index) => CollectionsMarshal.AsSpan(_ids).Slice(_start[index], _count[index]);
    }
}
