using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka.Embedded;

namespace QuikApp.Workers.Shared.Kafka;

/// <summary>
/// Where this process's Kafka clients connect. With <c>Kafka:BootstrapServers=embedded</c> it starts an in-process
/// <see cref="EmbeddedKafkaCluster"/> and creates the contract's topics (and their <c>.dlq</c> topics) with their
/// production partition counts; otherwise it is the configured bootstrap list.
/// </summary>
public sealed partial class KafkaConnection : IDisposable
{
    private readonly EmbeddedKafkaCluster? _embedded;

    public KafkaConnection(IOptions<KafkaOptions> options, WorkerIdentity identity, ILogger<KafkaConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        Options = options.Value;
        GroupId = string.IsNullOrWhiteSpace(Options.GroupId) ? identity.DefaultGroupId : Options.GroupId;
        ClientId = string.IsNullOrWhiteSpace(Options.ClientId) ? identity.ClientId : Options.ClientId;
        if (!Options.IsEmbedded)
        {
            BootstrapServers = Options.BootstrapServers;
            return;
        }

        // The mock holds a rejoining member for session.timeout.ms - 1 s after a group empties (docs/embedded-kafka.md):
        // keep restarts on the embedded cluster quick.
        Options.SessionTimeoutMs = Math.Min(Options.SessionTimeoutMs, 6_000);
        _embedded = EmbeddedKafkaCluster.Start(Options.EmbeddedBrokers);
        CreateContractTopics(_embedded);
        BootstrapServers = _embedded.BootstrapServers;
        LogEmbeddedStarted(logger, _embedded.BrokerCount, BootstrapServers, EventTopics.All.Count * 2);
    }

    public KafkaOptions Options { get; }

    /// <summary>The resolved bootstrap list (the embedded cluster's, when embedded).</summary>
    public string BootstrapServers { get; }

    public string GroupId { get; }

    public string ClientId { get; }

    /// <summary>The embedded cluster when this process runs one (tests inject faults through it).</summary>
    public EmbeddedKafkaCluster? Embedded => _embedded;

    /// <summary>Creates every contract topic and its dead-letter topic on an embedded cluster.</summary>
    public static void CreateContractTopics(EmbeddedKafkaCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var replication = Math.Min(3, cluster.BrokerCount);
        foreach (var topic in EventTopics.All)
        {
            cluster.CreateTopic(topic.Name, topic.Partitions, replication);
            cluster.CreateTopic(EventTopics.DeadLetterTopic(topic.Name), topic.Partitions, replication);
        }
    }

    public void Dispose() => _embedded?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka started: {Brokers} broker(s) at {BootstrapServers}, {Topics} topics created")]
    private static partial void LogEmbeddedStarted(ILogger logger, int brokers, string bootstrapServers, int topics);
}
