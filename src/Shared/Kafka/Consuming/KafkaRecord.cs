using Confluent.Kafka;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>A record exactly as it was read from Kafka: key, value and headers are kept byte-for-byte.</summary>
public sealed record KafkaRecord(
    string Topic,
    int Partition,
    long Offset,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]>> Headers,
    DateTimeOffset Timestamp)
{
    public TopicPartition TopicPartition => new(Topic, new Partition(Partition));

    internal static KafkaRecord From(ConsumeResult<byte[], byte[]> result)
    {
        var headers = result.Message.Headers is { Count: > 0 } h
            ? h.Select(x => new KeyValuePair<string, byte[]>(x.Key, x.GetValueBytes())).ToArray()
            : [];
        return new KafkaRecord(
            result.Topic,
            result.Partition.Value,
            result.Offset.Value,
            result.Message.Key,
            result.Message.Value,
            headers,
            result.Message.Timestamp.UtcDateTime);
    }
}

/// <summary>A decoded event together with the record it came from.</summary>
public sealed record ConsumedEvent<TEvent>(KafkaRecord Record, TEvent Event);

/// <summary>The outcome of decoding one record: the event, or the reason it cannot be decoded.</summary>
public readonly record struct DecodeResult<TEvent>(TEvent? Event, string? Error)
{
    public bool IsSuccess => Error is null;
}

/// <summary>Factories for <see cref="DecodeResult{TEvent}"/>.</summary>
public static class DecodeResult
{
    public static DecodeResult<TEvent> Success<TEvent>(TEvent value) => new(value, null);

    public static DecodeResult<TEvent> Failure<TEvent>(string reason) => new(default, reason);
}

/// <summary>Turns raw record bytes into an event. Must never throw: a failure is a permanent, dead-lettered input.</summary>
public interface IRecordDecoder<TEvent>
{
    DecodeResult<TEvent> Decode(KafkaRecord record);

    /// <summary>The record's event id for logs, best effort (also for records that fail to decode).</summary>
    string? EventIdOf(KafkaRecord record) => null;
}

/// <summary>Handles a batch of events from one partition, in offset order.</summary>
/// <remarks>
/// The batch's effect must be durable when the returned task completes: only then are its offsets stored for
/// commit. Writes must be idempotent (the same batch can be delivered again after a crash or rebalance).
/// Throw to fail the whole batch (the engine classifies the exception), or call
/// <see cref="EventBatch{TEvent}.Reject"/> for single events that can never be processed.
/// </remarks>
public interface IEventBatchHandler<TEvent>
{
    Task HandleAsync(EventBatch<TEvent> batch, CancellationToken cancellationToken);
}

/// <summary>A batch of decoded events from one partition, handed to a handler.</summary>
public sealed class EventBatch<TEvent>
{
    private readonly List<(ConsumedEvent<TEvent> Event, string Reason)> _rejected = [];

    public EventBatch(TopicPartition topicPartition, IReadOnlyList<ConsumedEvent<TEvent>> events)
    {
        TopicPartition = topicPartition;
        Events = events;
    }

    public TopicPartition TopicPartition { get; }

    public string Topic => TopicPartition.Topic;

    public IReadOnlyList<ConsumedEvent<TEvent>> Events { get; }

    public int Count => Events.Count;

    /// <summary>Events the handler rejected as permanently unprocessable, with the reason.</summary>
    public IReadOnlyList<(ConsumedEvent<TEvent> Event, string Reason)> Rejected => _rejected;

    /// <summary>
    /// Marks one event as permanently unprocessable: once the handler returns, the engine dead-letters it with
    /// <paramref name="reason"/> and moves on. The rest of the batch must still be handled.
    /// </summary>
    public void Reject(ConsumedEvent<TEvent> consumedEvent, string reason)
    {
        ArgumentNullException.ThrowIfNull(consumedEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_rejected)
        {
            _rejected.Add((consumedEvent, reason));
        }
    }
}
