using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>Explainable spam signals in one chat message: links and shorteners, mention abuse, shouting, character walls and bait phrases.</summary>
/// <remarks>
/// Pure: no state, no I/O. Code (fenced blocks and inline <c>`code`</c>) is ignored throughout, since a pasted stack
/// trace or SQL is neither shouting nor a wall, and links in code are not clickable.
/// </remarks>
public sealed partial class ChatSpamHeuristics(ChatSpamHeuristicsOptions options)
{
    private static readonly (string Name, Regex Pattern)[] BaitPatterns =
    [
        ("free-stuff", FreeStuffPattern()),
        ("crypto", CryptoPattern()),
        ("click-here", ClickHerePattern()),
        ("easy-money", EasyMoneyPattern()),
        ("prize", PrizePattern()),
        ("urgency", UrgencyPattern()),
    ];

    private readonly ChatSpamHeuristicsOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Names of the bait patterns, as they appear in <c>spam.bait:&lt;name&gt;</c>.</summary>
    public static IReadOnlyList<string> BaitPatternNames { get; } = [.. BaitPatterns.Select(b => b.Name)];

    /// <summary>The heuristics that fire on <paramref name="input"/>, combined into one score.</summary>
    public CheckResult Check(ScoringInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var verdict = new Verdict();
        var text = WithoutCode(input.Content);
        var links = LinkExtractor.Extract(text);

        CheckLinks(links, verdict);
        if (input.MentionCount >= _options.ManyMentions)
        {
            verdict.Fire(Invariant($"spam.mentions:{input.MentionCount}"), _options.ManyMentionsWeight);
        }

        if (input.MentionsEveryone)
        {
            verdict.Fire("spam.everyone", _options.EveryoneWeight);
        }

        var prose = WithoutLinks(text, links);
        CheckShouting(prose, verdict);
        CheckWalls(prose, verdict);
        foreach (var (name, pattern) in BaitPatterns)
        {
            if (pattern.IsMatch(text))
            {
                verdict.Fire($"spam.bait:{name}", _options.BaitWeight);
            }
        }

        return verdict.ToResult();
    }

    /// <summary>The text with fenced code blocks (an unclosed fence runs to the end) and inline code spans blanked out.</summary>
    internal static string WithoutCode(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.Contains('`', StringComparison.Ordinal))
        {
            return content;
        }

        return InlineCodePattern().Replace(FencedCodePattern().Replace(content, " "), " ");
    }

    private void CheckLinks(IReadOnlyList<ChatLink> links, Verdict verdict)
    {
        var hosts = new List<string>();
        var counted = 0;
        foreach (var link in links)
        {
            if (IsListed(link.Host, _options.AllowedDomains))
            {
                continue;
            }

            counted++;
            if (!hosts.Contains(link.Host))
            {
                hosts.Add(link.Host);
            }
        }

        if (counted >= _options.ManyLinks)
        {
            verdict.Fire(Invariant($"spam.links:{counted}"), _options.ManyLinksWeight);
        }

        if (hosts.Count >= _options.ManyDomains)
        {
            verdict.Fire(Invariant($"spam.domains:{hosts.Count}"), _options.ManyDomainsWeight);
        }

        // One weight however many shorteners (three bit.ly links are no worse than one), but every host is named.
        verdict.FireEach(hosts.Where(h => IsListed(h, _options.Shorteners)).Select(h => $"spam.shortener:{h}"), _options.ShortenerWeight);
        verdict.FireEach(hosts.Where(h => IsListed(h, _options.SuspiciousDomains)).Select(h => $"spam.suspicious-domain:{h}"), _options.SuspiciousDomainWeight);
    }

    private void CheckShouting(string prose, Verdict verdict)
    {
        var upper = 0;
        var lower = 0;
        foreach (var rune in prose.EnumerateRunes())
        {
            if (Rune.IsUpper(rune))
            {
                upper++;
            }
            else if (Rune.IsLower(rune))
            {
                lower++;
            }
        }

        // Uncased scripts (Chinese, Arabic…) have neither, so they are never shouting.
        if (upper + lower < _options.ShoutingMinLetters)
        {
            return;
        }

        var share = (double)upper / (upper + lower);
        if (share >= _options.ShoutingShare)
        {
            verdict.Fire(Invariant($"spam.shouting:{share:0.00}"), _options.ShoutingWeight);
        }
    }

    private void CheckWalls(string prose, Verdict verdict)
    {
        var longestRun = 0;
        var run = 0;
        string? previous = null;
        var emoji = 0;
        var elements = StringInfo.GetTextElementEnumerator(prose);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (IsEmoji(element))
            {
                emoji++;
            }

            if (string.IsNullOrWhiteSpace(element))
            {
                previous = null;
                run = 0;
                continue;
            }

            run = element == previous ? run + 1 : 1;
            previous = element;
            longestRun = Math.Max(longestRun, run);
        }

        if (longestRun >= _options.RepeatedRun)
        {
            verdict.Fire(Invariant($"spam.repeat:{longestRun}"), _options.RepeatedRunWeight);
        }

        if (emoji >= _options.EmojiWall)
        {
            verdict.Fire(Invariant($"spam.emoji:{emoji}"), _options.EmojiWallWeight);
        }
    }

    private static bool IsEmoji(string element)
    {
        var first = Rune.GetRuneAt(element, 0).Value;
        return first is (>= 0x1F000 and <= 0x1FAFF) or (>= 0x2600 and <= 0x27BF) or (>= 0x2B00 and <= 0x2BFF) or (>= 0x2300 and <= 0x23FF);
    }

    private static bool IsListed(string host, IList<string> domains)
    {
        foreach (var domain in domains)
        {
            if (LinkExtractor.IsWithin(host, domain))
            {
                return true;
            }
        }

        return false;
    }

    private static string WithoutLinks(string text, IReadOnlyList<ChatLink> links)
    {
        if (links.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var link in links)
        {
            builder.Append(text, at, link.Index - at).Append(' ');
            at = link.Index + link.Length;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Signals so far and the combined score: 1 − Π(1 − weight) over the heuristics that fired.</summary>
    private sealed class Verdict
    {
        private readonly List<string> _signals = [];
        private double _allClean = 1;

        public void Fire(string signal, double weight)
        {
            if (weight <= 0)
            {
                return;
            }

            _signals.Add(signal);
            _allClean *= 1 - weight;
        }

        public void FireEach(IEnumerable<string> signals, double weight)
        {
            if (weight <= 0)
            {
                return;
            }

            var before = _signals.Count;
            _signals.AddRange(signals);
            if (_signals.Count > before)
            {
                _allClean *= 1 - weight;
            }
        }

        public CheckResult ToResult() =>
            _signals.Count == 0 ? CheckResult.Clean : new CheckResult(Math.Clamp(1 - _allClean, 0, 1), _signals);
    }

    [GeneratedRegex(@"```[\s\S]*?(?:```|\z)", RegexOptions.CultureInvariant)]
    private static partial Regex FencedCodePattern();

    [GeneratedRegex(@"`[^`\n]+`", RegexOptions.CultureInvariant)]
    private static partial Regex InlineCodePattern();

    [GeneratedRegex(
        @"\bfree\s+(?:money|cash|nitro|gift\s*cards?|crypto|bitcoins?|btc|eth|robux|v-?bucks|skins?|iphones?|followers)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FreeStuffPattern();

    [GeneratedRegex(
        @"\b(?:crypto|bitcoin|btc|eth|ethereum|usdt|nft|token)s?\b[^.!?\n]{0,60}\b(?:giveaway|airdrop|double|doubled|guaranteed|profit|returns?|x10|x100)\b"
        + @"|\b(?:giveaway|airdrop|double\s+your|invest\s+in)\b[^.!?\n]{0,60}\b(?:crypto|bitcoin|btc|eth|ethereum|usdt|nft)s?\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CryptoPattern();

    [GeneratedRegex(@"\bclick\s+(?:here|now|this(?:\s+link)?|the\s+link|below|my\s+link)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClickHerePattern();

    [GeneratedRegex(
        @"\b(?:earn|make|making)\s+\$?\d[\d,.]*\s*k?\s*(?:\$|usd|dollars|euros?|€)?\s*(?:a|per|/|every)\s*(?:day|week|hour|month)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EasyMoneyPattern();

    [GeneratedRegex(
        @"\b(?:you(?:'ve|\s+have)?\s+(?:just\s+)?won|claim\s+your\s+(?:prize|reward|gift|bonus)|winners?\s+(?:selected|announced))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PrizePattern();

    [GeneratedRegex(
        @"\b(?:limited\s+time\s+offer|act\s+now|offer\s+ends\s+(?:soon|today)|only\s+\d+\s+(?:spots?|slots?)\s+left)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrgencyPattern();
}
