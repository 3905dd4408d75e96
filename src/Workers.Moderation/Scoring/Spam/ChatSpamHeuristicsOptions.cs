using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>Thresholds and weights of the chat spam heuristics (configuration section <c>Moderation:Spam:Heuristics</c>).</summary>
/// <remarks>
/// Each heuristic that fires adds its weight; weights combine as independent evidence, score = 1 − Π(1 − weight),
/// so two weak signals make a stronger one and nothing passes 1. A weight of 0 turns a heuristic off. Lists bound
/// from configuration are added to the defaults (that is how the configuration binder fills collections).
/// </remarks>
public sealed record ChatSpamHeuristicsOptions
{
    public const string SectionName = "Moderation:Spam:Heuristics";

    /// <summary>Links (allow-listed ones not counted) at which a message has "many links": <c>spam.links:&lt;n&gt;</c>.</summary>
    [Range(1, 1000)]
    public int ManyLinks { get; init; } = 3;

    [Range(0.0, 1.0)]
    public double ManyLinksWeight { get; init; } = 0.35;

    /// <summary>Distinct link hosts at which a message spreads over "many domains": <c>spam.domains:&lt;n&gt;</c>.</summary>
    [Range(1, 1000)]
    public int ManyDomains { get; init; } = 3;

    [Range(0.0, 1.0)]
    public double ManyDomainsWeight { get; init; } = 0.2;

    /// <summary>URL shorteners: they hide where a link goes, a favourite of spam. Each found: <c>spam.shortener:&lt;host&gt;</c>.</summary>
    public IList<string> Shorteners { get; init; } =
    [
        "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly", "rebrand.ly", "shorturl.at",
        "rb.gy", "t.ly", "tiny.cc", "s.id", "v.gd", "bl.ink", "shorte.st", "adf.ly", "lnkd.in",
    ];

    /// <summary>Weight of a message containing any shortener link (once, however many).</summary>
    [Range(0.0, 1.0)]
    public double ShortenerWeight { get; init; } = 0.35;

    /// <summary>Domains with no business in chat (IP loggers, known phishing): <c>spam.suspicious-domain:&lt;host&gt;</c>.</summary>
    public IList<string> SuspiciousDomains { get; init; } =
    [
        "grabify.link", "iplogger.org", "iplogger.com", "iplogger.ru", "2no.co", "yip.su", "blasze.com", "ps3cfw.com",
    ];

    [Range(0.0, 1.0)]
    public double SuspiciousDomainWeight { get; init; } = 0.6;

    /// <summary>Domains never held against a message (the company's own, its tools); subdomains included.</summary>
    public IList<string> AllowedDomains { get; init; } = [];

    /// <summary>Mentions at which a message is mention abuse: <c>spam.mentions:&lt;n&gt;</c>.</summary>
    [Range(1, 10_000)]
    public int ManyMentions { get; init; } = 10;

    [Range(0.0, 1.0)]
    public double ManyMentionsWeight { get; init; } = 0.5;

    /// <summary>Weight of an @everyone/@channel mention (<c>spam.everyone</c>); low, since channel permissions already gate it.</summary>
    [Range(0.0, 1.0)]
    public double EveryoneWeight { get; init; } = 0.2;

    /// <summary>Letters a message needs before shouting is judged, so "OK!!" or "LGTM" is not shouting.</summary>
    [Range(1, 10_000)]
    public int ShoutingMinLetters { get; init; } = 12;

    /// <summary>Share of upper-case among cased letters from which a message is shouting: <c>spam.shouting:0.92</c>.</summary>
    [Range(0.5, 1.0)]
    public double ShoutingShare { get; init; } = 0.7;

    [Range(0.0, 1.0)]
    public double ShoutingWeight { get; init; } = 0.2;

    /// <summary>Run of one repeated character (or emoji) that makes a character wall: <c>spam.repeat:&lt;run&gt;</c>; "soooo good" is fine.</summary>
    [Range(2, 10_000)]
    public int RepeatedRun { get; init; } = 12;

    [Range(0.0, 1.0)]
    public double RepeatedRunWeight { get; init; } = 0.2;

    /// <summary>Emoji in one message that make an emoji wall: <c>spam.emoji:&lt;n&gt;</c>.</summary>
    [Range(1, 10_000)]
    public int EmojiWall { get; init; } = 15;

    [Range(0.0, 1.0)]
    public double EmojiWallWeight { get; init; } = 0.2;

    /// <summary>Weight of each distinct bait pattern ("free nitro", "click here", crypto giveaways…): <c>spam.bait:&lt;name&gt;</c>.</summary>
    [Range(0.0, 1.0)]
    public double BaitWeight { get; init; } = 0.3;
}
