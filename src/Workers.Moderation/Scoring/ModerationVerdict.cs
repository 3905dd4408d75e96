namespace QuikApp.Workers.Moderation.Scoring;

/// <summary>What happens to a message: the seed's <c>allow</c>, <c>flag</c>, <c>block</c>.</summary>
public enum ModerationAction
{
    Allow,
    Flag,
    Block,
}

/// <summary>One check's part of a verdict: its score, whether the policy flags it, and why.</summary>
public sealed record CheckVerdict(double Score, bool Flagged, IReadOnlyList<string> Signals);

/// <summary>The fused verdict on one message's content, as stored in <c>auto_mod_results</c>.</summary>
public sealed record ModerationVerdict(
    CheckVerdict Profanity,
    CheckVerdict Spam,
    CheckVerdict Toxicity,
    double OverallScore,
    ModerationAction Action,
    string PolicyVersion)
{
    public IEnumerable<string> Signals => Profanity.Signals.Concat(Spam.Signals).Concat(Toxicity.Signals);
}

/// <summary>Wire names of <see cref="ModerationAction"/> (the seed's lower-case strings).</summary>
public static class ModerationActions
{
    public static string ToWire(this ModerationAction action) => action switch
    {
        ModerationAction.Allow => "allow",
        ModerationAction.Flag => "flag",
        ModerationAction.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static ModerationAction Parse(string wire) => wire switch
    {
        "allow" => ModerationAction.Allow,
        "flag" => ModerationAction.Flag,
        "block" => ModerationAction.Block,
        _ => throw new FormatException($"unknown moderation action '{wire}'"),
    };
}
