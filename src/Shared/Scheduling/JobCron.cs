using Quartz;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>
/// The cron rules every scheduled job follows: Quartz cron syntax evaluated in UTC, and which cron slot a firing belongs to.
/// </summary>
/// <remarks>
/// UTC, because replicas must agree on the slots whatever their local time zone, and the daily aggregations count UTC days.
/// The slot (not the moment Quartz happened to fire) is what the lease compares: every replica computes the same slot for
/// the same firing, so the second replica recognises a firing the first has already run.
/// </remarks>
public static class JobCron
{
    private static readonly TimeSpan FirstProbe = TimeSpan.FromMinutes(1);

    // Far enough for any practical cron (yearly, leap-day) without walking back forever on one that never fires.
    private static readonly TimeSpan LongestProbe = TimeSpan.FromDays(8 * 366);

    /// <summary>Parses a Quartz cron expression (seconds first, e.g. <c>0 15 0 * * ?</c>) into a UTC schedule.</summary>
    public static bool TryParse(string? expression, out CronExpression? cron, out string? error)
    {
        cron = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "no cron expression is set";
            return false;
        }

        try
        {
            // The constructor, not TryParse, because its message says which field is wrong.
            cron = new CronExpression(expression.Trim(), TimeZoneInfo.Utc);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return false;
        }

        // A cron pinned to past years parses but would silently never run.
        if (cron.GetNextValidTimeAfter(DateTimeOffset.UtcNow) is null)
        {
            cron = null;
            error = "the expression never fires again";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Parses <paramref name="expression"/> or throws a <see cref="FormatException"/> naming it.</summary>
    public static CronExpression Parse(string expression) =>
        TryParse(expression, out var cron, out var error) ? cron! : throw new FormatException($"'{expression}' is not a valid Quartz cron expression: {error}.");

    /// <summary>The latest slot of <paramref name="cron"/> at or before <paramref name="instant"/>, or null when there is none within eight years.</summary>
    /// <remarks>
    /// A regular firing's scheduled time is a slot already and maps to itself. A misfired firing may carry a scheduled time
    /// between slots (a misfire policy may fire "now"); mapping it back to its slot keeps "one run per slot" exact.
    /// CronExpression only searches forwards, so this probes back with a doubling window until one holds a slot, then walks
    /// forwards to the last slot in it.
    /// </remarks>
    public static DateTimeOffset? LatestSlotAtOrBefore(CronExpression cron, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(cron);
        for (var probe = FirstProbe; probe <= LongestProbe; probe += probe)
        {
            if (instant - DateTimeOffset.MinValue <= probe)
            {
                return null;
            }

            if (cron.GetNextValidTimeAfter(instant - probe) is not { } first || first > instant)
            {
                continue;
            }

            var latest = first;
            while (cron.GetNextValidTimeAfter(latest) is { } next && next <= instant)
            {
                latest = next;
            }

            return latest;
        }

        return null;
    }

    /// <summary>
    /// The slot to catch up after downtime: the latest slot at or before <paramref name="now"/> when it is later than the last
    /// slot the fleet ran (<paramref name="lastFireTime"/>); null when nothing was missed or the job never ran anywhere yet.
    /// </summary>
    /// <remarks>One slot however many were missed: the policy is "after downtime, run once", like FireAndProceed.</remarks>
    public static DateTimeOffset? MissedSlot(CronExpression cron, DateTimeOffset? lastFireTime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cron);
        if (lastFireTime is not { } last)
        {
            return null;
        }

        return LatestSlotAtOrBefore(cron, now) is { } slot && slot > last ? slot : null;
    }
}
