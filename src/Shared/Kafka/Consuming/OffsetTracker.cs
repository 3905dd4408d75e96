using Confluent.Kafka;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>
/// Tracks which offsets of one partition are in flight, so that the offset stored for commit never passes
/// an event whose effect is not yet durable, whatever order completions arrive in.
/// </summary>
/// <remarks>
/// The committable offset is the lowest offset still in flight (Kafka commits "the next offset to read"),
/// or one past the highest completed offset when nothing is in flight. Offsets need not be contiguous
/// (compaction and transaction markers leave gaps) but are begun in increasing order, as a partition is fetched; that
/// makes the in-flight offsets a queue: begun at the tail, retired from the head once completed, found by binary
/// search — no allocation per record, which matters at hundreds of thousands of records a second.
/// Thread-safe: the poll loop begins offsets while the partition's worker completes them.
/// </remarks>
public sealed class OffsetTracker
{
    private readonly Lock _gate = new();
    private long[] _offsets = new long[1024];
    private bool[] _done = new bool[1024];
    private int _head;
    private int _count;
    private int _completedInQueue;
    private long _highestCompleted = Offset.Unset.Value;
    private long _lastBegun = -1;

    /// <summary>Number of offsets begun and not yet completed.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _count - _completedInQueue;
            }
        }
    }

    /// <summary>Records that <paramref name="offset"/> has been handed to the worker.</summary>
    /// <exception cref="ArgumentException">The offset is not above every offset begun before (fetch order is increasing).</exception>
    public void Begin(long offset)
    {
        lock (_gate)
        {
            BeginLocked(offset);
        }
    }

    /// <summary>Begins every record's offset under one lock (a poll burst hands a partition's records over together).</summary>
    public void Begin(IReadOnlyList<KafkaRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            foreach (var record in records)
            {
                BeginLocked(record.Offset);
            }
        }
    }

    /// <summary>Completes every record's offset under one lock (a handled batch).</summary>
    public void Complete(IReadOnlyList<KafkaRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            foreach (var record in records)
            {
                CompleteLocked(record.Offset);
            }
        }
    }

    private void BeginLocked(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset <= _lastBegun)
        {
            throw new ArgumentException($"offset {offset} was begun after {_lastBegun}: offsets are begun in increasing order", nameof(offset));
        }

        if (_count == _offsets.Length)
        {
            Grow();
        }

        var tail = (_head + _count) % _offsets.Length;
        _offsets[tail] = offset;
        _done[tail] = false;
        _count++;
        _lastBegun = offset;
    }

    /// <summary>Records that the effect of <paramref name="offset"/> is durable.</summary>
    /// <returns>False when the offset was not in flight (already completed, or never begun).</returns>
    public bool Complete(long offset)
    {
        lock (_gate)
        {
            return CompleteLocked(offset);
        }
    }

    private bool CompleteLocked(long offset)
    {
        var index = Find(offset);
        if (index < 0 || _done[index])
        {
            return false;
        }

        _done[index] = true;
        _completedInQueue++;
        if (offset > _highestCompleted)
        {
            _highestCompleted = offset;
        }

        // Retire the completed prefix: the head is always the lowest offset still in flight.
        while (_count > 0 && _done[_head])
        {
            _head = (_head + 1) % _offsets.Length;
            _count--;
            _completedInQueue--;
        }

        return true;
    }

    /// <summary>
    /// The offset to store for commit, or <see cref="Offset.Unset"/> when nothing has completed that
    /// could move the commit forward.
    /// </summary>
    public Offset Committable
    {
        get
        {
            lock (_gate)
            {
                if (_highestCompleted == Offset.Unset.Value)
                {
                    return Offset.Unset;
                }

                // Offsets below the lowest in-flight one were either completed or never fetched (gaps), so the
                // lowest in-flight offset is the first one a restart must read again.
                return new Offset(_count > 0 ? _offsets[_head] : _highestCompleted + 1);
            }
        }
    }

    /// <summary>The queue position of <paramref name="offset"/>, or -1 (binary search over the increasing ring).</summary>
    private int Find(long offset)
    {
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var index = (_head + middle) % _offsets.Length;
            var value = _offsets[index];
            if (value == offset)
            {
                return index;
            }

            if (value < offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    private void Grow()
    {
        var offsets = new long[_offsets.Length * 2];
        var done = new bool[_done.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            offsets[i] = _offsets[(_head + i) % _offsets.Length];
            done[i] = _done[(_head + i) % _done.Length];
        }

        _offsets = offsets;
        _done = done;
        _head = 0;
    }
}
