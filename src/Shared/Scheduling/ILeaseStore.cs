namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Where job leases live. The runtime has one implementation (<see cref="MongoLeaseStore"/>); tests use an in-memory one.</summary>
/// <remarks>Every time is the store's own clock (the injected <see cref="TimeProvider"/>), so callers pass durations, not instants.</remarks>
public interface ILeaseStore
{
    /// <summary>Takes the lease when <see cref="LeaseRules"/> allow it, atomically; never throws for "someone else has it".</summary>
    Task<LeaseAcquisition> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken);

    /// <summary>Extends the lease by <paramref name="duration"/> from now if <paramref name="owner"/> still holds it; the new <c>lockedUntil</c>, or null when it was lost.</summary>
    Task<DateTimeOffset?> RenewAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Frees the lease (<c>lockedUntil</c> = now) if <paramref name="owner"/> still holds it; a no-op otherwise.</summary>
    Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken);

    /// <summary>The lease document, or null when the job never took its lease anywhere.</summary>
    Task<LeaseState?> ReadAsync(string name, CancellationToken cancellationToken);
}

/// <summary>One attempt to take a job's lease: for a scheduled firing <see cref="FireTime"/> is its cron slot, for run-job null.</summary>
public sealed record LeaseRequest(string Name, string Owner, TimeSpan Duration, DateTimeOffset? FireTime);

/// <summary>The result of <see cref="ILeaseStore.TryAcquireAsync"/>: taken until <see cref="LockedUntil"/>, or not, and why.</summary>
/// <remarks><see cref="Current"/> is the document as it was before a successful acquisition, or the holder's after a refusal.</remarks>
public sealed record LeaseAcquisition(bool Acquired, DateTimeOffset? LockedUntil, LeaseVerdict Verdict, LeaseState? Current)
{
    public static LeaseAcquisition Taken(DateTimeOffset lockedUntil, LeaseVerdict verdict, LeaseState? previous) => new(true, lockedUntil, verdict, previous);

    public static LeaseAcquisition Refused(LeaseVerdict verdict, LeaseState? current) => new(false, null, verdict, current);
}
