using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>One link found in a message: its host (lower-case, without <c>www.</c>) and where it sits in the text.</summary>
public readonly record struct ChatLink(string Host, int Index, int Length);

/// <summary>Finds the links in chat text: with a scheme, starting <c>www.</c>, or bare (<c>bit.ly/x</c>, <c>example.com</c>).</summary>
/// <remarks>
/// A bare host only counts when its last label is a common top-level domain (see <see cref="BareTopLevelDomains"/>),
/// so file names and code (<c>Program.cs</c>, <c>config.json</c>, <c>main.py</c>) are not links. E-mail addresses are
/// not links. Hosts may be internationalised; they are reported as written, lower-cased.
/// </remarks>
public static partial class LinkExtractor
{
    /// <summary>
    /// Top-level domains that make a bare <c>name.tld</c> a link. Country codes that are also common file extensions
    /// (<c>sh</c>, <c>py</c>, <c>rs</c>, <c>md</c>, <c>pl</c>, <c>so</c>) are left out: in chat they are far more often code.
    /// </summary>
    public static readonly FrozenSet<string> BareTopLevelDomains = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "com", "net", "org", "info", "biz", "io", "co", "me", "ly", "gg", "xyz", "app", "dev", "ai", "tv", "cc", "to",
        "ws", "top", "site", "online", "live", "club", "shop", "store", "link", "click", "win", "bid", "vip", "pro",
        "fun", "icu", "buzz", "rest", "cam", "monster", "cfd", "sbs", "tk", "ml", "ga", "cf", "gq", "su", "ru", "cn",
        "us", "uk", "de", "fr", "nl", "eu", "ca", "au", "in", "br", "es", "it", "jp", "kr", "ch", "at", "se", "no",
        "fi", "dk", "cz", "pt", "be", "ie", "nz", "za", "mx", "ar", "tr", "ua", "id", "vn", "ph", "sg", "hk", "tw",
        "gift", "money", "cash", "finance", "crypto", "xn--p1ai",
    ]);

    /// <summary>Every link in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<ChatLink> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var links = new List<ChatLink>();
        foreach (Match match in LinkPattern().Matches(text))
        {
            var host = match.Groups["host"].Value.TrimEnd('.').ToLowerInvariant();
            var hasScheme = match.Groups["scheme"].Success;
            var hasWww = match.Groups["www"].Success;
            if (!hasScheme && !hasWww && !BareTopLevelDomains.Contains(host[(host.LastIndexOf('.') + 1)..]))
            {
                continue;
            }

            links.Add(new ChatLink(host, match.Index, TrimTrailingPunctuation(match.Value).Length));
        }

        return links;
    }

    /// <summary>Whether <paramref name="host"/> is <paramref name="domain"/> or one of its subdomains.</summary>
    public static bool IsWithin(string host, string domain)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(domain);
        domain = domain.Trim().TrimStart('.');
        return host.Equals(domain, StringComparison.OrdinalIgnoreCase)
            || (host.Length > domain.Length
                && host.EndsWith(domain, StringComparison.OrdinalIgnoreCase)
                && host[host.Length - domain.Length - 1] == '.');
    }

    private static string TrimTrailingPunctuation(string link) => link.TrimEnd('.', ',', ';', ':', '!', '?', '\'', '"');

    // Not preceded by a word character, '@' (e-mail), '.', '-' or '/' (the middle of a longer host or path).
    // Host labels are letters/digits/hyphens; the last one letters only (or punycode). Then an optional port and path.
    [GeneratedRegex(
        """
        (?<![\w@.\-/])
        (?<scheme>(?:https?|ftp)://)?
        (?<www>www\.)?
        (?<host>
            (?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]{0,61}[\p{L}\p{N}])?\.)+
            (?:\p{L}{2,24}|xn--[a-z0-9\-]{1,59})
          | (?<=://)\d{1,3}(?:\.\d{1,3}){3}
        )
        (?![\w\-@])
        (?::\d{2,5})?
        (?:[/?\#][^\s<>"'`]*)?
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex LinkPattern();
}
