using System.Globalization;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>Whether a candidate replaces the current model, and the numbers that decided it (stored in the registry and the job run).</summary>
public sealed record PromotionDecision(bool Promote, string Reason);

/// <summary>
/// Decides promotion from held-out metrics of the candidate and the current model, measured on the same examples. Pure.
/// </summary>
/// <remarks>
/// Promote when <c>candidate AUC ≥ current AUC + MinAucGain</c> and <c>candidate F1 ≥ current F1 − MaxF1Loss</c>.
/// AUC leads because the score is used as a graded signal (weighted and fused, thresholds set per workspace); F1 at 0.5
/// guards against a candidate that ranks well but is miscalibrated. Equality at the margin promotes (a tolerance of
/// 1e-9 absorbs rounding, so 0.95 = 0.94 + 0.01 holds). A candidate with an undefined (NaN) metric is never promoted.
/// A current model with an undefined metric counts as chance (AUC 0.5, F1 0): it cannot be measured, and a broken
/// model must not block its own replacement.
/// </remarks>
public static class PromotionRule
{
    private const double Tolerance = 1e-9;

    public static PromotionDecision Decide(ClassifierMetrics candidate, ClassifierMetrics current, double minAucGain, double maxF1Loss)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(current);
        if (double.IsNaN(candidate.AreaUnderRocCurve) || double.IsNaN(candidate.F1Score))
        {
            return new PromotionDecision(false, Format(
                $"rejected: the candidate's AUC or F1 is undefined on the held-out split (AUC {candidate.AreaUnderRocCurve:0.0000}, F1 {candidate.F1Score:0.0000})"));
        }

        var currentAuc = double.IsNaN(current.AreaUnderRocCurve) ? 0.5 : current.AreaUnderRocCurve;
        var currentF1 = double.IsNaN(current.F1Score) ? 0 : current.F1Score;
        var aucNeeded = currentAuc + minAucGain;
        var f1Needed = currentF1 - maxF1Loss;
        var aucOk = candidate.AreaUnderRocCurve >= aucNeeded - Tolerance;
        var f1Ok = candidate.F1Score >= f1Needed - Tolerance;
        var auc = Format($"AUC {candidate.AreaUnderRocCurve:0.0000} {(aucOk ? "≥" : "<")} {currentAuc:0.0000} + {minAucGain:0.0000}");
        var f1 = Format($"F1 {candidate.F1Score:0.0000} {(f1Ok ? "≥" : "<")} {currentF1:0.0000} − {maxF1Loss:0.0000}");
        return (aucOk, f1Ok) switch
        {
            (true, true) => new PromotionDecision(true, $"promoted: {auc} and {f1}"),
            (false, true) => new PromotionDecision(false, $"rejected: {auc}"),
            (true, false) => new PromotionDecision(false, $"rejected: {f1}"),
            _ => new PromotionDecision(false, $"rejected: {auc} and {f1}"),
        };
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
