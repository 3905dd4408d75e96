using QuikApp.Workers.Moderation.Policies;

namespace QuikApp.Workers.Moderation.Scoring;

/// <summary>
/// Fuses the three checks into one verdict under a policy: a check is flagged at or above its flag threshold; the
/// message is blocked when any check reaches its block threshold, flagged when any check is flagged, else allowed.
/// </summary>
/// <remarks>
/// The overall score is the highest check score: the seed's example (spam 0.8, others lower, overall 0.8) reads that
/// way, and a moderator can see at once which check drove it. Averaging would let two clean checks dilute a clear one.
/// </remarks>
public static class VerdictFusion
{
    public static ModerationVerdict Fuse(CheckResult profanity, CheckResult spam, CheckResult toxicity, ModerationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(profanity);
        ArgumentNullException.ThrowIfNull(spam);
        ArgumentNullException.ThrowIfNull(toxicity);
        ArgumentNullException.ThrowIfNull(policy);
        var checks = new[]
        {
            (Result: profanity, Thresholds: policy.Profanity),
            (Result: spam, Thresholds: policy.Spam),
            (Result: toxicity, Thresholds: policy.Toxicity),
        };

        var blocked = checks.Any(c => Clamp(c.Result.Score) >= c.Thresholds.Block);
        var flagged = checks.Any(c => Clamp(c.Result.Score) >= c.Thresholds.Flag);
        var action = blocked ? ModerationAction.Block : flagged ? ModerationAction.Flag : ModerationAction.Allow;
        return new ModerationVerdict(
            Verdict(profanity, policy.Profanity),
            Verdict(spam, policy.Spam),
            Verdict(toxicity, policy.Toxicity),
            Math.Round(checks.Max(c => Clamp(c.Result.Score)), 4),
            action,
            policy.Version);
    }

    private static CheckVerdict Verdict(CheckResult result, CheckThresholds thresholds)
    {
        var score = Clamp(result.Score);
        return new CheckVerdict(Math.Round(score, 4), score >= thresholds.Flag, result.Signals);
    }

    private static double Clamp(double score) => double.IsNaN(score) ? 0 : Math.Clamp(score, 0, 1);
}
