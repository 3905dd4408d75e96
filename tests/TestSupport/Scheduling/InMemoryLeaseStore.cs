using MongoDB.Bson;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Testing.Scheduling;

/// <summary>
/// A lease store in memory, for tests that run schedulers without MongoDB; it applies <see cref="LeaseRules"/> atomically,
/// as the MongoDB filter does, and keeps what MongoDB would keep: times cut to milliseconds, raw documents read the way
/// <see cref="MongoLeaseCommands.ToState"/> reads them. Held to <see cref="MongoLeaseStore"/> by the lease store specification.
/// </summary>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock _lock;
    private readonly Dictionary<string, LeaseState> _leases;
    private readonly TimeProvider _time;

    public InMemoryLeaseStore(TimeProvider time)
        : this(time, new Lock(), new Dictionary<string, LeaseState>(StringComparer.Ordinal))
    {
    }

    public InMemoryLeaseStore()
        : this(TimeProvider.System)
    {
    }

    private InMemoryLeaseStore(TimeProvider time, Lock sharedLock, Dictionary<string, LeaseState> leases)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _lock = sharedLock;
        _leases = leases;
    }

    /// <summary>A store over the same lease documents reading another clock: another replica on the same database.</summary>
    public InMemoryLeaseStore OnClock(TimeProvider time) => new(time, _lock, _leases);

    /// <summary>Every successful acquisition, in order: (job, owner, fire time).</summary>
    public List<(string Job, string Owner, DateTimeOffset? FireTime)> Acquisitions { get; } = [];

    /// <summary>Every refused acquisition, in order: (job, owner, fire time, why).</summary>
    public List<(string Job, string Owner, DateTimeOffset? FireTime, LeaseVerdict Verdict)> Refusals { get; } = [];

    /// <summary>When set, renewals throw this (simulates MongoDB being unreachable).</summary>
    public Exception? RenewFailure { get; set; }

    /// <summary>When true, renewals never answer until cancelled (simulates a primary that hangs without timing out).</summary>
    public bool RenewHangs { get; set; }

    public Task<LeaseAcquisition> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            var now = Now();
            var current = _leases.GetValueOrDefault(request.Name);
            var verdict = LeaseRules.Evaluate(current, request.Owner, now, request.FireTime);
            if (!LeaseRules.CanAcquire(verdict))
            {
                Refusals.Add((request.Name, request.Owner, request.FireTime, verdict));
                return Task.FromResult(LeaseAcquisition.Refused(verdict, current));
            }

            var taken = Stored(LeaseRules.Acquire(current, request.Name, request.Owner, now, request.Duration, request.FireTime));
            _leases[request.Name] = taken;
            Acquisitions.Add((request.Name, request.Owner, request.FireTime));
            return Task.FromResult(LeaseAcquisition.Taken(taken.LockedUntil, verdict, current));
        }
    }

    public async Task<DateTimeOffset?> RenewAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (RenewHangs)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        if (RenewFailure is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            var renewed = LeaseRules.Renew(_leases.GetValueOrDefault(name), owner, Now(), duration);
            if (renewed is null)
            {
                return null;
            }

            _leases[name] = Stored(renewed);
            return _leases[name].LockedUntil;
        }
    }

    public Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (LeaseRules.Release(_leases.GetValueOrDefault(name), owner, Now()) is { } released)
            {
                _leases[name] = Stored(released);
            }
        }

        return Task.CompletedTask;
    }

    public Task<LeaseState?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_leases.GetValueOrDefault(name));
        }
    }

    /// <summary>Puts a lease document in place, as another replica (or a crash) would have left it.</summary>
    public void Seed(LeaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            _leases[state.Name] = Stored(state);
        }
    }

    /// <summary>Puts a raw lease document in place (explicit nulls, fields of other types), read as MongoDB's store reads it.</summary>
    public void Seed(BsonDocument raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        Seed(MongoLeaseCommands.ToState(raw));
    }

    // The clock is read with full precision, as the Mongo store reads it; only what is stored is cut to milliseconds.
    private DateTimeOffset Now() => _time.GetUtcNow();

    private static LeaseState Stored(LeaseState state) => state with
    {
        LockedUntil = MongoLeaseCommands.Millis(state.LockedUntil),
        AcquiredAt = Optional(state.AcquiredAt),
        RenewedAt = Optional(state.RenewedAt),
        LastFireTime = Optional(state.LastFireTime),
        ReleasedAt = Optional(state.ReleasedAt),
    };

    private static DateTimeOffset? Optional(DateTimeOffset? instant) => instant is { } value ? MongoLeaseCommands.Millis(value) : null;
}
