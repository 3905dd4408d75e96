using System.Diagnostics;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Driving;

/// <summary>
/// When the producer may hand over the next record: at most <c>eventsPerSecond</c> (null: as fast as it can), and never
/// more than <c>maxBacklog</c> sent messages and uploads ahead of the effects observed — the embedded brokers keep only
/// about 5 MiB per partition (docs/embedded-kafka.md), so an unbounded backlog would lose records before they are read.
/// </summary>
internal sealed class ProducerPacing(double? eventsPerSecond, long maxBacklog, Func<CancellationToken, Task<long>> effectsObserved)
{
    private readonly Stopwatch _clock = new();
    private long _handedOver;
    private long _primaries;
    private long _observed;

    public async Task WaitTurnAsync(PlannedEvent next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        _clock.Start();
        if (eventsPerSecond is { } rate)
        {
            var due = TimeSpan.FromSeconds(_handedOver / rate);
            if (due > _clock.Elapsed)
            {
                await Task.Delay(due - _clock.Elapsed, cancellationToken).ConfigureAwait(false);
            }
        }

        _handedOver++;
        if (next.Topic is not (EventTopics.MessageSent or EventTopics.FileUploaded))
        {
            return;
        }

        _primaries++;
        while (_primaries - _observed > maxBacklog)
        {
            _observed = await effectsObserved(cancellationToken).ConfigureAwait(false);
            if (_primaries - _observed > maxBacklog)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
