using System.Text;
using Confluent.Kafka;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Kafka.Producing;

/// <summary>
/// Publishes contract events the workers emit (<c>quikapp.moderation.flagged</c>, <c>quikapp.file.scanned</c>, ...)
/// to their topic with the contract's headers, and completes once the brokers acknowledged them (acks=all).
/// </summary>
public class EventPublisher(RecordProducer producer)
{
    /// <param name="envelope">The event; its data type decides the topic.</param>
    /// <param name="key">The partition key the contract names for the topic (channelId or fileId).</param>
    /// <param name="cancellationToken">Stops waiting for the acknowledgement (the record may still be delivered).</param>
    public virtual async Task PublishAsync(EventEnvelope envelope, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var headers = new Headers { { EventHeaders.EventType, Encoding.UTF8.GetBytes(envelope.EventType) } };
        if (envelope.Metadata.CorrelationId is { Length: > 0 } correlationId)
        {
            headers.Add(EventHeaders.CorrelationId, Encoding.UTF8.GetBytes(correlationId));
        }

        var topic = EventTopics.For(envelope.Data).Name;
        await producer.ProduceAsync(topic, Encoding.UTF8.GetBytes(key), EventEnvelopeWriter.Serialize(envelope), headers, cancellationToken)
            .ConfigureAwait(false);
    }
}
