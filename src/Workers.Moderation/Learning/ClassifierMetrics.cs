namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// How well a scorer separates one task's held-out examples: AUC over its scores, and the confusion matrix, F1,
/// precision and recall with scores ≥ 0.5 read as positive. NaN where undefined (AUC without both classes).
/// </summary>
public sealed record ClassifierMetrics(
    int Count,
    int Positives,
    double AreaUnderRocCurve,
    double F1Score,
    double Precision,
    double Recall,
    double Accuracy,
    double LogLoss,
    int TruePositives,
    int FalsePositives,
    int TrueNegatives,
    int FalseNegatives)
{
    public const double Threshold = 0.5;

    /// <summary>
    /// Measures <paramref name="scored"/> (a score in [0, 1] and the true label per example). The same arithmetic grades
    /// every scorer (a trained model, the current one, the toxicity lexicon), so candidate and baseline are comparable.
    /// </summary>
    public static ClassifierMetrics Compute(IReadOnlyList<(double Score, bool IsPositive)> scored)
    {
        ArgumentNullException.ThrowIfNull(scored);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        var logLoss = 0.0;
        foreach (var (score, isPositive) in scored)
        {
            var predicted = score >= Threshold;
            switch ((isPositive, predicted))
            {
                case (true, true): tp++; break;
                case (false, true): fp++; break;
                case (false, false): tn++; break;
                case (true, false): fn++; break;
            }

            // Clamped: the lexicon scores exactly 0 and 1, which would make a single miss infinitely costly.
            var p = Math.Clamp(score, 1e-15, 1 - 1e-15);
            logLoss -= isPositive ? Math.Log(p) : Math.Log(1 - p);
        }

        var count = scored.Count;
        var positives = tp + fn;
        return new ClassifierMetrics(
            count,
            positives,
            AucOf(scored),
            Ratio(2 * tp, (2 * tp) + fp + fn),
            Ratio(tp, tp + fp),
            Ratio(tp, positives),
            Ratio(tp + tn, count),
            count == 0 ? double.NaN : logLoss / count,
            tp, fp, tn, fn);
    }

    /// <summary>
    /// The probability that a random positive scores above a random negative, ties counting half (Mann–Whitney U from
    /// mid-ranks, O(n log n)). NaN without both classes or with a NaN score.
    /// </summary>
    public static double AucOf(IReadOnlyList<(double Score, bool IsPositive)> scored)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var positives = scored.Count(s => s.IsPositive);
        var negatives = scored.Count - positives;
        if (positives == 0 || negatives == 0 || scored.Any(s => double.IsNaN(s.Score)))
        {
            return double.NaN;
        }

        var ordered = scored.OrderBy(s => s.Score).ToList();
        var positiveRankSum = 0.0;
        for (var start = 0; start < ordered.Count;)
        {
            var end = start;
            while (end + 1 < ordered.Count && ordered[end + 1].Score == ordered[start].Score)
            {
                end++;
            }

            // Ranks are 1-based; tied scores share the mean of the ranks they span.
            var midRank = ((start + 1) + (end + 1)) / 2.0;
            for (var i = start; i <= end; i++)
            {
                if (ordered[i].IsPositive)
                {
                    positiveRankSum += midRank;
                }
            }

            start = end + 1;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;
}
