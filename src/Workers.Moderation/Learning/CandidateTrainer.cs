using System.Globalization;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>The scorer a candidate must beat: its version (for the registry) and its score for a text.</summary>
public sealed record BaselineScorer(string Version, Func<string, double> Score);

/// <summary>
/// One task's retraining result: skipped (with the reason), or a candidate zip with its held-out metrics, the current
/// model's metrics on the same examples, and the promotion decision.
/// </summary>
public sealed record CandidateEvaluation(
    ModelKind Kind,
    LabelledTexts Data,
    string? SkipReason,
    int TrainCount,
    int TestCount,
    byte[]? Zip,
    ClassifierMetrics? Candidate,
    ClassifierMetrics? Baseline,
    PromotionDecision? Decision,
    TimeSpan TrainingTime)
{
    public bool Skipped => SkipReason is not null;
}

/// <summary>
/// Trains one task's candidate on moderators' labels and compares it with the current model on a held-out split. CPU
/// only, no I/O: deterministic for the same labels, options and baseline.
/// </summary>
/// <remarks>
/// The split is <see cref="HeldOutSplit"/> over distinct texts (seeded by <see cref="LearningOptions.Seed"/>), so a
/// rerun holds out the same texts, and adding labels moves few texts across the line. The candidate is the spam model's
/// pipeline (<see cref="SpamModelPipeline"/>, its defaults) fitted on the training share alone; both candidate and baseline
/// are then graded by <see cref="ClassifierMetrics.Compute"/> on the held-out share, the candidate after a round trip
/// through its zip, so what is graded is exactly what would be deployed.
/// </remarks>
public static class CandidateTrainer
{
    public static CandidateEvaluation TrainAndCompare(
        ModelKind kind,
        IEnumerable<TrainingExample> examples,
        BaselineScorer baseline,
        LearningOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(options);
        var data = LabelledTexts.For(examples, kind);
        if (data.Positive < options.MinExamples || data.Negative < options.MinExamples)
        {
            return Skip(kind, data, Invariant(
                $"too few examples: {data.Positive} positive and {data.Negative} negative distinct texts, need {options.MinExamples} of each ({LearningOptions.Key(nameof(LearningOptions.MinExamples))})"));
        }

        var (train, test) = HeldOutSplit.Split(data.Examples, options.Seed, options.HeldOutFraction);
        if (!HasBothClasses(train) || !HasBothClasses(test))
        {
            return Skip(kind, data, "the held-out split left a class without examples");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var trained = SpamModelTrainer.TrainAndEvaluate(train, options.Seed, SpamPipelineOptions.Default, testFraction: 0);
        var zip = trained.ToZip();
        cancellationToken.ThrowIfCancellationRequested();

        var candidate = SpamClassifier.Load(zip);
        var candidateMetrics = ClassifierMetrics.Compute([.. test.Select(e => (candidate.Probability(e.Text), e.IsSpam))]);
        var baselineMetrics = ClassifierMetrics.Compute([.. test.Select(e => (baseline.Score(e.Text), e.IsSpam))]);
        var decision = PromotionRule.Decide(candidateMetrics, baselineMetrics, options.MinAucGain, options.MaxF1Loss);
        return new CandidateEvaluation(kind, data, null, train.Count, test.Count, zip, candidateMetrics, baselineMetrics, decision,
            trained.TrainingTime);
    }

    private static CandidateEvaluation Skip(ModelKind kind, LabelledTexts data, string reason) =>
        new(kind, data, reason, 0, 0, null, null, null, null, TimeSpan.Zero);

    private static bool HasBothClasses(IReadOnlyList<(string Text, bool IsSpam)> examples) =>
        examples.Any(e => e.IsSpam) && examples.Any(e => !e.IsSpam);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
