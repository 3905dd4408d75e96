using System.Collections.Concurrent;
using QuikApp.Workers.Fleet.Conservation;

namespace QuikApp.Workers.Fleet.Driving;

/// <summary>One produced record: where it landed and when it was handed to the producer.</summary>
internal sealed record ProducedRecord(int Sequence, TopicPosition Position, DateTimeOffset ProducedAt);

/// <summary>What the workload producer did: each record's position and time, by sequence and by event id, and any failure.</summary>
internal sealed class ProductionLog
{
    private readonly ConcurrentDictionary<int, ProducedRecord> _bySequence = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _producedAtByEventId = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private long _handedOver;

    /// <summary>Records handed to the producer (acknowledged or not yet).</summary>
    public long HandedOver => Interlocked.Read(ref _handedOver);

    /// <summary>Records the brokers acknowledged.</summary>
    public int Acknowledged => _bySequence.Count;

    public IReadOnlyCollection<string> Failures => _failures;

    public DateTimeOffset? FirstProducedAt { get; private set; }

    public DateTimeOffset? LastProducedAt { get; private set; }

    public void HandingOver(Guid? eventId, DateTimeOffset at)
    {
        Interlocked.Increment(ref _handedOver);
        FirstProducedAt ??= at;
        LastProducedAt = at;
        if (eventId is { } id)
        {
            _producedAtByEventId[id] = at;
        }
    }

    public void Acknowledge(ProducedRecord record) => _bySequence[record.Sequence] = record;

    public void Fail(string failure) => _failures.Enqueue(failure);

    public ProducedRecord? Record(int sequence) => _bySequence.GetValueOrDefault(sequence);

    /// <summary>When the event with this id was handed to the producer: the start of its event-to-result latency.</summary>
    public DateTimeOffset? ProducedAt(Guid eventId) => _producedAtByEventId.TryGetValue(eventId, out var at) ? at : null;
}
