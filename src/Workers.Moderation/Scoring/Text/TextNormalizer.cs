using System.Globalization;
using System.Text;

namespace QuikApp.Workers.Moderation.Scoring.Text;

/// <summary>
/// Folds the ways people disguise words (accents, look-alike letters, fullwidth forms, invisible characters,
/// leetspeak, stretched letters, spaced-out letters) into canonical words, remembering where each came from.
/// </summary>
/// <remarks>
/// Pure and thread-safe. The order matters and is: per character, drop invisible characters and combining marks,
/// apply the compatibility decomposition (fullwidth, ligatures, math letters, accents), map look-alike letters, lower
/// case; then split into words, join single letters spaced out with one repeated separator ("s.h.i.t"), decode
/// leetspeak inside words that are mostly letters, and cap letter runs at two.
/// </remarks>
public static class TextNormalizer
{
    /// <summary>
    /// Version of <see cref="NormalizeForHash"/>'s output. Content hashes are stored, so any change to that method or
    /// to the folding table's NFKC or lower-case columns must bump this and be handled as a migration.
    /// </summary>
    public const int HashFormVersion = 1;

    private const int MaxSeparatorLength = 3;
    private const int MinSpacedOutLetters = 3;

    // Reading each BMP character once and caching the result keeps non-English text as cheap as ASCII after warm-up.
    private static readonly string?[] BmpFolds = new string?[char.MaxValue + 1];

    /// <summary>Normalises a message for matching. See the type's remarks for what is folded.</summary>
    public static NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = Fold(text);
        return new Tokenizer(text, folded).Run();
    }

    /// <summary>
    /// The form a message is hashed in for <c>contentHash</c>: NFKC applied per code point, lower case, runs of
    /// white space collapsed to one space, trimmed. Deliberately much less aggressive than <see cref="Normalize"/>
    /// (no homoglyphs or leetspeak), so different messages don't collide.
    /// </summary>
    /// <remarks>
    /// Stored hashes depend on this output: it must stay byte-for-byte stable across releases (see
    /// <see cref="HashFormVersion"/>). Both mappings come from the committed folding table rather than the runtime, so
    /// neither the globalization mode nor the host's ICU can change it. Decomposed accents (e + U+0301) are not
    /// recomposed: clients send precomposed text, and recomposition would need more tables than it's worth.
    /// </remarks>
    public static string NormalizeForHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value >= 0x80 && UnicodeFolding.TryGet(rune.Value, out var entry) && entry.Compatibility is { } kc)
            {
                foreach (var inner in kc.EnumerateRunes())
                {
                    AppendForHash(builder, inner, ref pendingSpace);
                }
            }
            else
            {
                AppendForHash(builder, rune, ref pendingSpace);
            }
        }

        return builder.ToString();
    }

    private static void AppendForHash(StringBuilder builder, Rune rune, ref bool pendingSpace)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            pendingSpace = builder.Length > 0;
            return;
        }

        if (pendingSpace)
        {
            builder.Append(' ');
            pendingSpace = false;
        }

        UnicodeFolding.AppendLower(builder, rune);
    }

    private static FoldedText Fold(string text)
    {
        var folded = new FoldedText(text.Length + 8);
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c < 0x80)
            {
                folded.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c, i, i + 1);
                i++;
                continue;
            }

            string replacement;
            int width;
            if (Rune.TryGetRuneAt(text, i, out var rune))
            {
                width = rune.Utf16SequenceLength;
                replacement = rune.IsBmp ? BmpFolds[c] ??= FoldRune(rune) : FoldRune(rune);
            }
            else
            {
                width = 1; // a lone surrogate: nothing anyone can read, so nothing to match
                replacement = string.Empty;
            }

            if (replacement.Length == 0)
            {
                folded.ExtendLast(i + width);
            }
            else
            {
                folded.Append(replacement, i, i + width);
            }

            i += width;
        }

        return folded;
    }

    private static string FoldRune(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
        {
            return string.Empty; // accents, variation selectors, zero-width characters, soft hyphen, BOM
        }

        switch (rune.Value)
        {
            case 0x115F or 0x1160 or 0x3164 or 0xFFA0: // Hangul fillers: letters that render as nothing
            case >= 0x1F3FB and <= 0x1F3FF: // skin-tone modifiers belong to the emoji before them
                return string.Empty;
            case 0x2800: // braille blank: renders as a space
                return " ";
        }

        var source = UnicodeFolding.TryGet(rune.Value, out var entry) && entry.Folded is { } folded
            ? folded
            : rune.ToString();
        var builder = new StringBuilder(source.Length);
        foreach (var part in source.EnumerateRunes())
        {
            if (part.IsBmp && Homoglyphs.For((char)part.Value) is { } lookAlike)
            {
                foreach (var latin in lookAlike.EnumerateRunes())
                {
                    UnicodeFolding.AppendLower(builder, latin);
                }
            }
            else
            {
                UnicodeFolding.AppendLower(builder, part);
            }
        }

        return builder.ToString();
    }

    private static char LeetPrimary(char c) => c switch
    {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '9' => 'g',
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        '+' => 't',
        '|' => 'l',
        '€' => 'e',
        _ => c,
    };

    // "1", "!" and "|" stand for both i and l ("sh1t", "s1ut"); the other reading goes into the token's Alternate.
    private static char LeetAlternate(char c) => c switch
    {
        '1' or '!' => 'l',
        '|' => 'i',
        _ => LeetPrimary(c),
    };

    private static bool IsClauseEnd(char c) => c is '.' or ',' or ';' or '!' or '?' or '\n' or '\r';

    private enum CharKind : byte
    {
        Gap,
        Letter,
        Digit,
        Leet,
        Joiner,
        Symbol,
        SymbolTail,
    }

    /// <summary>The per-character fold of a message: characters, their kinds and the original span of each.</summary>
    private sealed class FoldedText(int capacity)
    {
        public char[] Chars { get; private set; } = new char[capacity];
        public CharKind[] Kinds { get; private set; } = new CharKind[capacity];
        public int[] Starts { get; private set; } = new int[capacity];
        public int[] Ends { get; private set; } = new int[capacity];
        public int Count { get; private set; }

        public void Append(char c, int start, int end)
        {
            EnsureRoom(1);
            Chars[Count] = c;
            Kinds[Count] = Classify(c);
            Starts[Count] = start;
            Ends[Count] = end;
            Count++;
        }

        public void Append(string s, int start, int end)
        {
            EnsureRoom(s.Length);
            for (var k = 0; k < s.Length; k++)
            {
                var c = s[k];
                var kind = Classify(c);
                if (char.IsHighSurrogate(c) && k + 1 < s.Length)
                {
                    var category = CharUnicodeInfo.GetUnicodeCategory(s, k);
                    kind = category == UnicodeCategory.OtherSymbol ? CharKind.Symbol
                        : char.IsLetter(s, k) ? CharKind.Letter
                        : CharKind.Gap;
                }
                else if (char.IsLowSurrogate(c) && Count > 0 && char.IsHighSurrogate(Chars[Count - 1]))
                {
                    kind = Kinds[Count - 1] == CharKind.Symbol ? CharKind.SymbolTail : Kinds[Count - 1];
                }

                Chars[Count] = c;
                Kinds[Count] = kind;
                Starts[Count] = start;
                Ends[Count] = end;
                Count++;
            }
        }

        /// <summary>A dropped character (an accent, a zero-width space) still belongs to the span of the one before.</summary>
        public void ExtendLast(int end)
        {
            if (Count > 0)
            {
                Ends[Count - 1] = end;
            }
        }

        private static CharKind Classify(char c) => c switch
        {
            >= '0' and <= '9' => CharKind.Digit,
            '@' or '$' or '!' or '+' or '|' or '€' => CharKind.Leet,
            '\'' or '\u2019' or '\u2018' or '\u02BC' => CharKind.Joiner,
            _ when char.IsLetterOrDigit(c) => CharKind.Letter,
            _ when CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol => CharKind.Symbol,
            _ => CharKind.Gap,
        };

        private void EnsureRoom(int extra)
        {
            if (Count + extra <= Chars.Length)
            {
                return;
            }

            var size = Math.Max(Chars.Length * 2, Count + extra);
            Chars = Resize(Chars, size);
            Kinds = Resize(Kinds, size);
            Starts = Resize(Starts, size);
            Ends = Resize(Ends, size);
        }

        private static T[] Resize<T>(T[] array, int size)
        {
            var bigger = new T[size];
            Array.Copy(array, bigger, array.Length);
            return bigger;
        }
    }

    /// <summary>A run of word characters in the folded text, before spaced-out letters are joined.</summary>
    private readonly record struct RawToken(int From, int To, bool IsSymbol)
    {
        public int Length => To - From;
    }

    /// <summary>Turns the folded characters into canonical words and the canonical text with its map.</summary>
    private sealed class Tokenizer(string original, FoldedText folded)
    {
        private readonly List<NormalizedToken> _tokens = [];
        private readonly StringBuilder _text = new(folded.Count);
        private readonly List<int> _starts = new(folded.Count);
        private readonly List<int> _ends = new(folded.Count);
        private readonly StringBuilder _value = new();
        private readonly StringBuilder _alternate = new();
        private readonly List<int> _valueStarts = [];
        private readonly List<int> _valueEnds = [];
        private int[] _indexes = new int[16];

        public NormalizedText Run()
        {
            var raws = Segment();
            var r = 0;
            while (r < raws.Count)
            {
                var last = SpacedOutRunEnd(raws, r);
                if (last - r + 1 >= MinSpacedOutLetters)
                {
                    var count = 0;
                    for (var k = r; k <= last; k++)
                    {
                        AddIndex(ref count, raws[k].From);
                    }

                    EmitWord(count, EndsClause(raws, last));
                    r = last + 1;
                    continue;
                }

                var raw = raws[r];
                if (raw.IsSymbol)
                {
                    BeginValue();
                    for (var k = raw.From; k < raw.To; k++)
                    {
                        AppendValueChar(folded.Chars[k], folded.Chars[k], k, capRuns: false);
                    }

                    AddToken(alternate: null, elongated: false, EndsClause(raws, r));
                }
                else
                {
                    var count = 0;
                    for (var k = raw.From; k < raw.To; k++)
                    {
                        AddIndex(ref count, k);
                    }

                    EmitWord(count, EndsClause(raws, r));
                }

                r++;
            }

            return new NormalizedText(original, _text.ToString(), _tokens, [.. _starts], [.. _ends]);
        }

        private List<RawToken> Segment()
        {
            var raws = new List<RawToken>();
            var kinds = folded.Kinds;
            var n = folded.Count;
            var i = 0;
            while (i < n)
            {
                var kind = kinds[i];
                if (kind == CharKind.Symbol)
                {
                    var to = i + 1 < n && kinds[i + 1] == CharKind.SymbolTail ? i + 2 : i + 1;
                    raws.Add(new RawToken(i, to, IsSymbol: true));
                    i = to;
                }
                else if (IsWordKind(kind))
                {
                    var j = i;
                    while (j < n && IsWordKind(kinds[j]))
                    {
                        j++;
                    }

                    var (from, to) = Trim(i, j);
                    if (from < to)
                    {
                        raws.Add(new RawToken(from, to, IsSymbol: false));
                    }

                    i = j;
                }
                else
                {
                    i++;
                }
            }

            return raws;
        }

        private static bool IsWordKind(CharKind kind) =>
            kind is CharKind.Letter or CharKind.Digit or CharKind.Leet or CharKind.Joiner;

        // Apostrophes only join letters; "!" and "+" at a word's edge are punctuation ("wow!", "c++"), while "$" and
        // "@" at the edge are the usual stand-ins ("$hit", "a$$", "@ss").
        private (int From, int To) Trim(int from, int to)
        {
            var chars = folded.Chars;
            var kinds = folded.Kinds;
            while (from < to && (kinds[from] == CharKind.Joiner
                || (kinds[from] == CharKind.Leet && chars[from] is not ('@' or '$'))))
            {
                from++;
            }

            while (to > from && (kinds[to - 1] == CharKind.Joiner
                || (kinds[to - 1] == CharKind.Leet && chars[to - 1] != '$')))
            {
                to--;
            }

            return (from, to);
        }

        /// <summary>
        /// The last raw token of a run of single characters starting at <paramref name="r"/> that are all separated by
        /// the same short separator ("s.h.i.t", "s h i t"); <paramref name="r"/> itself when there is no such run.
        /// </summary>
        private int SpacedOutRunEnd(List<RawToken> raws, int r)
        {
            if (!IsSingle(raws[r]) || r + 1 >= raws.Count || !IsSingle(raws[r + 1]))
            {
                return r;
            }

            var separator = Gap(raws[r], raws[r + 1]);
            if (separator.Length is 0 or > MaxSeparatorLength || separator.Contains('\n'))
            {
                return r;
            }

            var last = r + 1;
            while (last + 1 < raws.Count && IsSingle(raws[last + 1])
                && Gap(raws[last], raws[last + 1]).SequenceEqual(separator))
            {
                last++;
            }

            return last;
        }

        private static bool IsSingle(RawToken raw) => !raw.IsSymbol && raw.Length == 1;

        private ReadOnlySpan<char> Gap(RawToken before, RawToken after) =>
            folded.Chars.AsSpan(before.To, after.From - before.To);

        private bool EndsClause(List<RawToken> raws, int r)
        {
            var end = r + 1 < raws.Count ? raws[r + 1].From : folded.Count;
            if (end == folded.Count)
            {
                return true;
            }

            for (var k = raws[r].To; k < end; k++)
            {
                if (IsClauseEnd(folded.Chars[k]))
                {
                    return true;
                }
            }

            return false;
        }

        private void AddIndex(ref int count, int index)
        {
            if (count == _indexes.Length)
            {
                Array.Resize(ref _indexes, _indexes.Length * 2);
            }

            _indexes[count++] = index;
        }

        /// <summary>Emits the word made of the folded characters at <c>_indexes[..count]</c>.</summary>
        private void EmitWord(int count, bool endsClause)
        {
            int letters = 0, digits = 0, leet = 0;
            for (var k = 0; k < count; k++)
            {
                switch (folded.Kinds[_indexes[k]])
                {
                    case CharKind.Letter: letters++; break;
                    case CharKind.Digit: digits++; break;
                    case CharKind.Leet: leet++; break;
                }
            }

            // Leetspeak is read only in words that are mostly letters: "sh1t" and "b1tch" decode, "2024", "a55" (a
            // phone model) and "h264" stay as they are.
            var decode = letters > 0 && digits <= letters;
            if (!decode && leet > 0)
            {
                EmitSplitAtLeet(count, endsClause);
                return;
            }

            BeginValue();
            var ambiguous = false;
            var elongated = false;
            for (var k = 0; k < count; k++)
            {
                var index = _indexes[k];
                var kind = folded.Kinds[index];
                if (kind == CharKind.Joiner)
                {
                    continue;
                }

                var c = folded.Chars[index];
                char primary = c, alternate = c;
                if (decode && kind is CharKind.Digit or CharKind.Leet)
                {
                    primary = LeetPrimary(c);
                    alternate = LeetAlternate(c);
                    ambiguous |= primary != alternate;
                }

                elongated |= AppendValueChar(primary, alternate, index, capRuns: true);
            }

            if (_value.Length == 0)
            {
                return;
            }

            AddToken(ambiguous ? _alternate.ToString() : null, elongated, endsClause);
        }

        // A word that isn't leetspeak uses its symbols as separators: "$5" is "5", "@home" stays "ahome" only when
        // the word decodes.
        private void EmitSplitAtLeet(int count, bool endsClause)
        {
            var pieces = new List<(int From, int Count)>();
            var start = 0;
            for (var k = 0; k <= count; k++)
            {
                if (k == count || folded.Kinds[_indexes[k]] == CharKind.Leet)
                {
                    if (k > start)
                    {
                        pieces.Add((start, k - start));
                    }

                    start = k + 1;
                }
            }

            var all = _indexes[..count];
            for (var p = 0; p < pieces.Count; p++)
            {
                var (from, length) = pieces[p];
                Array.Copy(all, from, _indexes, 0, length);
                EmitWord(length, endsClause && p == pieces.Count - 1);
            }
        }

        private void BeginValue()
        {
            _value.Clear();
            _alternate.Clear();
            _valueStarts.Clear();
            _valueEnds.Clear();
        }

        /// <summary>Appends one character; returns true when it was swallowed because its letter run was already two long.</summary>
        private bool AppendValueChar(char primary, char alternate, int index, bool capRuns)
        {
            if (!(capRuns && char.IsLetter(alternate) && EndsWithRun(_alternate, alternate)))
            {
                _alternate.Append(alternate);
            }

            if (capRuns && char.IsLetter(primary) && EndsWithRun(_value, primary))
            {
                _valueEnds[^1] = Math.Max(_valueEnds[^1], folded.Ends[index]);
                return true;
            }

            _value.Append(primary);
            _valueStarts.Add(folded.Starts[index]);
            _valueEnds.Add(folded.Ends[index]);
            return false;
        }

        private static bool EndsWithRun(StringBuilder builder, char c) =>
            builder.Length >= 2 && builder[^1] == c && builder[^2] == c;

        private void AddToken(string? alternate, bool elongated, bool endsClause)
        {
            if (_tokens.Count > 0)
            {
                // The separating space maps to the gap between the two words.
                var gapStart = _ends[^1];
                _text.Append(' ');
                _starts.Add(gapStart);
                _ends.Add(Math.Max(gapStart, _valueStarts[0]));
            }

            var start = _text.Length;
            var value = _value.ToString();
            _text.Append(value);
            var originalStart = int.MaxValue;
            var originalEnd = 0;
            for (var k = 0; k < _valueStarts.Count; k++)
            {
                _starts.Add(_valueStarts[k]);
                _ends.Add(_valueEnds[k]);
                originalStart = Math.Min(originalStart, _valueStarts[k]);
                originalEnd = Math.Max(originalEnd, _valueEnds[k]);
            }

            _tokens.Add(new NormalizedToken(
                value,
                alternate == value ? null : alternate,
                elongated,
                endsClause,
                start,
                TextSpan.FromBounds(originalStart, originalEnd)));
        }
    }
}
