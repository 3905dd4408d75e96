using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Incremental;

/// <summary>
/// The "changed since" interval an incremental run scans (on <c>updatedAt</c>, say): [Since, Until), Until open for a
/// scheduled run. Pure: derived from the requested window, the stored watermark and the job's overlap.
/// </summary>
public readonly record struct ChangeWindow(DateTime Since, DateTime? Until, bool Requested)
{
    /// <summary>
    /// A requested window (<c>run-job --from/--to</c>) is taken as is (<c>--from</c> defaults to <paramref name="now"/> minus
    /// <paramref name="firstRunLookback"/>). Otherwise the run scans from the last successful run's start minus
    /// <paramref name="overlap"/> (writes stamped just before the watermark but committed after the previous run read, and
    /// replication lag on a secondary, fall inside the overlap), or, before any run, from <paramref name="now"/> minus
    /// <paramref name="firstRunLookback"/>.
    /// </summary>
    public static ChangeWindow For(JobWindow requested, DateTime? watermark, DateTime now, TimeSpan overlap, TimeSpan firstRunLookback)
    {
        now = UtcDays.AsUtc(now);
        if (!requested.IsEmpty)
        {
            var since = requested.From?.UtcDateTime ?? now - firstRunLookback;
            var until = requested.To?.UtcDateTime;
            if (until is { } end && end <= since)
            {
                throw new ArgumentException($"The window must end after it starts (from {since:o}, to {end:o}).", nameof(requested));
            }

            return new ChangeWindow(since, until, Requested: true);
        }

        return new ChangeWindow(watermark is { } last ? UtcDays.AsUtc(last) - overlap : now - firstRunLookback, null, Requested: false);
    }

    /// <summary>The window as job_runs records it.</summary>
    public JobWindow ToJobWindow(DateTime now) =>
        new(new DateTimeOffset(Since, TimeSpan.Zero), new DateTimeOffset(Until ?? UtcDays.AsUtc(now), TimeSpan.Zero));
}
