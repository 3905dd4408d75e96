using System.Collections.Concurrent;
using System.Text;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Tests.Kafka.Consuming;

/// <summary>A handler whose "effect" is recording each event; behaviour per batch is injectable.</summary>
internal sealed class RecordingHandler : IEventBatchHandler<string>
{
    private int _concurrent;
    private int _calls;

    public ConcurrentQueue<Effect> Effects { get; } = new();

    /// <summary>Runs before the batch's effects are recorded; throw from it to fail the batch.</summary>
    public Func<EventBatch<string>, int, CancellationToken, Task>? Before { get; set; }

    public int MaxConcurrent { get; private set; }

    public int Calls => Volatile.Read(ref _calls);

    public async Task HandleAsync(EventBatch<string> batch, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        var concurrent = Interlocked.Increment(ref _concurrent);
        lock (this)
        {
            MaxConcurrent = Math.Max(MaxConcurrent, concurrent);
        }

        try
        {
            if (Before is not null)
            {
                await Before(batch, call, cancellationToken);
            }

            foreach (var e in batch.Events)
            {
                Effects.Enqueue(new Effect(e.Record.Partition, e.Record.Offset,
                    e.Record.Key is null ? null : Encoding.UTF8.GetString(e.Record.Key), e.Event));
            }
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
    }

    public HashSet<(int Partition, long Offset)> DistinctOffsets() => [.. Effects.Select(e => (e.Partition, e.Offset))];

    public async Task WaitForDistinctAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DistinctOffsets().Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{DistinctOffsets().Count} of {count} events handled within {timeout}");
            }

            await Task.Delay(50);
        }
    }

    public sealed record Effect(int Partition, long Offset, string? Key, string Value);
}
