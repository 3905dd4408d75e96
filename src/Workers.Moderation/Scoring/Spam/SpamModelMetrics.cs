namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// A spam model's quality on held-out examples, spam being the positive class; the counts are the confusion
/// matrix at probability 0.5.
/// </summary>
public sealed record SpamModelMetrics(
    double Accuracy,
    double AreaUnderRocCurve,
    double AreaUnderPrecisionRecallCurve,
    double F1Score,
    double Precision,
    double Recall,
    double NegativePrecision,
    double NegativeRecall,
    double LogLoss,
    int TruePositives,
    int FalsePositives,
    int TrueNegatives,
    int FalseNegatives);
