using System.Globalization;
using System.Text;
using Confluent.Kafka;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Kafka.Producing;

/// <summary>
/// Produces an unprocessable record to <c>&lt;source topic&gt;.dlq</c> with its original key, value and headers
/// byte-for-byte, plus the contract's <c>dlq-*</c> headers saying why and where from.
/// </summary>
public sealed class KafkaDeadLetterPublisher(RecordProducer producer, TimeProvider? time = null) : IDeadLetterPublisher
{
    private const int MaxHeaderText = 2_000;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task PublishAsync(KafkaRecord record, DeadLetterKind kind, string reason, Exception? exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var headers = new Headers();
        foreach (var (key, value) in record.Headers)
        {
            headers.Add(key, value);
        }

        headers.Add(EventHeaders.DlqReason, Utf8($"{Label(kind)}: {reason}"));
        if (exception is not null)
        {
            headers.Add(EventHeaders.DlqException, Utf8($"{exception.GetType().FullName}: {exception.Message}"));
        }

        headers.Add(EventHeaders.DlqSourceTopic, Utf8(record.Topic));
        headers.Add(EventHeaders.DlqSourcePartition, Utf8(record.Partition.ToString(CultureInfo.InvariantCulture)));
        headers.Add(EventHeaders.DlqSourceOffset, Utf8(record.Offset.ToString(CultureInfo.InvariantCulture)));
        headers.Add(EventHeaders.DlqFailedAt, Utf8(_time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)));

        await producer.ProduceAsync(EventTopics.DeadLetterTopic(record.Topic), record.Key, record.Value, headers, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The reason's prefix in the <c>dlq-reason</c> header, e.g. <c>malformed: data.channelId: expected a UUID</c>.</summary>
    public static string Label(DeadLetterKind kind) => kind switch
    {
        DeadLetterKind.Malformed => "malformed",
        DeadLetterKind.Rejected => "rejected",
        DeadLetterKind.HandlerFailure => "handler-failure",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static byte[] Utf8(string text) =>
        Encoding.UTF8.GetBytes(text.Length <= MaxHeaderText ? text : string.Concat(text.AsSpan(0, MaxHeaderText), "…"));
}
