using Microsoft.Extensions.Logging;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Keeps a running job's lease alive: renews it every RenewInterval and cancels the job when the lease is lost.</summary>
/// <remarks>
/// Lost means a renewal found another owner, or renewals kept failing until our own <c>lockedUntil</c> passed: from then on
/// another replica may legitimately take the lease, so we must stop writing even though nobody told us.
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
            DateTimeOffset? renewed;
            try
            {
                renewed = await _leases.RenewAsync(_name, _owner, _duration, stop).ConfigureAwait(false);
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
    private static partial void LogExpiredUnrenewed(ILogger logger, Exception exception, string job, DateTimeOffset lockedUntil);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} lost its lease ({Owner} no longer holds it); cancelling the run")]
    private static partial void LogLost(ILogger logger, string job, string owner);
}
