using Microsoft.Extensions.Hosting;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>The hosted-service adapter over a <see cref="ConsumerEngine{TEvent}"/>: the engine does the work, this only starts and stops it.</summary>
/// <remarks>
/// While a required MongoDB index is not in place (<see cref="MongoRequiredIndexGate"/> closed) the engine is not started:
/// start-up returns, so the health endpoints answer, and the engine starts when the gate opens.
/// </remarks>
internal sealed class EventConsumerService<TEvent>(
    ConsumerEngine<TEvent> engine,
    IHostApplicationLifetime lifetime,
    MongoRequiredIndexGate? requiredIndexes = null) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _deferredStart;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A consumer that cannot go on (fatal Kafka error) takes the process down so the orchestrator restarts it.
        engine.Faulted += (_, _) => lifetime.StopApplication();
        if (requiredIndexes is null || requiredIndexes.IsOpen)
        {
            return engine.StartAsync(cancellationToken);
        }

        _deferredStart = StartWhenIndexesAreInPlaceAsync(requiredIndexes, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_deferredStart is { } deferred)
        {
            await deferred.ConfigureAwait(false);
        }

        await engine.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task StartWhenIndexesAreInPlaceAsync(MongoRequiredIndexGate gate, CancellationToken stopping)
    {
        try
        {
            await gate.WaitAsync(stopping).ConfigureAwait(false);
            await engine.StartAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped before the indexes were in place: the engine never started.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As for a failed start in StartAsync: the process goes down and the orchestrator restarts it.
            lifetime.StopApplication();
        }
    }
}
