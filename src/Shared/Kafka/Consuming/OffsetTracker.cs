using Confluent.Kafka;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>
/// Tracks which offsets of one partition are in flight, so that the offset stored for commit never passes
/// an event whose effect is not yet durable, whatever order completions arrive in.
/// </summary>
/// <remarks>
/// The committable offset is the lowest offset still in flight (Kafka commits "the next offset to read"),
/// or one past the highest completed offset when nothing is in flight. Offsets need not be contiguous
/// (compaction and transaction markers leave gaps), which is why this is a set and not a counter.
/// Thread-safe: the poll loop begins offsets while the partition's worker completes them.
/// </remarks>
public sealed class OffsetTracker
{
    private readonly SortedSet<long> _inFlight = [];
    private readonly Lock _gate = new();
    private long _highestCompleted = Offset.Unset.Value;

    /// <summary>Number of offsets begun and not yet completed.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>Records that <paramref name="offset"/> has been handed to the worker.</summary>
    public void Begin(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_gate)
        {
            _inFlight.Add(offset);
        }
    }

    /// <summary>Records that the effect of <paramref name="offset"/> is durable.</summary>
    /// <returns>False when the offset was not in flight (already completed, or never begun).</returns>
    public bool Complete(long offset)
    {
        lock (_gate)
        {
            if (!_inFlight.Remove(offset))
            {
                return false;
            }

            if (offset > _highestCompleted)
            {
                _highestCompleted = offset;
            }

            return true;
        }
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
                return new Offset(_inFlight.Count > 0 ? _inFlight.Min : _highestCompleted + 1);
            }
        }
    }
}
