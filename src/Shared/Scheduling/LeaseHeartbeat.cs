using Microsoft.Extensions.Logging;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Keeps a running job's lease alive: renews it every RenewInterval and cancels the job when the lease is lost.</summary>
/// <remarks>
/// Lost means a renewal found another owner, or renewals kept failing (or timing out) until our own <c>lockedUntil</c> passed:
/// from then on another replica may legitimately take the lease, so we must stop writing even though nobody told us. A
/// renewal in flight is abandoned at <c>lockedUntil</c>; a renewal that timed out but was applied only makes the lease in
/// the database outlive our claim, never the reverse, so there are never two holders (clock skew aside, see docs).
/// </remarks>
internal sealed partial class LeaseHeartbeat : IAsyncDisposable
{
    private readonly ILeaseStore _leases;
    private readonly string _name;
    private readonly string _owner;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _job;
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;
    private DateTimeOffset _lockedUntil;
    private int _lost;

    public LeaseHeartbeat(
        ILeaseStore leases,
        LeaseRequest lease,
        DateTimeOffset lockedUntil,
        TimeSpan renewInterval,
        TimeProvider time,
        ILogger logger,
        CancellationTokenSource job)
    {
        _leases = leases;
        _name = lease.Name;
        _owner = lease.Owner;
        _duration = lease.Duration;
        _time = time;
        _logger = logger;
        _job = job;
        _lockedUntil = lockedUntil;
        // Created here, not in the loop: the first renewal is due RenewInterval after acquisition, however late the loop starts.
        _timer = new PeriodicTimer(renewInterval, time);
        _loop = Task.Run(() => RenewUntilStoppedAsync(_stop.Token));
    }

    public bool Lost => Volatile.Read(ref _lost) == 1;

    /// <summary>The last <c>lockedUntil</c> a renewal confirmed (or the acquisition set).</summary>
    public DateTimeOffset LockedUntil => _lockedUntil;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }

        _timer.Dispose();
        _stop.Dispose();
    }

    private async Task RenewUntilStoppedAsync(CancellationToken stop)
    {
        while (await _timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            // A renewal is only worth trying while the lease is ours, and may only run until it stops being ours: past
            // lockedUntil another replica may take it, so a renewal still in flight then (a timeout not yet reached, a
            // slow primary) must not keep this run going. The store's own bound (Scheduling:OperationTimeout) ends it too.
            var remaining = _lockedUntil - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                LogExpiredUnrenewed(_logger, null, _name, _lockedUntil);
                await MarkLostAsync().ConfigureAwait(false);
                return;
            }

            DateTimeOffset? renewed;
            using var expiry = new CancellationTokenSource(remaining, _time);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop, expiry.Token);
            try
            {
                renewed = await _leases.RenewAsync(_name, _owner, _duration, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!stop.IsCancellationRequested)
            {
                // Our lockedUntil passed while renewing: whatever the server did, we stop (a renewal it applied only
                // extends a lease nobody else can take before then; one it did not leaves the lease to be taken).
                LogExpiredUnrenewed(_logger, ex, _name, _lockedUntil);
                await MarkLostAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (_time.GetUtcNow() < _lockedUntil)
                {
                    LogRenewalFailed(_logger, ex, _name, _lockedUntil);
                    continue;
                }

                LogExpiredUnrenewed(_logger, ex, _name, _lockedUntil);
                await MarkLostAsync().ConfigureAwait(false);
                return;
            }

            if (renewed is not { } lockedUntil)
            {
                LogLost(_logger, _name, _owner);
                await MarkLostAsync().ConfigureAwait(false);
                return;
            }

            _lockedUntil = lockedUntil;
        }
    }

    private async Task MarkLostAsync()
    {
        Volatile.Write(ref _lost, 1);
        await _job.CancelAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease of job {Job} failed; retrying while it is still ours (until {LockedUntil})")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string job, DateTimeOffset lockedUntil);

    [LoggerMessage(Level = LogLevel.Error, Message = "The lease of job {Job} expired at {LockedUntil} without a successful renewal; cancelling the run")]
    private static partial void LogExpiredUnrenewed(ILogger logger, Exception? exception, string job, DateTimeOffset lockedUntil);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} lost its lease ({Owner} no longer holds it); cancelling the run")]
    private static partial void LogLost(ILogger logger, string job, string owner);
}
