using Confluent.Kafka;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Observation;

/// <summary>
/// How many records of the consumed topics the workers' groups have not committed yet. A worker commits an offset only
/// once the effects of its event and of all before it are durable (docs/architecture.md), so zero lag after the last
/// record was produced means every effect is in place: the run's end, in one process or many. Reads offsets only; it
/// never joins the groups.
/// </summary>
internal sealed class ConsumerLag : IDisposable
{
    private readonly List<(string Group, IConsumer<byte[], byte[]> Consumer, List<TopicPartition> Partitions)> _groups;

    public ConsumerLag(string bootstrapServers, KafkaClientLog? log = null) =>
        _groups = [.. Groups.Select(g => (g.Group, new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = g.Group,
                EnableAutoCommit = false,
            }).SetLogHandler((client, message) => log?.Write(client, message)).Build(),
            g.Topics.SelectMany(t => Enumerable.Range(0, EventTopics.Find(t)!.Partitions).Select(p => new TopicPartition(t, p))).ToList()))];

    public const string ModerationGroup = $"quikapp-{FleetWorkers.Moderation}";
    public const string FilesGroup = $"quikapp-{FleetWorkers.Files}";

    /// <summary>Each worker's consumer group and the topics it consumes.</summary>
    public static IReadOnlyList<(string Group, string[] Topics)> Groups { get; } =
    [
        (ModerationGroup, [EventTopics.MessageSent, EventTopics.MessageEdited, EventTopics.MessageDeleted]),
        (FilesGroup, [EventTopics.FileUploaded, EventTopics.FileDeleted]),
    ];

    /// <summary>Per group: records on its topics not yet committed, and how many are.</summary>
    public IReadOnlyDictionary<string, (long Lag, long Committed)> Measure()
    {
        var measured = new Dictionary<string, (long Lag, long Committed)>(StringComparer.Ordinal);
        foreach (var (group, consumer, partitions) in _groups)
        {
            long lag = 0, committed = 0;
            var offsets = consumer.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(o => o.TopicPartition, o => o.Offset.Value);
            foreach (var partition in partitions)
            {
                var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
                var done = Math.Max(0, offsets.GetValueOrDefault(partition, 0));
                committed += Math.Min(done, end);
                lag += Math.Max(0, end - done);
            }

            measured[group] = (lag, committed);
        }

        return measured;
    }

    public void Dispose()
    {
        foreach (var (_, consumer, _) in _groups)
        {
            consumer.Dispose();
        }
    }
}
