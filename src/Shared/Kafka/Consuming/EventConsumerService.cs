using Microsoft.Extensions.Hosting;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>The hosted-service adapter over a <see cref="ConsumerEngine{TEvent}"/>: the engine does the work, this only starts and stops it.</summary>
internal sealed class EventConsumerService<TEvent>(ConsumerEngine<TEvent> engine, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A consumer that cannot go on (fatal Kafka error) takes the process down so the orchestrator restarts it.
        engine.Faulted += (_, _) => lifetime.StopApplication();
        return engine.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync(cancellationToken);
}
