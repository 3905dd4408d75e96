using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Producing;

namespace QuikApp.Workers.Shared.Tests.Kafka.Producing;

public sealed class DeadLetterRecordTests
{
    private static readonly DateTimeOffset FailedAt = new(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);

    private static KafkaRecord Record(byte[] value, byte[]? key = null, params (string Name, byte[] Value)[] headers) =>
        new("quikapp.message.sent", 3, 42, key ?? "channel-1"u8.ToArray(), value,
            headers.Select(h => new KeyValuePair<string, byte[]>(h.Name, h.Value)).ToArray(), FailedAt);

    private static string Header(Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));

    [Fact]
    public void Copy_AnyRecord_KeepsKeyValueAndHeadersByteForByteAndAddsTheContractHeaders()
    {
        var record = Record("{\"a\":1}"u8.ToArray(), headers: (EventHeaders.EventType, "message.sent"u8.ToArray()));

        var copy = DeadLetterRecord.Copy(record, "malformed: data: expected an object", null, FailedAt);

        Assert.False(copy.IsReference);
        Assert.Equal(record.Value, copy.Value);
        Assert.Equal(record.Key, copy.Key);
        Assert.Equal("message.sent", Header(copy.Headers, EventHeaders.EventType));
        Assert.Equal("malformed: data: expected an object", Header(copy.Headers, EventHeaders.DlqReason));
        Assert.Equal("42", Header(copy.Headers, EventHeaders.DlqSourceOffset));
        Assert.Equal("2026-12-08T10:00:00.000Z", Header(copy.Headers, EventHeaders.DlqFailedAt));
    }

    [Fact]
    public void EstimatedSize_CopyOfARecord_CountsKeyValueHeadersAndFraming()
    {
        var value = new byte[999_800];
        var copy = DeadLetterRecord.Copy(Record(value), "rejected: too long", null, FailedAt);

        // Over librdkafka's default message.max.bytes (1,000,000) once the dlq-* headers are added.
        Assert.InRange(copy.EstimatedSize, 1_000_001, 1_002_000);
    }

    [Fact]
    public void Reference_HugeRecord_IsSmallAndSaysWhereTheOriginalIs()
    {
        var value = Encoding.UTF8.GetBytes(new string('x', 5_000_000));
        var hugeHeader = new byte[500_000];
        var record = Record(value, key: new byte[2_000],
            (EventHeaders.EventType, "message.sent"u8.ToArray()), ("x-junk", hugeHeader), (EventHeaders.CorrelationId, "req-1"u8.ToArray()));

        var reference = DeadLetterRecord.Reference(record, "malformed: value: larger than 1048576 bytes", null, FailedAt, "the copy exceeds message.max.bytes");

        Assert.True(reference.IsReference);
        Assert.True(reference.EstimatedSize < 8_192, $"reference of {reference.EstimatedSize} bytes");
        Assert.Null(reference.Key); // a 2,000-byte key is not kept
        Assert.Equal("message.sent", Header(reference.Headers, EventHeaders.EventType));
        Assert.Equal("req-1", Header(reference.Headers, EventHeaders.CorrelationId));
        Assert.False(reference.Headers.TryGetLastBytes("x-junk", out _));
        Assert.Equal("the copy exceeds message.max.bytes", Header(reference.Headers, EventHeaders.DlqReference));
        Assert.Equal("quikapp.message.sent", Header(reference.Headers, EventHeaders.DlqSourceTopic));
        using var json = JsonDocument.Parse(reference.Value);
        var body = json.RootElement.GetProperty("dlqReference");
        Assert.Equal("quikapp.message.sent", body.GetProperty("sourceTopic").GetString());
        Assert.Equal(3, body.GetProperty("sourcePartition").GetInt32());
        Assert.Equal(42, body.GetProperty("sourceOffset").GetInt64());
        Assert.Equal(5_000_000, body.GetProperty("valueBytes").GetInt32());
        Assert.Equal(2_000, body.GetProperty("keyBytes").GetInt32());
        Assert.Equal(DeadLetterRecord.ReferencePrefixBytes, body.GetProperty("valuePrefix").GetBytesFromBase64().Length);
    }

    [Fact]
    public void Reference_InvalidUtf8Value_KeepsItsPrefixExactlyAsBase64()
    {
        byte[] value = [0xff, 0xfe, 0x00, 0xc3];
        var reference = DeadLetterRecord.Reference(Record(value), "malformed: value is not UTF-8", null, FailedAt, "test");

        using var json = JsonDocument.Parse(reference.Value);
        Assert.Equal(value, json.RootElement.GetProperty("dlqReference").GetProperty("valuePrefix").GetBytesFromBase64());
    }
}
