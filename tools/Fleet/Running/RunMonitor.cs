using Confluent.Kafka;
using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Driving;
using QuikApp.Workers.Fleet.Observation;
using QuikApp.Workers.Fleet.Progress;
using QuikApp.Workers.Fleet.Workload;

namespace QuikApp.Workers.Fleet.Running;

/// <summary>
/// Watches a run: effect counts every poll, the workers' uncommitted records and the dead letters every second, each
/// reading reported to the progress view. The run waits on it for its phases (uploads settled, nothing left to commit).
/// </summary>
internal sealed class RunMonitor(
    GeneratedWorkload workload,
    ExpectedEffects expected,
    ProductionLog production,
    IEffectSource effects,
    ConsumerLag lag,
    TopicReader topics,
    Action<ProgressSnapshot> report)
{
    private long _polls;
    private long _lagReadings;
    private Task? _watching;

    public EffectCounts Counts { get; private set; } = new(0, 0, 0, 0);

    /// <summary>Records on the consumed topics the workers have not committed (unknown until first measured).</summary>
    public long Lag { get; private set; } = long.MaxValue;

    /// <summary>The same, per consumer group (<see cref="ConsumerLag.ModerationGroup"/>, <see cref="ConsumerLag.FilesGroup"/>).</summary>
    public IReadOnlyDictionary<string, long> LagByGroup { get; private set; } = new Dictionary<string, long>();

    public long Committed { get; private set; }

    public long DeadLetters { get; private set; }

    /// <summary>Starts watching until <paramref name="cancellationToken"/> fires; pass the task to <see cref="StopAsync"/>.</summary>
    public Task WatchAsync(TimeSpan poll, CancellationToken cancellationToken) => _watching = WatchLoopAsync(poll, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds on readings taken wholly after the call (a lag read before the
    /// last record was produced could say zero); throws what stopped the watcher if it failed.
    /// </summary>
    public async Task WaitAsync(Func<RunMonitor, bool> condition, CancellationToken cancellationToken)
    {
        var since = Interlocked.Read(ref _lagReadings);
        while (Interlocked.Read(ref _lagReadings) <= since + 1 || !condition(this))
        {
            if (_watching is { IsFaulted: true } failed)
            {
                await failed;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Ends <paramref name="watcher"/> (cancelled by the caller) and reports one last reading.</summary>
    public async Task StopAsync(Task watcher)
    {
        try
        {
            await watcher;
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }

        await RefreshAsync(CancellationToken.None, everything: true);
    }

    private async Task WatchLoopAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await RefreshAsync(cancellationToken);
            await Task.Delay(poll, cancellationToken);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken, bool everything = false)
    {
        Counts = await effects.CountAsync(cancellationToken);
        if (everything || _polls++ % 4 == 0)
        {
            // Blocking Kafka calls: off the caller's thread. While brokers are down (chaos) a reading can fail: the
            // last one stands, and no wait ends on it.
            IReadOnlyDictionary<string, (long Lag, long Committed)> byGroup;
            long deadLetters;
            try
            {
                (byGroup, deadLetters) = await Task.Run(() => (lag.Measure(), topics.Count(TopicReader.DeadLetterTopics)), cancellationToken);
            }
            catch (KafkaException) when (!everything)
            {
                report(Snapshot());
                return;
            }

            LagByGroup = byGroup.ToDictionary(g => g.Key, g => g.Value.Lag);
            (Lag, Committed, DeadLetters) = (byGroup.Values.Sum(g => g.Lag), byGroup.Values.Sum(g => g.Committed), deadLetters);
            Interlocked.Increment(ref _lagReadings);
        }

        report(Snapshot());
    }

    private ProgressSnapshot Snapshot() => new(production.HandedOver, workload.Events.Count, Committed, Counts.MessagesScored, expected.Messages.Count,
        Counts.FilesSettled, expected.Files.Count, DeadLetters, expected.Malformed);
}
