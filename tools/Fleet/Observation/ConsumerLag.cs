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
    private readonly List<(IConsumer<byte[], byte[]> Consumer, List<TopicPartition> Partitions)> _groups;

    public ConsumerLag(string bootstrapServers) =>
        _groups = [.. Groups.Select(g => (new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = g.Group,
                EnableAutoCommit = false,
            }).Build(),
            g.Topics.SelectMany(t => Enumerable.Range(0, EventTopics.Find(t)!.Partitions).Select(p => new TopicPartition(t, p))).ToList()))];

    /// <summary>Each worker's consumer group and the topics it consumes.</summary>
    public static IReadOnlyList<(string Group, string[] Topics)> Groups { get; } =
    [
        ($"quikapp-{FleetWorkers.Moderation}", [EventTopics.MessageSent, EventTopics.MessageEdited, EventTopics.MessageDeleted]),
        ($"quikapp-{FleetWorkers.Files}", [EventTopics.FileUploaded, EventTopics.FileDeleted]),
    ];

    /// <summary>Records on the consumed topics not yet committed by their group, and how many are.</summary>
    public (long Lag, long Committed) Measure()
    {
        long lag = 0, committed = 0;
        foreach (var (consumer, partitions) in _groups)
        {
            var offsets = consumer.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(o => o.TopicPartition, o => o.Offset.Value);
            foreach (var partition in partitions)
            {
                var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
                var done = Math.Max(0, offsets.GetValueOrDefault(partition, 0));
                committed += Math.Min(done, end);
                lag += Math.Max(0, end - done);
            }
        }

        return (lag, committed);
    }

    public void Dispose()
    {
        foreach (var (consumer, _) in _groups)
        {
            consumer.Dispose();
        }
    }
}
