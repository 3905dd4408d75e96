using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Kafka.Producing;

/// <summary>
/// Produces an unprocessable record to <c>&lt;source topic&gt;.dlq</c> with its original key, value and headers
/// byte-for-byte, plus the contract's <c>dlq-*</c> headers saying why and where from — or, when that copy can never be
/// produced (larger than <c>message.max.bytes</c>, or refused by the broker as too large), a reference to it
/// (<see cref="DeadLetterRecord.Reference"/>), so that dead-lettering always makes progress.
/// </summary>
public sealed partial class KafkaDeadLetterPublisher(RecordProducer producer, TimeProvider? time = null, ILogger<KafkaDeadLetterPublisher>? logger = null)
    : IDeadLetterPublisher
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger<KafkaDeadLetterPublisher>.Instance;

    public async Task PublishAsync(KafkaRecord record, DeadLetterKind kind, string reason, Exception? exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var topic = EventTopics.DeadLetterTopic(record.Topic);
        var labelled = $"{DeadLetterRecord.Label(kind)}: {reason}";
        var failedAt = _time.GetUtcNow();
        var copy = DeadLetterRecord.Copy(record, labelled, exception, failedAt);
        var size = copy.EstimatedSize;
        string why;
        if (size <= producer.MaxMessageBytes)
        {
            try
            {
                await producer.ProduceAsync(topic, copy.Key, copy.Value, copy.Headers, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (IsTooLarge(ex.Error.Code))
            {
                // The broker or topic has a smaller limit than ours: no retry can ever deliver this copy.
                why = string.Create(CultureInfo.InvariantCulture, $"the copy of {size} bytes was refused as too large ({ex.Error.Code})");
            }
        }
        else
        {
            why = string.Create(CultureInfo.InvariantCulture, $"the copy of {size} bytes exceeds message.max.bytes ({producer.MaxMessageBytes})");
        }

        var reference = DeadLetterRecord.Reference(record, labelled, exception, failedAt, why);
        await producer.ProduceAsync(topic, reference.Key, reference.Value, reference.Headers, cancellationToken).ConfigureAwait(false);
        LogReference(record.Topic, record.Partition, record.Offset, why);
    }

    /// <summary>Produce errors that say the record is too large: permanent for this record, never worth a retry.</summary>
    public static bool IsTooLarge(ErrorCode code) =>
        code is ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered {Topic}[{Partition}]@{Offset} as a reference: {Why}")]
    private partial void LogReference(string topic, int partition, long offset, string why);
}
