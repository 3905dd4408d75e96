using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// Keeps every worker scoring with the newest promoted models: loads them at start, then looks at the registry every
/// <see cref="LearningOptions.ReloadInterval"/>. A failure keeps the running model (see <see cref="PromotedModelSync"/>).
/// </summary>
/// <remarks>
/// The first look happens in <see cref="StartAsync"/>, which the host awaits before starting the hosted services
/// registered after it, so a restarted worker scores its first message with the promoted model rather than the bundled
/// one. It is bounded by <see cref="StartupBudget"/>: with MongoDB down, start-up goes on with the start-up model.
/// </remarks>
public sealed partial class PromotedModelWatcher(
    PromotedModelSync sync,
    IOptions<LearningOptions> options,
    TimeProvider time,
    ILogger<PromotedModelWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan StartupBudget = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(StartupBudget);
        try
        {
            await sync.SyncAsync(budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogStartupLoadTimedOut(StartupBudget);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReloadInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await sync.SyncAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the promoted models took longer than {Budget} at start; starting with the start-up models, the watcher retries")]
    private partial void LogStartupLoadTimedOut(TimeSpan budget);
}
