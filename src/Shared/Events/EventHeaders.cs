namespace QuikApp.Workers.Shared.Events;

/// <summary>Kafka header names the contract puts beside the event value.</summary>
public static class EventHeaders
{
    public const string EventType = "event-type";
    public const string CorrelationId = "correlation-id";

    // Added when an event is dead-lettered; the value and key are kept byte-for-byte, so these say why and from where.
    public const string DlqReason = "dlq-reason";
    public const string DlqException = "dlq-exception";
    public const string DlqSourceTopic = "dlq-source-topic";
    public const string DlqSourcePartition = "dlq-source-partition";
    public const string DlqSourceOffset = "dlq-source-offset";
    public const string DlqFailedAt = "dlq-failed-at";

    // On a dead letter that is a reference, not a copy: the record could not fit the producer's message.max.bytes, so
    // the value is a small JSON reference to the source record (why, sizes, a prefix). Replay skips such records.
    public const string DlqReference = "dlq-reference";

    // Added by replay-dlq to a record it re-publishes from a .dlq topic: "<dlq partition>:<dlq offset>".
    public const string ReplayedFromDlq = "replayed-from-dlq";
}
