using System.Text;
using Confluent.Kafka;

namespace QuikApp.Workers.Testing.Kafka;

/// <summary>Plain Confluent clients for arranging and asserting Kafka state in tests.</summary>
public static class KafkaTestClient
{
    /// <summary>Produces every record (acks=all, idempotent) and waits until all are acknowledged.</summary>
    public static async Task ProduceAsync(string bootstrapServers, string topic, IEnumerable<(string? Key, string Value)> records,
        CancellationToken cancellationToken = default)
    {
        using var producer = CreateProducer(bootstrapServers);
        var deliveries = records
            .Select(r => producer.ProduceAsync(topic, new Message<byte[], byte[]>
            {
                Key = r.Key is null ? null! : Encoding.UTF8.GetBytes(r.Key),
                Value = Encoding.UTF8.GetBytes(r.Value),
            }, cancellationToken))
            .ToList();
        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    /// <summary>An upstream-like producer; <paramref name="messageMaxBytes"/> lets a test produce records larger than librdkafka's default limit.</summary>
    public static IProducer<byte[], byte[]> CreateProducer(string bootstrapServers, int? messageMaxBytes = null) =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 2,
            MessageTimeoutMs = 120_000,
            MessageMaxBytes = messageMaxBytes,
        }).Build();

    /// <summary>Reads every record of <paramref name="topic"/> from the beginning, without a group, until <paramref name="expected"/> arrived or the time is up.</summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadAll(string bootstrapServers, string topic, int partitions, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is not null)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }

    /// <summary>The group's committed offsets for every partition of <paramref name="topic"/> (<see cref="Offset.Unset"/> where none).</summary>
    public static Dictionary<int, long> Committed(string bootstrapServers, string groupId, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
        var committed = consumer.Committed(
            Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(20));
        return committed.ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>The high watermark (one past the last offset) of every partition.</summary>
    public static Dictionary<int, long> EndOffsets(string bootstrapServers, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"watermarks-{Guid.NewGuid():N}",
        }).Build();
        return Enumerable.Range(0, partitions).ToDictionary(
            p => p,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(20)).High.Value);
    }
}
