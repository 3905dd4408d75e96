using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>Decodes a record as a contract <see cref="EventEnvelope"/> with the strict parser (the topic fixes the expected type).</summary>
public sealed class EnvelopeDecoder : IRecordDecoder<EventEnvelope>
{
    public DecodeResult<EventEnvelope> Decode(KafkaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Value is null)
        {
            return DecodeResult.Failure<EventEnvelope>("value: the record has no value (tombstone)");
        }

        var parsed = EventEnvelopeParser.Parse(record.Topic, record.Value);
        return parsed.IsSuccess
            ? DecodeResult.Success(parsed.Envelope)
            : DecodeResult.Failure<EventEnvelope>(parsed.FailureReason);
    }

    public string? EventIdOf(KafkaRecord record) =>
        record?.Value is { } value && EventEnvelopeParser.TryGetEventId(value, out var id) ? id.ToString() : null;
}
