using System.Globalization;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// <c>smart-reply-snapshot</c>: records a versioned smart-reply training set in <c>QuikApp_ml.training_sets</c> — the
/// cutoff, the pair counts and the rules the pairs were built under. The pairs themselves stay in <c>reply_pairs</c>;
/// <c>export-training-set</c> writes them out.
/// </summary>
/// <remarks>
/// The cutoff is the run's cron slot, or the end of the <c>run-job --to</c> window, or (a <c>run-job</c> without
/// <c>--to</c>) now to the minute; the version is derived from it, so a firing that runs twice (a retry, a late
/// replica) finds its version and changes nothing. A cutoff in the future is refused: a snapshot can only cover pairs
/// already built.
/// </remarks>
public sealed class SmartReplySnapshotJob(
    ISmartReplyPairStore pairs,
    ISmartReplySnapshotStore snapshots,
    IOptions<SmartReplyOptions> options,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "smart-reply-snapshot";

    /// <summary>02:30:00 UTC daily, after the night's quietest hour.</summary>
    public const string DefaultCron = "0 30 2 * * ?";

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var cutoff = context.Window.To ?? context.ScheduledFireTime ?? ToMinute(now);
        if (cutoff > now)
        {
            return JobOutcome.Failed(Invariant($"the cutoff {cutoff:O} is in the future; a snapshot can only cover pairs already built"));
        }

        var version = SmartReplySnapshot.VersionFor(cutoff);
        if (await snapshots.FindAsync(version, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return Report(context, existing, JobOutcome.Skipped(Invariant($"{version} already exists ({existing.Counts.Pairs} pairs)")));
        }

        var counts = await pairs.CountAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var snapshot = new SmartReplySnapshot(version, now, cutoff, counts, SnapshotFilters.From(options.Value));
        if (!await snapshots.TryInsertAsync(snapshot, cancellationToken).ConfigureAwait(false))
        {
            return JobOutcome.Skipped(Invariant($"{version} was recorded by another run meanwhile"));
        }

        return Report(context, snapshot, JobOutcome.Succeeded(
            Invariant($"{version}: {counts.Pairs} pairs ({counts.Thread} thread, {counts.Quick} quick) built up to {cutoff:O}")));
    }

    private static JobOutcome Report(JobRunContext context, SmartReplySnapshot snapshot, JobOutcome outcome)
    {
        context.Add("pairs", snapshot.Counts.Pairs);
        context.Add("thread", snapshot.Counts.Thread);
        context.Add("quick", snapshot.Counts.Quick);
        return outcome with { Window = new JobWindow(null, snapshot.Cutoff) };
    }

    private static DateTimeOffset ToMinute(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
