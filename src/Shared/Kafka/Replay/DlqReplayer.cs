using System.Globalization;
using System.Text;
using Confluent.Kafka;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Producing;

namespace QuikApp.Workers.Shared.Kafka.Replay;

/// <summary>
/// Re-publishes the records of <c>&lt;topic&gt;.dlq</c> to <c>&lt;topic&gt;</c>: key and value byte-for-byte, the original
/// headers without the <c>dlq-*</c> ones plus <c>replayed-from-dlq</c>, into the partition they were consumed from,
/// through the process's idempotent producer (acks=all).
/// </summary>
/// <remarks>
/// <para>The dead-letter topic is read with <c>assign</c> (the reader never joins a group) from a start offset up to the
/// end each partition had when the run started, so records dead-lettered meanwhile wait for the next run.</para>
/// <para>Progress: unless <c>--from-offset</c> is given, a run starts at the position committed under
/// <see cref="DlqReplayRequest.ProgressGroup"/> and commits the new one at the end. The position only ever passes
/// records that were replayed (a record skipped by <c>--reason</c>, or not delivered, stops it), so "every record
/// before the committed offset went back (or names another source topic, so it never can)" always holds, and a second
/// run does not replay them again.</para>
/// </remarks>
public sealed class DlqReplayer(KafkaOptions options, string bootstrapServers, string clientId, RecordProducer producer)
{
    private const int MaxPending = 1_000;
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long the reader may see nothing before it gives up on reaching the snapshot's end.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public async Task<DlqReplayReport> RunAsync(DlqReplayRequest request, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var dlqPartitions = producer.PartitionCount(request.DeadLetterTopic, MetadataTimeout);
        if (dlqPartitions == 0)
        {
            return new DlqReplayReport(request, [], $"topic {request.DeadLetterTopic} does not exist");
        }

        var sourcePartitions = producer.PartitionCount(request.SourceTopic, MetadataTimeout);
        if (sourcePartitions == 0)
        {
            return new DlqReplayReport(request, [], $"topic {request.SourceTopic} does not exist");
        }

        if (request.Partition is { } only && only >= dlqPartitions)
        {
            return new DlqReplayReport(request, [], $"{request.DeadLetterTopic} has no partition {only} (it has {dlqPartitions})");
        }

        using var consumer = new ConsumerBuilder<byte[], byte[]>(ReaderConfig(request)).Build();
        var states = Plan(consumer, request, dlqPartitions);
        string? error = null;
        try
        {
            var pending = states.Values.Where(s => s.Start < s.End).ToList();
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"replay-dlq {request.DeadLetterTopic} -> {request.SourceTopic}{(request.DryRun ? " (dry run)" : "")}: " +
                $"{pending.Sum(s => s.End - s.Start)} record(s) to read in {pending.Count} partition(s)")).ConfigureAwait(false);
            if (pending.Count > 0)
            {
                consumer.Assign(pending.Select(s => new TopicPartitionOffset(request.DeadLetterTopic, s.Partition, s.Start)));
                error = await ReadAndReplayAsync(consumer, request, states, sourcePartitions, log, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever happened, what was acknowledged stays acknowledged: settle every produce before deciding positions.
            error = await SettleAsync(states.Values, request.DryRun, error).ConfigureAwait(false) ?? error;
        }

        if (!request.DryRun && request.TracksProgress)
        {
            var advanced = states.Values.Where(s => s.Position > s.Start).ToList();
            if (advanced.Count > 0)
            {
                try
                {
                    consumer.Commit(advanced.Select(s => new TopicPartitionOffset(request.DeadLetterTopic, s.Partition, s.Position)));
                    advanced.ForEach(s => s.Committed = true);
                }
                catch (KafkaException ex)
                {
                    error ??= $"the replayed records were published, but committing the position under {request.ProgressGroup} failed " +
                        $"({ex.Error.Reason}): the next run would replay them again";
                }
            }
        }

        consumer.Close();
        var partitions = states.Values.OrderBy(s => s.Partition)
            .Select(s => new DlqPartitionReport(s.Partition, s.Start, s.End, s.Replayed, s.ReasonMismatch, s.ForeignSource, s.Position, s.Committed, s.References))
            .ToList();
        return new DlqReplayReport(request, partitions, error);
    }

    private ConsumerConfig ReaderConfig(DlqReplayRequest request)
    {
        var config = KafkaClientConfigs.Consumer(options, bootstrapServers, request.ProgressGroup, clientId);
        config.EnableAutoCommit = false;
        config.EnablePartitionEof = true;
        config.StatisticsIntervalMs = 0;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        // The reader assigns partitions and never joins: a plain offset commit needs no group protocol of its own.
        config.GroupProtocol = GroupProtocol.Classic;
        return config;
    }

    /// <summary>Per partition: where to start (the progress position, or --from-offset) and where the snapshot ends.</summary>
    private static SortedDictionary<int, PartitionState> Plan(IConsumer<byte[], byte[]> consumer, DlqReplayRequest request, int partitionCount)
    {
        var partitions = request.Partition is { } only ? [only] : Enumerable.Range(0, partitionCount).ToArray();
        var topicPartitions = partitions.Select(p => new TopicPartition(request.DeadLetterTopic, p)).ToList();
        var committed = request.TracksProgress
            ? consumer.Committed(topicPartitions, MetadataTimeout).ToDictionary(c => c.Partition.Value, c => c.Offset.Value)
            : [];
        var states = new SortedDictionary<int, PartitionState>();
        foreach (var tp in topicPartitions)
        {
            var watermarks = consumer.QueryWatermarkOffsets(tp, MetadataTimeout);
            var low = watermarks.Low.Value;
            var high = watermarks.High.Value;
            var committedBefore = committed.TryGetValue(tp.Partition.Value, out var c) && c >= 0 ? c : -1;
            // Records below the low watermark are gone (retention): a position or --from-offset before it starts there.
            var start = Math.Max(low, request.FromOffset ?? Math.Max(committedBefore, 0));
            var end = request.ToOffset is { } to ? Math.Min(high, to + 1) : high;
            states[tp.Partition.Value] = new PartitionState(tp.Partition.Value, start, Math.Max(start, end), committedBefore);
        }

        return states;
    }

    private async Task<string?> ReadAndReplayAsync(IConsumer<byte[], byte[]> consumer, DlqReplayRequest request,
        SortedDictionary<int, PartitionState> states, int sourcePartitions, TextWriter log, CancellationToken cancellationToken)
    {
        var lastProgress = DateTime.UtcNow;
        while (states.Values.Any(s => !s.Done))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                if (DateTime.UtcNow - lastProgress > IdleTimeout)
                {
                    var stuck = string.Join(", ", states.Values.Where(s => !s.Done).Select(s => $"{s.Partition} at {consumer.Position(new TopicPartition(request.DeadLetterTopic, s.Partition)).Value}"));
                    return $"no records arrived for {IdleTimeout.TotalSeconds:0} s before the end of partition(s) {stuck}";
                }

                continue;
            }

            lastProgress = DateTime.UtcNow;
            var state = states[result.Partition.Value];
            if (result.IsPartitionEOF || result.Offset.Value >= state.End)
            {
                Finish(consumer, result.TopicPartition, state);
                continue;
            }

            var record = KafkaRecord.From(result);
            var decision = DlqRecordSelection.Decide(record.Headers, request);
            await log.WriteLineAsync(Describe(record, decision, request.DryRun)).ConfigureAwait(false);
            if (decision != DlqRecordDecision.Replay || request.DryRun)
            {
                state.Entries.Enqueue(new Entry(record.Offset, decision, null));
            }
            else
            {
                var headers = new Headers();
                foreach (var (key, value) in DlqRecordSelection.ReplayHeaders(record.Headers, record.Partition, record.Offset))
                {
                    headers.Add(key, value);
                }

                var target = DlqRecordSelection.SourcePartition(record.Headers, sourcePartitions) is { } partition
                    ? new TopicPartition(request.SourceTopic, partition)
                    : new TopicPartition(request.SourceTopic, Confluent.Kafka.Partition.Any);
                // Not cancellable on purpose: once handed to the producer a record may be delivered; the run must learn whether it was.
                state.Entries.Enqueue(new Entry(record.Offset, decision, producer.ProduceAsync(target, record.Key, record.Value, headers, CancellationToken.None)));
            }

            if (record.Offset >= state.End - 1)
            {
                Finish(consumer, result.TopicPartition, state);
            }

            if (states.Values.Sum(s => s.Entries.Count) >= MaxPending
                && await SettleAsync(states.Values, request.DryRun, null).ConfigureAwait(false) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    private static void Finish(IConsumer<byte[], byte[]> consumer, TopicPartition partition, PartitionState state)
    {
        if (!state.Done)
        {
            state.Done = true;
            consumer.Pause([partition]);
        }
    }

    /// <summary>
    /// Awaits the produces in offset order and moves each partition's position over the records that went back, up to the
    /// first one that did not. Returns the first delivery failure, if any.
    /// </summary>
    private static async Task<string?> SettleAsync(IEnumerable<PartitionState> states, bool dryRun, string? earlierError)
    {
        string? failure = null;
        foreach (var state in states)
        {
            while (state.Entries.TryDequeue(out var entry))
            {
                var replayed = entry.Decision == DlqRecordDecision.Replay;
                if (entry.Delivery is not null)
                {
                    try
                    {
                        await entry.Delivery.ConfigureAwait(false);
                    }
                    catch (ProduceException<byte[], byte[]> ex)
                    {
                        failure ??= $"publishing {state.Partition}@{entry.Offset} to the source topic failed: {ex.Error.Reason}";
                        replayed = false;
                    }
                }

                switch (entry.Decision)
                {
                    case DlqRecordDecision.Replay when replayed:
                        state.Replayed++;
                        break;
                    case DlqRecordDecision.ReasonMismatch:
                        state.ReasonMismatch++;
                        break;
                    case DlqRecordDecision.ForeignSource:
                        state.ForeignSource++;
                        break;
                    case DlqRecordDecision.Reference:
                        state.References++;
                        break;
                }

                // The position passes records that are back in the source topic, and records that can never go there (they
                // name another source, or are references to records too large to copy); it stops at a record left behind
                // (--reason) or not delivered. A dry run publishes nothing.
                var passed = entry.Decision is DlqRecordDecision.ForeignSource or DlqRecordDecision.Reference || (replayed && entry.Delivery is not null);
                if (passed && !state.Stopped && !dryRun)
                {
                    state.Position = entry.Offset + 1;
                }
                else
                {
                    state.Stopped = true;
                }
            }

            // A partition read to its end with nothing left behind: gaps (transaction markers) up to the end count as passed.
            if (state.Done && !state.Stopped && earlierError is null && failure is null && state.Entries.Count == 0)
            {
                state.Position = Math.Max(state.Position, state.End);
            }
        }

        return failure;
    }

    private static string Describe(KafkaRecord record, DlqRecordDecision decision, bool dryRun)
    {
        var what = decision switch
        {
            DlqRecordDecision.Replay => dryRun ? "would replay" : "replay",
            DlqRecordDecision.ReasonMismatch => "skip (reason)",
            DlqRecordDecision.Reference => "skip (reference to a record too large to copy)",
            _ => $"skip (source {DlqRecordSelection.LastText(record.Headers, EventHeaders.DlqSourceTopic) ?? "missing"})",
        };
        var reason = DlqRecordSelection.LastText(record.Headers, EventHeaders.DlqReason) ?? "";
        if (reason.Length > 160)
        {
            reason = string.Concat(reason.AsSpan(0, 160), "…");
        }

        // Keys are channel and file ids; values are message content and are never printed.
        return string.Create(CultureInfo.InvariantCulture,
            $"  {what} {record.Partition}@{record.Offset} key={Printable(record.Key)} from {DlqRecordSelection.LastText(record.Headers, EventHeaders.DlqSourcePartition) ?? "?"}@{DlqRecordSelection.LastText(record.Headers, EventHeaders.DlqSourceOffset) ?? "?"} reason=\"{reason}\"");
    }

    private static string Printable(byte[]? key)
    {
        if (key is null)
        {
            return "(null)";
        }

        var text = Encoding.UTF8.GetString(key);
        return text.Length <= 64 && text.All(c => c is >= ' ' and <= '~') ? text : Convert.ToHexString(key.AsSpan(0, Math.Min(key.Length, 32))).ToLowerInvariant();
    }

    private sealed record Entry(long Offset, DlqRecordDecision Decision, Task<DeliveryResult<byte[], byte[]>>? Delivery);

    private sealed class PartitionState(int partition, long start, long end, long committedBefore)
    {
        public int Partition { get; } = partition;

        public long Start { get; } = start;

        public long End { get; } = end;

        public long CommittedBefore { get; } = committedBefore;

        public long Position { get; set; } = start;

        public bool Done { get; set; } = start >= end;

        public bool Stopped { get; set; }

        public bool Committed { get; set; }

        public int Replayed { get; set; }

        public int ReasonMismatch { get; set; }

        public int ForeignSource { get; set; }

        public int References { get; set; }

        public Queue<Entry> Entries { get; } = new();
    }
}
