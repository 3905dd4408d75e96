using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Testing.Scheduling;

/// <summary>A lease store in memory, for tests that run schedulers without MongoDB; it applies <see cref="LeaseRules"/> atomically, as the MongoDB filter does.</summary>
public sealed class InMemoryLeaseStore(TimeProvider time) : ILeaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LeaseState> _leases = new(StringComparer.Ordinal);

    public InMemoryLeaseStore()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Every successful acquisition, in order: (job, owner, fire time).</summary>
    public List<(string Job, string Owner, DateTimeOffset? FireTime)> Acquisitions { get; } = [];

    /// <summary>Every refused acquisition, in order: (job, owner, fire time, why).</summary>
    public List<(string Job, string Owner, DateTimeOffset? FireTime, LeaseVerdict Verdict)> Refusals { get; } = [];

    /// <summary>When set, renewals throw this (simulates MongoDB being unreachable).</summary>
    public Exception? RenewFailure { get; set; }

    public Task<LeaseAcquisition> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var current = _leases.GetValueOrDefault(request.Name);
            var verdict = LeaseRules.Evaluate(current, request.Owner, now, request.FireTime);
            if (!LeaseRules.CanAcquire(verdict))
            {
                Refusals.Add((request.Name, request.Owner, request.FireTime, verdict));
                return Task.FromResult(LeaseAcquisition.Refused(verdict, current));
            }

            var taken = LeaseRules.Acquire(current, request.Name, request.Owner, now, request.Duration, request.FireTime);
            _leases[request.Name] = taken;
            Acquisitions.Add((request.Name, request.Owner, request.FireTime));
            return Task.FromResult(LeaseAcquisition.Taken(taken.LockedUntil, verdict, current));
        }
    }

    public Task<DateTimeOffset?> RenewAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (RenewFailure is { } failure)
        {
            return Task.FromException<DateTimeOffset?>(failure);
        }

        lock (_lock)
        {
            var renewed = LeaseRules.Renew(_leases.GetValueOrDefault(name), owner, time.GetUtcNow(), duration);
            if (renewed is null)
            {
                return Task.FromResult<DateTimeOffset?>(null);
            }

            _leases[name] = renewed;
            return Task.FromResult<DateTimeOffset?>(renewed.LockedUntil);
        }
    }

    public Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (LeaseRules.Release(_leases.GetValueOrDefault(name), owner, time.GetUtcNow()) is { } released)
            {
                _leases[name] = released;
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
            _leases[state.Name] = state;
        }
    }
}
