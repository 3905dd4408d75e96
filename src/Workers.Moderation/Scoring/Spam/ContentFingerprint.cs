using System.Globalization;
using System.Numerics;
using System.Text;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>A 64-bit SimHash of a message's normalised text: near-same messages get fingerprints a few bits apart.</summary>
/// <remarks>
/// Normalising folds case, digits (every digit becomes 0, so "buy now 1" and "buy now 2" are the same text),
/// punctuation and whitespace runs, and cuts links to their host. The SimHash is taken over character 3-grams, so an inserted or changed word moves
/// only the bits its few shingles vote on. Hashes are FNV-1a with a fixed seed: the same text gives the same
/// fingerprint in every process, which keeps replays deterministic.
/// </remarks>
public static class ContentFingerprint
{
    /// <summary>Longest normalised prefix that is fingerprinted: bounds the work a huge message can cause.</summary>
    public const int MaxNormalizedLength = 2048;

    private const int ShingleLength = 3;

    /// <summary>The fingerprint of <paramref name="content"/>.</summary>
    public static ulong Compute(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = Normalize(content);
        if (text.Length == 0)
        {
            // Only punctuation ("!!!!", "..."): keep it as it is, so a wall of it still matches itself.
            text = content.Trim().ToLowerInvariant();
            if (text.Length > MaxNormalizedLength)
            {
                text = text[..MaxNormalizedLength];
            }
        }

        Span<int> votes = stackalloc int[64];
        if (text.Length <= ShingleLength)
        {
            Vote(votes, Hash(text));
        }
        else
        {
            for (var i = 0; i + ShingleLength <= text.Length; i++)
            {
                Vote(votes, Hash(text.AsSpan(i, ShingleLength)));
            }
        }

        var fingerprint = 0UL;
        for (var bit = 0; bit < 64; bit++)
        {
            if (votes[bit] > 0)
            {
                fingerprint |= 1UL << bit;
            }
        }

        return fingerprint;
    }

    /// <summary>How many bits two fingerprints differ in (0 = same normalised shingles, about 32 = unrelated).</summary>
    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>
    /// Links cut to their host, letters lower-cased, digits folded to 0, symbols (emoji) kept, and every other run of
    /// characters made one space.
    /// </summary>
    public static string Normalize(string content)
    {
        ArgumentNullException.ThrowIfNull(content);

        // Spam tools vary the path of each link (bit.ly/a1b2, bit.ly/c3d4) to slip past duplicate checks; the host stays.
        var links = LinkExtractor.Extract(content);
        if (links.Count > 0)
        {
            var withHosts = new StringBuilder(content.Length);
            var at = 0;
            foreach (var link in links)
            {
                withHosts.Append(content, at, link.Index - at).Append(link.Host);
                at = link.Index + link.Length;
            }

            content = withHosts.Append(content, at, content.Length - at).ToString();
        }

        var builder = new StringBuilder(Math.Min(content.Length, MaxNormalizedLength));
        var pendingSpace = false;
        foreach (var rune in content.EnumerateRunes())
        {
            if (builder.Length >= MaxNormalizedLength)
            {
                break;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsLetter(rune) || category == UnicodeCategory.OtherSymbol)
            {
                AppendSeparated(builder, Rune.ToLowerInvariant(rune), ref pendingSpace);
            }
            else if (Rune.IsDigit(rune))
            {
                AppendSeparated(builder, new Rune('0'), ref pendingSpace);
            }
            else if (category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.Format or UnicodeCategory.EnclosingMark))
            {
                // Marks and zero-width joiners belong to the character before them; anything else separates words.
                pendingSpace = builder.Length > 0;
            }
        }

        return builder.ToString();
    }

    private static void AppendSeparated(StringBuilder builder, Rune rune, ref bool pendingSpace)
    {
        if (pendingSpace)
        {
            builder.Append(' ');
            pendingSpace = false;
        }

        Span<char> utf16 = stackalloc char[2];
        builder.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }

    private static void Vote(Span<int> votes, ulong hash)
    {
        for (var bit = 0; bit < 64; bit++)
        {
            votes[bit] += (hash & (1UL << bit)) != 0 ? 1 : -1;
        }
    }

    private static ulong Hash(ReadOnlySpan<char> shingle)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in shingle)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // FNV's low bits are weak for 3-character inputs; a SplitMix64 finaliser spreads every input bit over all 64.
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}
