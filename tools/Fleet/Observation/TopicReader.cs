using System.Globalization;
using System.Text;
using Confluent.Kafka;
using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Observation;

/// <summary>Reads whole topics of the run's cluster (no group, from the beginning to the current end): dead letters and derived events.</summary>
internal sealed class TopicReader(string bootstrapServers, KafkaClientLog? log = null)
{
    /// <summary>Dead-letter topics of every consumed topic.</summary>
    public static IReadOnlyList<string> DeadLetterTopics { get; } =
        [.. EventTopics.All.Where(t => t.Role == TopicRole.Consumed).Select(t => EventTopics.DeadLetterTopic(t.Name))];

    /// <summary>The topics the workers publish to.</summary>
    public static IReadOnlyList<string> DerivedTopics { get; } = [.. EventTopics.All.Where(t => t.Role == TopicRole.Produced).Select(t => t.Name)];

    /// <summary>How many records the topics hold now (sum of high watermarks: nothing is deleted from them during a run).</summary>
    public long Count(IEnumerable<string> topics)
    {
        using var consumer = CreateConsumer();
        return topics.SelectMany(Partitions).Sum(p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
    }

    public IReadOnlyList<DeadLetter> ReadDeadLetters(CancellationToken cancellationToken) =>
        [.. ReadAll(DeadLetterTopics, cancellationToken).Select(record => new DeadLetter(
            Header(record, EventHeaders.DlqSourceTopic) ?? "?",
            int.Parse(Header(record, EventHeaders.DlqSourcePartition) ?? "-1", CultureInfo.InvariantCulture),
            long.Parse(Header(record, EventHeaders.DlqSourceOffset) ?? "-1", CultureInfo.InvariantCulture),
            Header(record, EventHeaders.DlqReason) ?? "(no reason)"))];

    public IReadOnlyList<DerivedEvent> ReadDerived(CancellationToken cancellationToken) =>
        [.. ReadAll(DerivedTopics, cancellationToken).Select(record =>
        {
            var parsed = EventEnvelopeParser.Parse(record.Topic, record.Message.Value);
            if (!parsed.IsSuccess)
            {
                return new DerivedEvent(record.Topic, Guid.Empty, $"unreadable: {parsed.FailureReason}");
            }

            var subject = parsed.Envelope!.Data switch
            {
                ModerationFlagged flagged => flagged.MessageId.ToString(),
                FileScanned scanned => scanned.FileId.ToString(),
                FileProcessed processed => processed.FileId.ToString(),
                _ => "?",
            };
            return new DerivedEvent(record.Topic, parsed.Envelope.EventId, subject);
        })];

    /// <summary>Every record of the topics up to their high watermarks as of the call.</summary>
    public List<ConsumeResult<byte[], byte[]>> ReadAll(IEnumerable<string> topics, CancellationToken cancellationToken)
    {
        using var consumer = CreateConsumer();
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var partition in topics.SelectMany(Partitions))
        {
            var watermarks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            if (watermarks.High.Value > watermarks.Low.Value)
            {
                ends[partition] = watermarks.High.Value;
            }
        }

        var records = new List<ConsumeResult<byte[], byte[]>>();
        if (ends.Count == 0)
        {
            return records;
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var remaining = new HashSet<TopicPartition>(ends.Keys);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (remaining.Count > 0 && DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record?.Message is null)
            {
                continue;
            }

            records.Add(record);
            if (record.Offset.Value + 1 >= ends[record.TopicPartition])
            {
                remaining.Remove(record.TopicPartition);
            }
        }

        consumer.Close();
        return records;
    }

    private static IEnumerable<TopicPartition> Partitions(string topic)
    {
        var spec = EventTopics.Find(topic.EndsWith(EventTopics.DeadLetterSuffix, StringComparison.Ordinal) ? topic[..^EventTopics.DeadLetterSuffix.Length] : topic)
            ?? throw new ArgumentException($"{topic} is not a contract topic", nameof(topic));
        return Enumerable.Range(0, spec.Partitions).Select(p => new TopicPartition(topic, p));
    }

    private IConsumer<byte[], byte[]> CreateConsumer() => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = bootstrapServers,
        GroupId = $"fleet-reader-{Guid.NewGuid():N}",
        EnableAutoCommit = false,
        EnablePartitionEof = false,
    }).SetLogHandler((client, message) => log?.Write(client, message)).Build();

    private static string? Header(ConsumeResult<byte[], byte[]> record, string name) =>
        record.Message.Headers?.TryGetLastBytes(name, out var value) == true ? Encoding.UTF8.GetString(value) : null;
}
