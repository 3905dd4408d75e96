namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>A job's lease document as last read: who holds it, until when, and the last cron slot any replica ran.</summary>
public sealed record LeaseState(
    string Name,
    string? Owner,
    DateTimeOffset LockedUntil,
    DateTimeOffset? AcquiredAt,
    DateTimeOffset? RenewedAt,
    DateTimeOffset? LastFireTime)
{
    /// <summary>When the holder released it; older than <see cref="AcquiredAt"/> (or null) means the current holder never did.</summary>
    public DateTimeOffset? ReleasedAt { get; init; }
}

/// <summary>Why a lease can or cannot be taken now.</summary>
public enum LeaseVerdict
{
    /// <summary>No lease document yet: the first acquisition creates it.</summary>
    Free,

    /// <summary>Someone held it but <c>lockedUntil</c> has passed (released, or its owner died).</summary>
    Expired,

    /// <summary>This owner holds it already.</summary>
    Ours,

    /// <summary>Another owner holds it and its <c>lockedUntil</c> is still ahead.</summary>
    HeldByOther,

    /// <summary>A replica already ran this cron slot (<c>lastFireTime</c> is at or after it), whoever holds the lease now.</summary>
    AlreadyFired,
}

/// <summary>
/// The lease's decisions, without I/O: the MongoDB filter (<see cref="MongoLeaseCommands"/>) is this predicate written as a
/// query, and the in-memory lease store of the tests applies it directly, so both say the same thing.
/// </summary>
/// <remarks>
/// A lease can be taken when it is (free, expired or ours) AND, for a scheduled firing, its <c>lastFireTime</c> is before
/// the firing's slot. The second condition is what makes a replica that fires late for a slot skip it even after the
/// first replica has finished and released. Expiry is strict: a lease whose <c>lockedUntil</c> equals now is still held.
/// </remarks>
public static class LeaseRules
{
    public static LeaseVerdict Evaluate(LeaseState? current, string owner, DateTimeOffset now, DateTimeOffset? fireTime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (current is null)
        {
            return LeaseVerdict.Free;
        }

        if (fireTime is { } fire && current.LastFireTime is { } last && last >= fire)
        {
            return LeaseVerdict.AlreadyFired;
        }

        if (string.Equals(current.Owner, owner, StringComparison.Ordinal))
        {
            return LeaseVerdict.Ours;
        }

        return current.LockedUntil < now ? LeaseVerdict.Expired : LeaseVerdict.HeldByOther;
    }

    public static bool CanAcquire(LeaseVerdict verdict) => verdict is LeaseVerdict.Free or LeaseVerdict.Expired or LeaseVerdict.Ours;

    /// <summary>The document after a successful acquisition; a run without a fire time (run-job) leaves <c>lastFireTime</c> alone.</summary>
    public static LeaseState Acquire(LeaseState? current, string name, string owner, DateTimeOffset now, TimeSpan duration, DateTimeOffset? fireTime) =>
        new(name, owner, now + duration, now, now, fireTime ?? current?.LastFireTime);

    /// <summary>Renewal extends only a lease still held by <paramref name="owner"/>; null when it was lost.</summary>
    public static LeaseState? Renew(LeaseState? current, string owner, DateTimeOffset now, TimeSpan duration) =>
        current is not null && string.Equals(current.Owner, owner, StringComparison.Ordinal)
            ? current with { LockedUntil = now + duration, RenewedAt = now }
            : null;

    /// <summary>Release frees a lease only if <paramref name="owner"/> still holds it; the owner stays on record for operators, with <c>releasedAt</c>.</summary>
    public static LeaseState? Release(LeaseState? current, string owner, DateTimeOffset now) =>
        current is not null && string.Equals(current.Owner, owner, StringComparison.Ordinal)
            ? current with { LockedUntil = now, ReleasedAt = now }
            : current;

    /// <summary>Whether a lease was left behind by a holder that stopped without releasing it (crashed, killed, partitioned).</summary>
    public static bool WasAbandoned(LeaseState previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return previous.Owner is not null && (previous.ReleasedAt is not { } released || released < previous.AcquiredAt);
    }

    /// <summary>A one-line reason for a lease that was not acquired, for logs and <c>run-job</c>.</summary>
    public static string Describe(LeaseVerdict verdict, LeaseState? current, DateTimeOffset? fireTime) => verdict switch
    {
        LeaseVerdict.AlreadyFired => $"slot {fireTime:O} already ran (lastFireTime {current?.LastFireTime:O})",
        LeaseVerdict.HeldByOther => $"lease held by {current?.Owner} until {current?.LockedUntil:O}",
        LeaseVerdict.Free or LeaseVerdict.Expired or LeaseVerdict.Ours => "another replica took the lease at the same moment",
        _ => verdict.ToString(),
    };
}
