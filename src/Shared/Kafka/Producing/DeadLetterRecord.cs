using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Kafka.Producing;

/// <summary>
/// What goes to <c>&lt;topic&gt;.dlq</c> for one record: the record byte-for-byte with the contract's <c>dlq-*</c> headers,
/// or — when that copy cannot fit the producer's <c>message.max.bytes</c> — a small reference to it.
/// </summary>
/// <remarks>
/// Dead-lettering must always make progress: a partition waits for its dead letter before committing past it, so a
/// dead letter that can never be produced would stall the partition forever. A reference carries the source topic,
/// partition and offset (the original stays there until retention), the sizes, the reason and a bounded prefix of the
/// value, base64; its headers say it is one (<see cref="EventHeaders.DlqReference"/>), and replay skips it.
/// </remarks>
public sealed record DeadLetterRecord(byte[]? Key, byte[] Value, Headers Headers, bool IsReference)
{
    /// <summary>How much of the original value a reference keeps.</summary>
    public const int ReferencePrefixBytes = 1024;

    /// <summary>Original keys up to this size are kept on a reference (it keeps the record in its key's DLQ partition).</summary>
    public const int ReferenceMaxKeyBytes = 1024;

    /// <summary>Per-record framing librdkafka counts against <c>message.max.bytes</c> besides key, value and headers, with margin.</summary>
    public const int RecordOverheadBytes = 512;

    private const int MaxHeaderText = 2_000;

    /// <summary>The copy's size as librdkafka measures it against <c>message.max.bytes</c> (key, value, headers, framing).</summary>
    public int EstimatedSize => EstimateSize(Key, Value, Headers);

    /// <summary>The record byte-for-byte with the contract's dlq-* headers added.</summary>
    public static DeadLetterRecord Copy(KafkaRecord record, string reason, Exception? exception, DateTimeOffset failedAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        var headers = new Headers();
        foreach (var (key, value) in record.Headers)
        {
            headers.Add(key, value);
        }

        AddDlqHeaders(headers, record, reason, exception, failedAt);
        return new DeadLetterRecord(record.Key, record.Value ?? [], headers, IsReference: false);
    }

    /// <summary>A reference to a record whose copy cannot be produced; <paramref name="why"/> says why (e.g. the size limit).</summary>
    public static DeadLetterRecord Reference(KafkaRecord record, string reason, Exception? exception, DateTimeOffset failedAt, string why)
    {
        ArgumentNullException.ThrowIfNull(record);
        var value = record.Value ?? [];
        var headerBytes = record.Headers.Sum(h => Encoding.UTF8.GetByteCount(h.Key) + (h.Value?.Length ?? 0));
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("dlqReference");
            writer.WriteString("sourceTopic", record.Topic);
            writer.WriteNumber("sourcePartition", record.Partition);
            writer.WriteNumber("sourceOffset", record.Offset);
            writer.WriteNumber("keyBytes", record.Key?.Length ?? 0);
            writer.WriteNumber("valueBytes", value.Length);
            writer.WriteNumber("headerBytes", headerBytes);
            writer.WriteString("reason", Bounded(reason));
            writer.WriteString("why", why);
            writer.WriteBase64String("valuePrefix", value.AsSpan(0, Math.Min(value.Length, ReferencePrefixBytes)));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var headers = new Headers();
        // Only the contract's routing headers survive, and only when small: the rest may be what made the record too big.
        foreach (var (name, headerValue) in record.Headers)
        {
            if (name is EventHeaders.EventType or EventHeaders.CorrelationId && headerValue is { Length: <= 256 })
            {
                headers.Add(name, headerValue);
            }
        }

        AddDlqHeaders(headers, record, reason, exception, failedAt);
        headers.Add(EventHeaders.DlqReference, Utf8(why));
        var key = record.Key is { Length: <= ReferenceMaxKeyBytes } ? record.Key : null;
        return new DeadLetterRecord(key, buffer.ToArray(), headers, IsReference: true);
    }

    /// <summary>Key, value and headers as librdkafka counts them against <c>message.max.bytes</c>, plus framing.</summary>
    public static int EstimateSize(byte[]? key, byte[]? value, Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        long size = RecordOverheadBytes + (key?.Length ?? 0) + (value?.Length ?? 0);
        foreach (var header in headers)
        {
            size += Encoding.UTF8.GetByteCount(header.Key) + (header.GetValueBytes()?.Length ?? 0) + 8;
        }

        return (int)Math.Min(size, int.MaxValue);
    }

    /// <summary>The reason's prefix in the <c>dlq-reason</c> header, e.g. <c>malformed: data.channelId: expected a UUID</c>.</summary>
    public static string Label(DeadLetterKind kind) => kind switch
    {
        DeadLetterKind.Malformed => "malformed",
        DeadLetterKind.Rejected => "rejected",
        DeadLetterKind.HandlerFailure => "handler-failure",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static void AddDlqHeaders(Headers headers, KafkaRecord record, string reason, Exception? exception, DateTimeOffset failedAt)
    {
        headers.Add(EventHeaders.DlqReason, Utf8(reason));
        if (exception is not null)
        {
            headers.Add(EventHeaders.DlqException, Utf8($"{exception.GetType().FullName}: {exception.Message}"));
        }

        headers.Add(EventHeaders.DlqSourceTopic, Utf8(record.Topic));
        headers.Add(EventHeaders.DlqSourcePartition, Utf8(record.Partition.ToString(CultureInfo.InvariantCulture)));
        headers.Add(EventHeaders.DlqSourceOffset, Utf8(record.Offset.ToString(CultureInfo.InvariantCulture)));
        headers.Add(EventHeaders.DlqFailedAt, Utf8(failedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)));
    }

    private static string Bounded(string text) =>
        text.Length <= MaxHeaderText ? text : string.Concat(text.AsSpan(0, MaxHeaderText), "…");

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(Bounded(text));
}
