using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Shared.Metrics;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>
/// Processes one assigned partition: takes its records in offset order from a queue fed by the poll loop,
/// hands them to the handler in batches, retries and dead-letters as the failure demands, and stores an offset
/// only once every record up to it has a durable effect.
/// </summary>
internal sealed partial class PartitionWorker<TEvent> : IAsyncDisposable
{
    private readonly EventConsumerOptions _options;
    private readonly IRecordDecoder<TEvent> _decoder;
    private readonly IEventBatchHandler<TEvent> _handler;
    private readonly IDeadLetterPublisher _deadLetters;
    private readonly IFailureClassifier _classifier;
    private readonly RetryBackoff _backoff;
    private readonly WorkerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IPartitionControl<TEvent> _control;
    // The poll loop hands records over in chunks (what one poll burst fetched for this partition): one hand-over, and
    // at most one wake-up of this worker, per chunk rather than per record.
    private readonly Channel<IReadOnlyList<KafkaRecord>> _queue = Channel.CreateUnbounded<IReadOnlyList<KafkaRecord>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    // Drain: no new batch starts and backoff waits end. Abort: the handler call in progress is cancelled.
    private readonly CancellationTokenSource _drain = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _pauseGate = new();

    // Serialises applying the pause state to the consumer, so the last state decided is the one applied (see UpdatePause).
    private readonly Lock _applyGate = new();
    private bool _applied;
    private Task _loop = Task.CompletedTask;
    private int _queued;
    private long _bytesHeld;
    private IReadOnlyList<KafkaRecord>? _leftover;
    private int _leftoverStart;
    private bool _backpressured;
    private bool _retrying;
    private bool _paused;
    private volatile bool _disposed;

    public PartitionWorker(
        TopicPartition topicPartition,
        EventConsumerOptions options,
        IRecordDecoder<TEvent> decoder,
        IEventBatchHandler<TEvent> handler,
        IDeadLetterPublisher deadLetters,
        IFailureClassifier classifier,
        WorkerMetrics metrics,
        ILogger logger,
        IPartitionControl<TEvent> control)
    {
        TopicPartition = topicPartition;
        _options = options;
        _decoder = decoder;
        _handler = handler;
        _deadLetters = deadLetters;
        _classifier = classifier;
        _backoff = new RetryBackoff(options.Retry);
        _metrics = metrics;
        _logger = logger;
        _control = control;
    }

    public TopicPartition TopicPartition { get; }

    public OffsetTracker Tracker { get; } = new();

    /// <summary>Records queued and not yet taken into a batch.</summary>
    public int QueuedCount => Volatile.Read(ref _queued);

    /// <summary>Bytes (keys and values) of the records queued or being handled: fetching pauses at <c>PartitionMaxBytes</c>.</summary>
    public long BytesHeld => Interlocked.Read(ref _bytesHeld);

    public bool IsPaused
    {
        get
        {
            lock (_pauseGate)
            {
                return _paused;
            }
        }
    }

    /// <summary>True once the processing loop has ended (drained, aborted or faulted).</summary>
    public bool IsStopped => _loop.IsCompleted;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Called by the poll loop with the records of one poll burst for this partition, in offset order.</summary>
    public void Enqueue(IReadOnlyList<KafkaRecord> records)
    {
        Tracker.Begin(records);
        if (!_queue.Writer.TryWrite(records))
        {
            // The worker is stopping: the records stay in flight, so their offsets are never committed past.
            return;
        }

        var queued = Interlocked.Add(ref _queued, records.Count);
        var bytes = Interlocked.Add(ref _bytesHeld, SizeOf(records));
        if (queued >= _options.PartitionQueueHighWatermark || bytes >= _options.PartitionMaxBytes)
        {
            UpdatePause();
        }
    }

    /// <summary>
    /// Stops taking new batches, lets the batch in progress finish within <paramref name="drainTimeout"/>, and
    /// aborts it past that. Records not yet handled stay uncommitted and are delivered again to the next owner.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (_disposed)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _drain.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(drainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(drainTimeout);
            await _abort.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Stops at once without finishing anything (the partition was lost).</summary>
    public async Task AbortAsync()
    {
        if (_disposed)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _drain.CancelAsync().ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await AbortAsync().ConfigureAwait(false);
        if (!_disposed)
        {
            _disposed = true;
            _drain.Dispose();
            _abort.Dispose();
        }
    }

    private async Task RunAsync()
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object>
        {
            ["topic"] = TopicPartition.Topic,
            ["partition"] = TopicPartition.Partition.Value,
        });
        try
        {
            while (!_drain.IsCancellationRequested)
            {
                var batch = await ReadBatchAsync().ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }

                await ProcessAsync(batch).ConfigureAwait(false);
                Tracker.Complete(batch);
                Interlocked.Add(ref _bytesHeld, -SizeOf(batch));
                UpdatePause();

                _control.StoreOffset(this, Tracker.Committable);
            }
        }
        catch (Exception) when (_drain.IsCancellationRequested)
        {
            // Stopping: the unfinished batch is abandoned and its offsets stay uncommitted.
        }
        catch (Exception ex)
        {
            // Only a bug in the engine gets here; the partition stops and is redelivered after a restart.
            LogWorkerFaulted(ex);
            throw;
        }
    }

    private async Task<List<KafkaRecord>> ReadBatchAsync()
    {
        var batch = new List<KafkaRecord>(Math.Min(_options.MaxBatchSize, 1024));
        var reader = _queue.Reader;
        if (_leftover is null && !await reader.WaitToReadAsync(_drain.Token).ConfigureAwait(false))
        {
            return batch;
        }

        Fill(reader, batch);
        if (batch.Count < _options.MaxBatchSize && _options.MaxBatchWait > TimeSpan.Zero)
        {
            using var window = CancellationTokenSource.CreateLinkedTokenSource(_drain.Token);
            window.CancelAfter(_options.MaxBatchWait);
            try
            {
                while (batch.Count < _options.MaxBatchSize && await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                {
                    Fill(reader, batch);
                }
            }
            catch (OperationCanceledException) when (!_drain.IsCancellationRequested)
            {
                // The batch window closed: handle what we have.
            }
        }

        Interlocked.Add(ref _queued, -batch.Count);
        UpdatePause();
        return batch;
    }

    /// <summary>The bytes a record holds in memory, as counted against <c>PartitionMaxBytes</c>.</summary>
    internal static long SizeOf(KafkaRecord record) => (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0);

    private static long SizeOf(IReadOnlyList<KafkaRecord> records)
    {
        long total = 0;
        for (var i = 0; i < records.Count; i++)
        {
            total += SizeOf(records[i]);
        }

        return total;
    }

    /// <summary>
    /// Takes queued records into <paramref name="batch"/> up to the batch size, and up to half of <c>PartitionMaxBytes</c>
    /// (at least one record): a batch of large records stays within the byte bound too. A chunk that does not fit is split.
    /// </summary>
    private void Fill(ChannelReader<IReadOnlyList<KafkaRecord>> reader, List<KafkaRecord> batch)
    {
        var batchBytes = SizeOf(batch);
        while (batch.Count < _options.MaxBatchSize && (batch.Count == 0 || batchBytes < _options.PartitionMaxBytes / 2))
        {
            if (_leftover is null)
            {
                if (!reader.TryRead(out var chunk))
                {
                    return;
                }

                _leftover = chunk;
                _leftoverStart = 0;
            }

            var take = Math.Min(_options.MaxBatchSize - batch.Count, _leftover.Count - _leftoverStart);
            var taken = 0;
            while (taken < take && (batch.Count == 0 || batchBytes < _options.PartitionMaxBytes / 2))
            {
                var record = _leftover[_leftoverStart + taken];
                batch.Add(record);
                batchBytes += SizeOf(record);
                taken++;
            }

            _leftoverStart += taken;
            if (_leftoverStart == _leftover.Count)
            {
                _leftover = null;
            }
        }
    }

    private async Task ProcessAsync(List<KafkaRecord> records)
    {
        var events = new List<ConsumedEvent<TEvent>>(records.Count);
        var deadLetters = new List<DeadLetter>();
        foreach (var record in records)
        {
            var decoded = Decode(record);
            if (decoded.IsSuccess)
            {
                events.Add(new ConsumedEvent<TEvent>(record, decoded.Event!));
            }
            else
            {
                deadLetters.Add(new DeadLetter(record, DeadLetterKind.Malformed, decoded.Error!, null));
            }
        }

        if (events.Count > 0)
        {
            deadLetters.AddRange(await HandleWithRetryAsync(events, _options.UnknownFailureMaxAttempts).ConfigureAwait(false));
        }

        // Dead-letter in offset order so the .dlq topic mirrors the source partition's order.
        foreach (var deadLetter in deadLetters.OrderBy(d => d.Record.Offset))
        {
            await DeadLetterAsync(deadLetter).ConfigureAwait(false);
        }
    }

    private DecodeResult<TEvent> Decode(KafkaRecord record)
    {
        try
        {
            return _decoder.Decode(record);
        }
        catch (Exception ex)
        {
            // A decoder must not throw, but if one does the record is still malformed input, not a crash.
            return DecodeResult.Failure<TEvent>($"decoder threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<List<DeadLetter>> HandleWithRetryAsync(List<ConsumedEvent<TEvent>> events, int unknownMaxAttempts)
    {
        var transientAttempts = 0;
        var unknownAttempts = 0;
        while (true)
        {
            var batch = new EventBatch<TEvent>(TopicPartition, events);
            Exception failure;
            try
            {
                await InvokeHandlerAsync(batch).ConfigureAwait(false);
                _metrics.Handled(TopicPartition.Topic, events.Count - batch.Rejected.Count);
                if (transientAttempts + unknownAttempts > 0)
                {
                    LogRecovered(events[0].Record.Offset, transientAttempts + unknownAttempts);
                    UpdatePause(retrying: false);
                }

                return [.. batch.Rejected.Select(r => new DeadLetter(r.Event.Record, DeadLetterKind.Rejected, r.Reason, null))];
            }
            catch (Exception ex) when (!_abort.IsCancellationRequested)
            {
                failure = ex;
            }

            var kind = _classifier.Classify(failure);
            _metrics.Failed(TopicPartition.Topic, events.Count, kind.ToString().ToLowerInvariant());
            if (kind == FailureKind.Transient || (kind == FailureKind.Unknown && ++unknownAttempts < unknownMaxAttempts))
            {
                var attempt = kind == FailureKind.Transient ? transientAttempts++ : unknownAttempts - 1;
                var delay = _backoff.DelayFor(attempt);
                LogRetrying(failure, kind, events[0].Record.Offset, events[^1].Record.Offset, attempt + 1, delay);
                UpdatePause(retrying: true);
                await Task.Delay(delay, _drain.Token).ConfigureAwait(false);
                continue;
            }

            UpdatePause(retrying: false);
            if (events.Count == 1)
            {
                return [new DeadLetter(events[0].Record, DeadLetterKind.HandlerFailure, Describe(failure), failure)];
            }

            // A permanent failure of a batch says nothing about which event is bad: split it and retry each half,
            // so healthy events get their effect and only the poison ones are dead-lettered. The failure already
            // survived its retries, so the halves are not retried again for it (transient failures still are).
            LogIsolating(failure, events.Count);
            var middle = events.Count / 2;
            var left = await HandleWithRetryAsync(events.Take(middle).ToList(), 1).ConfigureAwait(false);
            var right = await HandleWithRetryAsync(events.Skip(middle).ToList(), 1).ConfigureAwait(false);
            return [.. left, .. right];
        }
    }

    private async Task InvokeHandlerAsync(EventBatch<TEvent> batch)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        timeout.CancelAfter(_options.HandlerTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // WaitAsync bounds a handler that ignores its token: the call is then left to finish on its own
            // (its writes are idempotent) and the batch is retried.
            await _handler.HandleAsync(batch, timeout.Token)
                .WaitAsync(_options.HandlerTimeout + TimeSpan.FromSeconds(1), _abort.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_abort.IsCancellationRequested)
        {
            throw new TimeoutException($"The handler did not finish within {_options.HandlerTimeout}.");
        }
        finally
        {
            _metrics.HandlerCompleted(TopicPartition.Topic, batch.Count, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task DeadLetterAsync(DeadLetter deadLetter)
    {
        var eventId = _decoder.EventIdOf(deadLetter.Record);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _deadLetters.PublishAsync(deadLetter.Record, deadLetter.Kind, deadLetter.Reason, deadLetter.Exception, _abort.Token)
                    .ConfigureAwait(false);
                _metrics.DeadLettered(TopicPartition.Topic, deadLetter.Kind.ToString().ToLowerInvariant());
                LogDeadLettered(deadLetter.Record.Offset, eventId, deadLetter.Kind, deadLetter.Reason);
                return;
            }
            catch (Exception ex) when (!_abort.IsCancellationRequested)
            {
                // The record must reach the DLQ before its offset may be committed: keep trying, paused.
                var delay = _backoff.DelayFor(attempt);
                LogDeadLetterRetry(ex, deadLetter.Record.Offset, delay);
                UpdatePause(retrying: true);
                await Task.Delay(delay, _drain.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Decides the pause from the current counters (and <paramref name="retrying"/> when given), then applies it.
    /// </summary>
    /// <remarks>
    /// Backpressure is decided from the counters under the lock, never from a value a caller read earlier: the poll
    /// thread adding records and this worker taking them race, and a decision made on a stale count paused a partition
    /// whose queue was already empty, for good. Pauses at the high watermark or <c>PartitionMaxBytes</c>; resumes at the
    /// low watermark and half the bytes. Applying is serialised and always applies the latest decision, so two threads
    /// cannot leave the consumer in the state the earlier one decided.
    /// </remarks>
    private void UpdatePause(bool? retrying = null)
    {
        lock (_pauseGate)
        {
            _retrying = retrying ?? _retrying;
            var queued = Volatile.Read(ref _queued);
            var bytes = Interlocked.Read(ref _bytesHeld);
            if (queued >= _options.PartitionQueueHighWatermark || bytes >= _options.PartitionMaxBytes)
            {
                _backpressured = true;
            }
            else if (queued <= _options.PartitionQueueLowWatermark && bytes <= _options.PartitionMaxBytes / 2)
            {
                _backpressured = false;
            }

            _paused = _backpressured || _retrying;
        }

        lock (_applyGate)
        {
            bool target;
            lock (_pauseGate)
            {
                target = _paused;
            }

            if (target == _applied)
            {
                return;
            }

            _applied = target;
            _control.SetPaused(this, target);
        }
    }

    private static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler failed ({FailureKind}) on offsets {FirstOffset}-{LastOffset}; retry {Attempt} in {Delay}; partition paused")]
    private partial void LogRetrying(Exception exception, FailureKind failureKind, long firstOffset, long lastOffset, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handler recovered at offset {FirstOffset} after {Attempts} failed attempts; partition resumed")]
    private partial void LogRecovered(long firstOffset, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Permanent failure on a batch of {Count}: splitting it to isolate the failing events")]
    private partial void LogIsolating(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered offset {Offset} (eventId {EnvelopeEventId}) as {DeadLetterKind}: {Reason}")]
    private partial void LogDeadLettered(long offset, string? envelopeEventId, DeadLetterKind deadLetterKind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not dead-letter offset {Offset}; retrying in {Delay}")]
    private partial void LogDeadLetterRetry(Exception exception, long offset, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "In-flight batch did not finish within {DrainTimeout}; abandoned uncommitted")]
    private partial void LogDrainTimedOut(TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Partition worker stopped on an unexpected error")]
    private partial void LogWorkerFaulted(Exception exception);

    private sealed record DeadLetter(KafkaRecord Record, DeadLetterKind Kind, string Reason, Exception? Exception);
}
