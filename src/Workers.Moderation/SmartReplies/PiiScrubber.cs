using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>Replaces personal data in chat text with placeholders: e-mail addresses, phone numbers, URLs and @mentions.</summary>
/// <remarks>
/// Order matters and is fixed: mention tokens (<c>&lt;@U123&gt;</c>), URLs with a scheme (their paths may hold digits,
/// <c>@</c> and e-mail-like parts), e-mail addresses, bare and <c>www.</c> links (<see cref="LinkExtractor"/>, the same
/// rules the spam checks use, so <c>Program.cs</c> stays text), <c>@name</c> mentions, and phone numbers last, once every
/// digit inside a link is gone. No placeholder contains a digit, <c>@</c> or a dot, so scrubbing twice changes nothing.
/// Phone numbers are recognised by shape, not by a numbering plan: international (<c>+</c> and 8-15 digits), North
/// American (<c>(415) 555-2671</c>, <c>415.555.2671</c>, <c>555-2671</c>) and trunk-prefix local numbers
/// (<c>020 7946 0958</c>, <c>06 12 34 56 78</c>, 9-12 digits). A run of digits without <c>+</c>, a leading 0 or
/// separators is left alone: it is more often an order number, a timestamp or an amount than a phone number.
/// </remarks>
public static partial class PiiScrubber
{
    public const string Email = "<email>";
    public const string Phone = "<phone>";
    public const string Url = "<url>";
    public const string Mention = "<mention>";

    /// <summary>
    /// Budget of each pattern on one text. Chat text is user input: a crafted message must not stall a partition. A text
    /// that exceeds it cannot be shown to be free of personal data, so <see cref="TryScrub"/> refuses it.
    /// </summary>
    public const int MatchTimeoutMilliseconds = 250;

    /// <summary>Every placeholder the scrubber writes.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = [Email, Phone, Url, Mention];

    /// <summary>The text with every e-mail address, phone number, URL and mention replaced by its placeholder.</summary>
    /// <exception cref="RegexMatchTimeoutException">The text took longer than <see cref="MatchTimeoutMilliseconds"/> on one pattern.</exception>
    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        var scrubbed = MentionToken().Replace(text, Mention);
        scrubbed = SchemeUrl().Replace(scrubbed, match => ReplaceUrl(match.Value));
        scrubbed = EmailAddress().Replace(scrubbed, Email);
        scrubbed = ReplaceLinks(scrubbed);
        scrubbed = AtMention().Replace(scrubbed, Mention);
        return PhoneNumber().Replace(scrubbed, ReplacePhone);
    }

    /// <summary>Scrubs <paramref name="text"/>; false when a pattern ran out of time (the text must then not be used at all).</summary>
    public static bool TryScrub(string text, [NotNullWhen(true)] out string? scrubbed)
    {
        try
        {
            scrubbed = Scrub(text);
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            scrubbed = null;
            return false;
        }
    }

    /// <summary>A URL with a scheme, without the punctuation that ends the sentence around it.</summary>
    private static string ReplaceUrl(string url)
    {
        var end = url.Length;
        while (end > 0 && IsTrailing(url, end))
        {
            end--;
        }

        return end == 0 ? url : Url + url[end..];
    }

    private static bool IsTrailing(string url, int end) => url[end - 1] switch
    {
        '.' or ',' or ';' or ':' or '!' or '?' => true,
        // "(see https://x.io/a)" ends with the sentence's parenthesis, "https://x.io/wiki/A_(b)" with its own.
        ')' => url.AsSpan(0, end).Count('(') < url.AsSpan(0, end).Count(')'),
        ']' => url.AsSpan(0, end).Count('[') < url.AsSpan(0, end).Count(']'),
        _ => false,
    };

    private static string ReplaceLinks(string text)
    {
        var links = LinkExtractor.Extract(text);
        if (links.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var link in links)
        {
            builder.Append(text, position, link.Index - position).Append(Url);
            position = link.Index + link.Length;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }

    private static string ReplacePhone(Match match)
    {
        var digits = match.Value.Count(char.IsDigit);
        var isPhone =
            match.Groups["international"].Success ? digits is >= 8 and <= 15
            : match.Groups["trunk"].Success ? digits is >= 9 and <= 12
            : true; // the North American shapes fix their digit count themselves
        return isPhone ? Phone : match.Value;
    }

    // <@U123>, <@!123>, <@&role>, <@U123|bob> (Slack, Discord), and Slack's broadcast tokens.
    [GeneratedRegex(
        @"<@[!&]?[\p{L}\p{N}_.\-]{1,64}(?:\|[^<>]{0,80})?>|<!(?:here|channel|everyone|subteam\^[\p{L}\p{N}_]{1,64})(?:\|[^<>]{0,80})?>",
        RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex MentionToken();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])(?:https?|ftp)://[^\s<>""'`]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex SchemeUrl();

    // Local part, '@', dotted host whose last label is letters; not part of a longer word on either side.
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}._%+\-])[\p{L}\p{N}_%+\-](?:[\p{L}\p{N}._%+\-]{0,62}[\p{L}\p{N}_%+\-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}\-])",
        RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex EmailAddress();

    // '@' then a name starting with a letter or '_' ("@5pm" is a time, "@ noon" a preposition), not ending in '.' or '-'.
    [GeneratedRegex(@"(?<![\p{L}\p{N}_@.])@[\p{L}_](?:[\p{L}\p{N}_.\-]{0,62}[\p{L}\p{N}_])?", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex AtMention();

    // Every shape is bounded on both sides so that it never starts or ends inside a longer number, a version (1.2.3),
    // a date (2024-01-15, 15/01/2024), a time (10:30) or an amount (1,234.50): the neighbours ., ,, -, /, : followed by
    // a digit continue the number. Digit counts of the international and trunk shapes are checked in ReplacePhone.
    [GeneratedRegex(
        """
        (?<![\p{L}\p{N}_+.,\-/:])
        (?:
            (?<international>\+\d{1,3}(?:[\ .\-]?(?:\(\d{1,4}\)|\d{1,5})){1,6})
          | (?<northAmerican>(?:1[\ .\-]?)?(?:\(\d{3}\)[\ .\-]?|\d{3}[\ .\-])\d{3}[\ .\-]\d{4})
          | (?<local7>\d{3}-\d{4})
          | (?<trunk>
                \(0[1-9]\d{0,3}\)\ ?\d{3,8}(?:[\ \-]\d{2,8}){0,2}
              | 0[1-9]\d{0,3}(?<separator>[\ \-/])\d{2,8}(?:\k<separator>\d{2,8}){0,3}
              | 0[1-9]\d{8,10}
            )
        )
        (?![\p{L}\p{N}_]|[.,\-/:]\d)
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, MatchTimeoutMilliseconds)]
    private static partial Regex PhoneNumber();
}
