using System.Collections.Concurrent;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Producing;

namespace QuikApp.Workers.Files.Tests.Doubles;

/// <summary>An event publisher that keeps what it is given instead of producing to Kafka, for tests without a broker.</summary>
internal sealed class RecordingEventPublisher() : EventPublisher(null!)
{
    public ConcurrentQueue<(EventEnvelope Envelope, string Key)> Published { get; } = new();

    public IReadOnlyList<T> Of<T>() where T : IEventData => [.. Published.Select(p => p.Envelope.Data).OfType<T>()];

    public override Task PublishAsync(EventEnvelope envelope, string key, CancellationToken cancellationToken)
    {
        Published.Enqueue((envelope, key));
        return Task.CompletedTask;
    }
}
