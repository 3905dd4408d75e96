using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Policies;

/// <summary>When one check flags a message and when it blocks it: flag lower, block higher.</summary>
public sealed record CheckThresholds
{
    /// <summary>Score at or above which the check is flagged and the message needs a moderator's look.</summary>
    [Range(0.0, 1.0)]
    public double Flag { get; init; }

    /// <summary>Score at or above which the message is blocked outright.</summary>
    [Range(0.0, 1.0)]
    public double Block { get; init; }

    public CheckThresholds()
    {
    }

    public CheckThresholds(double flag, double block)
    {
        Flag = flag;
        Block = block;
    }

    /// <summary>Null when valid, otherwise what is wrong (thresholds in [0, 1], flag not above block).</summary>
    public string? Problem(string name) =>
        Flag is < 0 or > 1 || Block is < 0 or > 1 ? $"{name}: thresholds must lie in [0, 1]"
        : Flag > Block ? $"{name}: Flag ({Flag}) must not exceed Block ({Block})"
        : null;
}

/// <summary>The thresholds of every check, for the whole fleet or one workspace.</summary>
/// <param name="Version">Identifies the policy a verdict was made under (stored with the result).</param>
public sealed record ModerationPolicy(CheckThresholds Profanity, CheckThresholds Spam, CheckThresholds Toxicity, string Version)
{
    /// <summary>The fleet's built-in defaults (overridable in configuration and per workspace).</summary>
    public static ModerationPolicy Default { get; } = new(
        Profanity: new CheckThresholds(0.6, 0.95),
        Spam: new CheckThresholds(0.7, 0.95),
        Toxicity: new CheckThresholds(0.6, 0.9),
        Version: "default");

    public IEnumerable<string> Problems() =>
        new[] { Profanity.Problem("Profanity"), Spam.Problem("Spam"), Toxicity.Problem("Toxicity") }.OfType<string>();
}
