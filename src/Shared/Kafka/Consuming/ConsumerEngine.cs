using System.Collections.Concurrent;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Shared.Metrics;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>What the engine reports about itself (readiness, diagnostics).</summary>
public sealed record ConsumerEngineStatus(
    string Name,
    bool Running,
    bool Faulted,
    bool GroupJoined,
    bool BrokersReachable,
    int AssignedPartitions,
    int PausedPartitions,
    string? LastError);

/// <summary>
/// The Kafka consumer engine: one consumer in a group, a poll loop that feeds one <see cref="PartitionWorker{TEvent}"/>
/// per assigned partition (partitions in parallel, each in offset order), and the rebalance and shutdown rules
/// that keep delivery at-least-once: commit only what is complete, never commit what is no longer owned.
/// </summary>
public sealed partial class ConsumerEngine<TEvent> : IAsyncDisposable, IPartitionControl<TEvent>
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Most records one poll burst takes before handing them over (bounds the burst's latency and memory).</summary>
    private const int MaxBurst = 2_000;

    private readonly string _name;
    private readonly IReadOnlyCollection<string> _topics;
    private readonly ConsumerConfig _config;
    private readonly EventConsumerOptions _options;
    private readonly IRecordDecoder<TEvent> _decoder;
    private readonly IEventBatchHandler<TEvent> _handler;
    private readonly IDeadLetterPublisher _deadLetters;
    private readonly IFailureClassifier _classifier;
    private readonly WorkerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<TopicPartition, PartitionWorker<TEvent>> _workers = new();

    // Serialises every consumer call that depends on ownership (store, pause, resume) with the rebalance callbacks.
    private readonly Lock _ownership = new();
    private readonly CancellationTokenSource _stopPolling = new();
    private IConsumer<byte[], byte[]>? _consumer;
    private Thread? _pollThread;
    private IDisposable? _gaugeRegistration;
    private volatile bool _running;
    private volatile bool _faulted;
    private volatile bool _groupJoined;
    private volatile bool _brokersDown;
    private volatile string? _lastError;
    private int _stopped;
    private volatile bool _stopRequested;
    private volatile bool _unsubscribeRequested;
    private int _disposed;

    public ConsumerEngine(
        string name,
        IReadOnlyCollection<string> topics,
        ConsumerConfig config,
        EventConsumerOptions options,
        IRecordDecoder<TEvent> decoder,
        IEventBatchHandler<TEvent> handler,
        IDeadLetterPublisher deadLetters,
        IFailureClassifier classifier,
        WorkerMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (topics.Count == 0)
        {
            throw new ArgumentException("At least one topic is required.", nameof(topics));
        }

        _name = name;
        _topics = topics;
        _config = config;
        _options = options;
        _decoder = decoder;
        _handler = handler;
        _deadLetters = deadLetters;
        _classifier = classifier;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<ConsumerEngine<TEvent>>();
        _loggerFactory = loggerFactory;
    }

    /// <summary>Raised (on a pool thread) when the consumer hits a fatal error and cannot go on.</summary>
    public event EventHandler<string>? Faulted;

    /// <summary>
    /// Diagnostics for tests: every offset stored or committed, with whether librdkafka itself counted the partition
    /// as assigned at that moment. Only consulted when someone listens (reading the assignment has a cost).
    /// </summary>
    internal event Action<TopicPartitionOffset, bool>? OffsetStored;

    public ConsumerEngineStatus Status => new(
        _name,
        _running,
        _faulted,
        _groupJoined,
        !_brokersDown,
        _workers.Count,
        _workers.Values.Count(w => w.IsPaused),
        _lastError);

    /// <summary>The partitions this engine owns right now.</summary>
    public IReadOnlyCollection<TopicPartition> Assignment => [.. _workers.Keys];

    /// <summary>Builds the consumer, subscribes and starts the poll loop on a dedicated thread.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_consumer is not null)
        {
            throw new InvalidOperationException("The engine is already started.");
        }

        _consumer = new ConsumerBuilder<byte[], byte[]>(_config)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
            .SetErrorHandler((_, error) => OnError(error))
            .SetStatisticsHandler((_, json) => OnStatistics(json))
            .SetLogHandler((_, message) => OnLog(message))
            .Build();
        _consumer.Subscribe(_topics);
        _gaugeRegistration = _metrics.RegisterPartitions(ReadGauges);
        _running = true;
        // Consume() blocks, so the loop owns a thread rather than borrowing one from the pool.
        _pollThread = new Thread(PollLoop) { IsBackground = true, Name = $"kafka-poll-{_name}" };
        _pollThread.Start();
        LogStarted(_name, string.Join(',', _topics), _config.GroupId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Graceful shutdown: stop fetching, let in-flight batches finish (bounded by
    /// <see cref="EventConsumerOptions.ShutdownDrainTimeout"/>), commit what is complete, leave the group.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_consumer is null || Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        // The poll loop keeps running until the group is left: it must serve rebalance callbacks (closing in the middle
        // of a cooperative rebalance that nobody serves can hang, librdkafka #4527). It pauses everything instead.
        _stopRequested = true;

        var workers = _workers.Values.ToList();
        await Task.WhenAll(workers.Select(w => w.StopAsync(_options.ShutdownDrainTimeout))).ConfigureAwait(false);

        List<TopicPartitionOffset> offsets;
        lock (_ownership)
        {
            offsets = CommittableOffsets(_workers.Values);
        }

        CommitSafely(offsets, "shutdown");

        // Leave the group through the poll loop (the revoke callback commits again what is complete), then close.
        _unsubscribeRequested = true;
        var deadline = DateTime.UtcNow + _options.RevokeDrainTimeout + TimeSpan.FromSeconds(5);
        while (!_workers.IsEmpty && _pollThread is { IsAlive: true } && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }

        await _stopPolling.CancelAsync().ConfigureAwait(false);
        await Task.Run(() => _pollThread?.Join(), CancellationToken.None).ConfigureAwait(false);
        lock (_ownership)
        {
            _workers.Clear();
        }

        await Task.Run(() =>
        {
            try
            {
                _consumer.Close();
            }
            catch (KafkaException ex)
            {
                LogCloseFailed(ex);
            }
        }, CancellationToken.None).ConfigureAwait(false);

        foreach (var worker in workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }

        _running = false;
        LogStopped(_name, offsets.Count);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _gaugeRegistration?.Dispose();
        _consumer?.Dispose();
        _stopPolling.Dispose();
    }

    void IPartitionControl<TEvent>.StoreOffset(PartitionWorker<TEvent> worker, Offset offset)
    {
        if (offset == Offset.Unset)
        {
            return;
        }

        lock (_ownership)
        {
            if (!IsCurrent(worker))
            {
                return;
            }

            try
            {
                var stored = new TopicPartitionOffset(worker.TopicPartition, offset);
                _consumer!.StoreOffset(stored);
                OffsetStored?.Invoke(stored, _consumer.Assignment.Contains(worker.TopicPartition));
            }
            catch (KafkaException ex)
            {
                // _STATE: librdkafka no longer considers the partition assigned; the next owner re-reads it.
                LogStoreFailed(ex, worker.TopicPartition.Topic, worker.TopicPartition.Partition.Value, offset.Value);
            }
        }
    }

    void IPartitionControl<TEvent>.SetPaused(PartitionWorker<TEvent> worker, bool paused)
    {
        lock (_ownership)
        {
            if (!IsCurrent(worker))
            {
                return;
            }

            try
            {
                if (paused)
                {
                    _consumer!.Pause([worker.TopicPartition]);
                }
                else
                {
                    _consumer!.Resume([worker.TopicPartition]);
                }
            }
            catch (KafkaException ex)
            {
                LogPauseFailed(ex, worker.TopicPartition.Topic, worker.TopicPartition.Partition.Value, paused);
            }
        }
    }

    private bool IsCurrent(PartitionWorker<TEvent> worker) =>
        _consumer is not null && _workers.TryGetValue(worker.TopicPartition, out var current) && ReferenceEquals(current, worker);

    private void PollLoop()
    {
        var consumer = _consumer!;
        var pausedForStop = false;
        var unsubscribed = false;
        while (!_stopPolling.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                if (_stopRequested && !pausedForStop)
                {
                    // Stop fetching: nothing new is handed to the workers while they drain.
                    lock (_ownership)
                    {
                        consumer.Pause(consumer.Assignment);
                    }

                    pausedForStop = true;
                }

                if (_unsubscribeRequested && !unsubscribed)
                {
                    consumer.Unsubscribe();
                    unsubscribed = true;
                }

                result = consumer.Consume(PollTimeout);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                _lastError = ex.Error.Reason;
                LogConsumeError(ex, ex.Error.Code);
                continue;
            }
            catch (KafkaException ex) when (ex.Error.IsFatal)
            {
                Fail(ex.Error);
                return;
            }
            catch (KafkaException ex)
            {
                _lastError = ex.Error.Reason;
                LogConsumeError(ex, ex.Error.Code);
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (result?.Message is null || _stopRequested)
            {
                // While stopping, a record fetched before the pause is dropped unhandled (and stays uncommitted).
                continue;
            }

            _brokersDown = false;
            DispatchBurst(consumer, result);
        }
    }

    /// <summary>
    /// Takes <paramref name="first"/> and whatever else is already fetched (without waiting), groups it by partition and
    /// hands each partition's records to its worker in one piece: per-record hand-overs would cost more than the work.
    /// A burst ends early when a partition's queue would pass its high watermark or its byte bound, so backpressure stays exact.
    /// </summary>
    private void DispatchBurst(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> first)
    {
        var burst = new Dictionary<TopicPartition, (PartitionWorker<TEvent>? Worker, List<KafkaRecord> Records)>();
        var burstBytes = new Dictionary<TopicPartition, long>();
        var result = first;
        for (var taken = 1; ; taken++)
        {
            var partition = result.TopicPartition;
            if (!burst.TryGetValue(partition, out var entry))
            {
                entry = (_workers.GetValueOrDefault(partition), []);
                burst[partition] = entry;
            }

            var record = KafkaRecord.From(result);
            entry.Records.Add(record);
            var bytes = burstBytes[partition] = burstBytes.GetValueOrDefault(partition) + PartitionWorker<TEvent>.SizeOf(record);
            var full = entry.Worker is { } owner
                && (owner.QueuedCount + entry.Records.Count >= _options.PartitionQueueHighWatermark || owner.BytesHeld + bytes >= _options.PartitionMaxBytes);
            if (full || taken >= MaxBurst)
            {
                break;
            }

            try
            {
                result = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                LogConsumeError(ex, ex.Error.Code);
                break;
            }

            if (result?.Message is null)
            {
                break;
            }
        }

        foreach (var (partition, (worker, records)) in burst)
        {
            if (worker is null)
            {
                // Cannot happen while the assignment callbacks keep _workers in step; never process unowned records.
                LogUnownedRecord(partition.Topic, partition.Partition.Value, records[0].Offset);
                continue;
            }

            _metrics.Consumed(partition.Topic, records.Count);
            worker.Enqueue(records);
        }
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        _groupJoined = true;
        _brokersDown = false;
        lock (_ownership)
        {
            foreach (var partition in partitions)
            {
                var worker = new PartitionWorker<TEvent>(partition, _options, _decoder, _handler, _deadLetters, _classifier, _metrics, _loggerFactory.CreateLogger<PartitionWorker<TEvent>>(), this);
                _workers[partition] = worker;
                worker.Start();
            }
        }

        if (partitions.Count > 0)
        {
            LogAssigned(partitions.Count, Describe(partitions), _workers.Count);
        }

        ReapplyPauses();
    }

    private void OnRevoked(List<TopicPartitionOffset> revoked)
    {
        var workers = Take(revoked.Select(p => p.TopicPartition));
        // Runs inside Consume(): the partitions are still ours until this returns, so their finished work can be committed.
        Task.WhenAll(workers.Select(w => w.StopAsync(_options.RevokeDrainTimeout))).GetAwaiter().GetResult();
        var offsets = CommittableOffsets(workers);
        CommitSafely(offsets, "revoke");
        DisposeAll(workers);
        LogRevoked(revoked.Count, Describe(revoked.Select(p => p.TopicPartition)), offsets.Count, _workers.Count);
        ReapplyPauses();
    }

    private void OnLost(List<TopicPartitionOffset> lost)
    {
        // Lost (session timed out, fenced): another consumer may own these already. Stop at once; commit nothing.
        var workers = Take(lost.Select(p => p.TopicPartition));
        Task.WhenAll(workers.Select(w => w.AbortAsync())).GetAwaiter().GetResult();
        DisposeAll(workers);
        LogLost(lost.Count, Describe(lost.Select(p => p.TopicPartition)));
    }

    private List<PartitionWorker<TEvent>> Take(IEnumerable<TopicPartition> partitions)
    {
        var taken = new List<PartitionWorker<TEvent>>();
        lock (_ownership)
        {
            foreach (var partition in partitions)
            {
                if (_workers.TryRemove(partition, out var worker))
                {
                    taken.Add(worker);
                }
            }
        }

        return taken;
    }

    private static void DisposeAll(List<PartitionWorker<TEvent>> workers)
    {
        foreach (var worker in workers)
        {
            worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// After any assignment change, pause again every partition whose worker wants it paused: a rebalance must not
    /// quietly resume a partition that is waiting out a failing dependency or a full queue.
    /// </summary>
    private void ReapplyPauses()
    {
        lock (_ownership)
        {
            var paused = _workers.Values.Where(w => w.IsPaused).Select(w => w.TopicPartition).ToList();
            if (paused.Count == 0)
            {
                return;
            }

            try
            {
                _consumer!.Pause(paused);
            }
            catch (KafkaException ex)
            {
                LogPauseFailed(ex, "*", -1, true);
            }
        }
    }

    private static List<TopicPartitionOffset> CommittableOffsets(IEnumerable<PartitionWorker<TEvent>> workers) =>
        [.. workers
            .Select(w => new TopicPartitionOffset(w.TopicPartition, w.Tracker.Committable))
            .Where(o => o.Offset != Offset.Unset)];

    private void CommitSafely(List<TopicPartitionOffset> offsets, string when)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            if (OffsetStored is { } listener)
            {
                var assignment = _consumer!.Assignment;
                offsets.ForEach(o => listener(o, assignment.Contains(o.TopicPartition)));
            }

            _consumer!.Commit(offsets);
        }
        catch (KafkaException ex)
        {
            // Not fatal for delivery: uncommitted work is redelivered and its writes are idempotent.
            LogCommitFailed(ex, when, ex.Error.Code);
        }
    }

    private void OnError(Error error)
    {
        _lastError = error.Reason;
        if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            _brokersDown = true;
        }

        if (error.IsFatal)
        {
            Fail(error);
            return;
        }

        LogKafkaError(error.Code, error.Reason);
    }

    private void Fail(Error error)
    {
        _faulted = true;
        _running = false;
        _lastError = error.Reason;
        LogFatal(error.Code, error.Reason);
        ThreadPool.QueueUserWorkItem(_ => Faulted?.Invoke(this, error.Reason));
    }

    private void OnStatistics(string json)
    {
        // librdkafka's statistics say whether any broker connection is up; use it so readiness recovers while idle.
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("brokers", out var brokers))
            {
                return;
            }

            var anyUp = brokers.EnumerateObject().Any(b =>
                b.Value.TryGetProperty("nodeid", out var id) && id.GetInt32() >= 0 &&
                b.Value.TryGetProperty("state", out var state) && state.GetString() == "UP");
            _brokersDown = !anyUp;
        }
        catch (JsonException)
        {
            // Statistics are diagnostics only.
        }
    }

    private void OnLog(LogMessage message)
        => LogLibrdkafka(LibrdkafkaLogLevels.Of(message.Level), message.Facility, message.Message);

    private IEnumerable<PartitionGauge> ReadGauges()
    {
        var consumer = _consumer;
        if (consumer is null || !_running)
        {
            yield break;
        }

        foreach (var worker in _workers.Values)
        {
            long lag = 0;
            try
            {
                var high = consumer.GetWatermarkOffsets(worker.TopicPartition).High;
                var next = worker.Tracker.Committable;
                if (next == Offset.Unset)
                {
                    next = consumer.Position(worker.TopicPartition);
                }

                if (high != Offset.Unset && next != Offset.Unset)
                {
                    lag = Math.Max(0, high.Value - next.Value);
                }
            }
            catch (KafkaException)
            {
                // Partition moving away between the snapshot and the read.
            }

            yield return new PartitionGauge(worker.TopicPartition.Topic, worker.TopicPartition.Partition.Value, lag,
                worker.Tracker.InFlightCount, worker.IsPaused);
        }
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(',', partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {Engine} started on {Topics} as group {GroupId}")]
    private partial void LogStarted(string engine, string topics, string groupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer {Engine} stopped; committed {Partitions} partitions")]
    private partial void LogStopped(string engine, int partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {Count} partitions ({Partitions}); owning {Owned}")]
    private partial void LogAssigned(int count, string partitions, int owned);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked {Count} partitions ({Partitions}); committed {Committed}; owning {Owned}")]
    private partial void LogRevoked(int count, string partitions, int committed, int owned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost {Count} partitions ({Partitions}); their in-flight work was abandoned uncommitted")]
    private partial void LogLost(int count, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit on {When} failed ({ErrorCode}); the work is redelivered")]
    private partial void LogCommitFailed(Exception exception, string when, ErrorCode errorCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Offset store for {Topic}[{Partition}]@{Offset} refused")]
    private partial void LogStoreFailed(Exception exception, string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pause={Paused} for {Topic}[{Partition}] failed")]
    private partial void LogPauseFailed(Exception exception, string topic, int partition, bool paused);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume error {ErrorCode}")]
    private partial void LogConsumeError(Exception exception, ErrorCode errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Record from unowned partition {Topic}[{Partition}]@{Offset} ignored")]
    private partial void LogUnownedRecord(string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka error {ErrorCode}: {Reason}")]
    private partial void LogKafkaError(ErrorCode errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal Kafka error {ErrorCode}: {Reason}; the consumer stops")]
    private partial void LogFatal(ErrorCode errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the consumer failed")]
    private partial void LogCloseFailed(Exception exception);

    [LoggerMessage(Message = "librdkafka {Facility}: {Message}")]
    private partial void LogLibrdkafka(LogLevel level, string facility, string message);
}
