using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Scoring.Text;
using QuikApp.Workers.Moderation.Scoring.Toxicity;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// <c>moderation-retraining</c>: snapshots moderators' decisions as a training set, retrains the spam and toxicity
/// models on it, grades each candidate against the current model on held-out examples and promotes the better ones.
/// </summary>
/// <remarks>
/// Every step is idempotent: the set id comes from the run's cut-off (the cron slot, or <c>run-job --to</c>), examples
/// and records are upserts, model ids are content hashes, and training is deterministic (seeded, single-threaded), so a
/// rerun of the same window rewrites the same set, trains the same models and finds them already decided.
/// </remarks>
public sealed partial class ModerationRetrainingJob(
    IModerationReportStore reports,
    IMessageContentStore messages,
    ITrainingSetStore trainingSets,
    CandidatePublisher publisher,
    PromotedModelSync sync,
    SpamModelHolder spamModel,
    ToxicityModelHolder toxicityModel,
    ToxicityLexiconCheck toxicityLexicon,
    IOptions<LearningOptions> options,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "moderation-retraining";

    /// <summary>Sundays 03:00 UTC: a week of decisions, at the quietest hour.</summary>
    public const string DefaultCron = "0 0 3 ? * SUN";

    /// <summary>The baseline's version when no toxicity model has been promoted: the lexicon check scores alone.</summary>
    public const string LexiconBaseline = "lexicon";

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var now = time.GetUtcNow();
        // run-job without --to cuts off now: pass --to to rerun a window reproducibly. The window's start is not used:
        // a training set holds every decision up to its cut-off, not one week's.
        var cutoff = WholeSeconds(context.Window.To ?? context.ScheduledFireTime ?? now);

        var resolved = await reports.ReadResolvedAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var labels = ModerationLabels.Derive(resolved);
        var contents = await messages.GetAsync([.. labels.Select(l => l.MessageId)], cancellationToken).ConfigureAwait(false);
        var snapshot = TrainingSetBuilder.Build(labels, contents, cutoff, now);
        await trainingSets.SaveAsync(snapshot, cancellationToken).ConfigureAwait(false);
        CountSnapshot(context, resolved.Count, labels.Count, snapshot);
        LogSnapshot(context.Logger, snapshot.Record.Id, snapshot.Record.Counts.Messages, resolved.Count);

        // run-job starts no watcher: bring the current models up to date before grading candidates against them.
        await sync.SyncAsync(cancellationToken).ConfigureAwait(false);

        var summaries = new List<string>();
        var trained = 0;
        foreach (var kind in ModelKinds.All)
        {
            var baseline = BaselineFor(kind);
            var evaluation = CandidateTrainer.TrainAndCompare(kind, snapshot.Examples, baseline, settings, cancellationToken);
            var prefix = kind.ToWire();
            context.Add($"{prefix}DuplicateTexts", evaluation.Data.Duplicates);
            context.Add($"{prefix}ConflictingTexts", evaluation.Data.Conflicts);
            if (evaluation.SkipReason is { } reason)
            {
                context.Add($"{prefix}Skipped", 1);
                summaries.Add($"{prefix}: skipped, {reason}");
                LogSkipped(context.Logger, prefix, reason);
                continue;
            }

            trained++;
            var published = await publisher.PublishAsync(evaluation, baseline.Version, snapshot.Record.Id, settings, cancellationToken)
                .ConfigureAwait(false);
            CountEvaluation(context, prefix, evaluation, published);
            var summary = published.AlreadyDecided
                ? $"{prefix}: {published.Record.Id} was already {published.Record.Status.ToWire()}"
                : $"{prefix}: {published.Record.Id} {evaluation.Decision!.Reason}";
            summaries.Add(summary);
            LogEvaluated(context.Logger, prefix, published.Record.Id, baseline.Version, summary,
                evaluation.TrainCount, evaluation.TestCount, evaluation.TrainingTime.TotalSeconds);
        }

        // This replica scores with what it just promoted at once; the others within ReloadInterval.
        await sync.SyncAsync(cancellationToken).ConfigureAwait(false);
        var pruned = await trainingSets.PruneExamplesAsync(settings.KeepTrainingSets, now, cancellationToken).ConfigureAwait(false);
        context.Add("trainingSetsPruned", pruned);

        var message = $"{snapshot.Record.Id}: {snapshot.Record.Counts.Messages} examples; {string.Join("; ", summaries)}";
        var outcome = trained > 0 ? JobOutcome.Succeeded(message) : JobOutcome.Skipped(message);
        return outcome with { Window = new JobWindow(null, cutoff) };
    }

    private BaselineScorer BaselineFor(ModelKind kind)
    {
        if (kind == ModelKind.Spam)
        {
            var spam = spamModel.Current;
            return new BaselineScorer(spam.ModelVersion, spam.Probability);
        }

        // Before any toxicity model is promoted, the candidate must beat the lexicon check read as a classifier.
        return toxicityModel.Current is { } toxicity
            ? new BaselineScorer(toxicity.ModelVersion, toxicity.Probability)
            : new BaselineScorer(LexiconBaseline, text => toxicityLexicon.Score(TextNormalizer.Normalize(text)).Score);
    }

    private static void CountSnapshot(JobRunContext context, int reportCount, int labelledMessages, TrainingSetSnapshot snapshot)
    {
        var counts = snapshot.Record.Counts;
        context.Add("reports", reportCount);
        context.Add("labelledMessages", labelledMessages);
        context.Add("examples", counts.Messages);
        context.Add("spamPositive", counts.Spam.Positive);
        context.Add("spamNegative", counts.Spam.Negative);
        context.Add("toxicityPositive", counts.Toxicity.Positive);
        context.Add("toxicityNegative", counts.Toxicity.Negative);
        context.Add("missingMessages", snapshot.Excluded.MissingMessages);
        context.Add("deletedMessagesExcluded", snapshot.Excluded.DeletedMessages);
        context.Add("emptyMessagesExcluded", snapshot.Excluded.EmptyMessages);
        context.Add("labelsEditedSince", snapshot.Excluded.LabelsEditedSince);
    }

    private static void CountEvaluation(JobRunContext context, string prefix, CandidateEvaluation evaluation, PublishedCandidate published)
    {
        context.Add($"{prefix}Train", evaluation.TrainCount);
        context.Add($"{prefix}Test", evaluation.TestCount);
        context.Add($"{prefix}TrainingMs", (long)evaluation.TrainingTime.TotalMilliseconds);
        // Counts are integers: metrics are recorded in units of 1/10,000 (exact values are in the model registry).
        AddMetric(context, $"{prefix}CandidateAucX10000", evaluation.Candidate!.AreaUnderRocCurve);
        AddMetric(context, $"{prefix}CandidateF1X10000", evaluation.Candidate.F1Score);
        AddMetric(context, $"{prefix}BaselineAucX10000", evaluation.Baseline!.AreaUnderRocCurve);
        AddMetric(context, $"{prefix}BaselineF1X10000", evaluation.Baseline.F1Score);
        context.Add($"{prefix}Promoted", published.Record.Status == ModelStatus.Promoted ? 1 : 0);
    }

    private static void AddMetric(JobRunContext context, string name, double value)
    {
        if (!double.IsNaN(value))
        {
            context.Add(name, (long)Math.Round(value * 10_000, MidpointRounding.AwayFromZero));
        }
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training set {SetId}: {Examples} labelled messages from {Reports} decided reports")]
    private static partial void LogSnapshot(ILogger logger, string setId, int examples, int reports);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not retraining the {Kind} model: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retrained the {Kind} model {ModelId} against {BaselineVersion}: {Summary} (train {Train}, held out {Test}, fit {Seconds:0.0} s)")]
    private static partial void LogEvaluated(ILogger logger, string kind, string modelId, string baselineVersion, string summary,
        int train, int test, double seconds);
}
