using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Kafka.Producing;

/// <summary>Why a record was dead-lettered, as a metric label and in the <c>dlq-reason</c> header.</summary>
public enum DeadLetterKind
{
    /// <summary>The record could not be decoded (not JSON, missing fields, unknown major version, ...).</summary>
    Malformed,

    /// <summary>The handler rejected the event as permanently unprocessable.</summary>
    Rejected,

    /// <summary>The handler kept failing on this event alone.</summary>
    HandlerFailure,
}

/// <summary>Sends a record that cannot be processed to <c>&lt;topic&gt;.dlq</c>, byte-for-byte, with the reason in headers.</summary>
public interface IDeadLetterPublisher
{
    /// <summary>Completes once the dead-letter record is acknowledged by the brokers (acks=all).</summary>
    Task PublishAsync(KafkaRecord record, DeadLetterKind kind, string reason, Exception? exception, CancellationToken cancellationToken);
}
