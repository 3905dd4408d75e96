using Confluent.Kafka;
using Confluent.Kafka.Admin;
using QuikApp.Workers.Shared.Kafka.Embedded;
using Testcontainers.Kafka;

namespace QuikApp.Workers.Testing.Kafka;

/// <summary>
/// The broker the Kafka tests run against. The embedded lane (default) starts a librdkafka mock cluster in-process;
/// <c>QUIKAPP_TEST_KAFKA=testcontainers</c> runs the same tests against a real broker in Docker
/// (Testcontainers.Kafka), and <c>QUIKAPP_TEST_KAFKA=host:port</c> against any reachable cluster.
/// Fault injection (broker down, request errors) exists only on the embedded lane; tests needing it call
/// <see cref="RequireEmbedded"/> and are skipped with that reason elsewhere.
/// </summary>
public sealed class KafkaTestLane : IAsyncLifetime
{
    private const string LaneVariable = "QUIKAPP_TEST_KAFKA";
    private KafkaContainer? _container;

    public int Brokers { get; init; } = 3;

    public string BootstrapServers { get; private set; } = string.Empty;

    public EmbeddedKafkaCluster? Embedded { get; private set; }

    public string LaneName { get; private set; } = "embedded";

    public async ValueTask InitializeAsync()
    {
        var lane = Environment.GetEnvironmentVariable(LaneVariable);
        if (string.IsNullOrWhiteSpace(lane) || lane.Equals("embedded", StringComparison.OrdinalIgnoreCase))
        {
            Embedded = EmbeddedKafkaCluster.Start(Brokers);
            BootstrapServers = Embedded.BootstrapServers;
            return;
        }

        if (lane.Equals("testcontainers", StringComparison.OrdinalIgnoreCase))
        {
            LaneName = "testcontainers";
            _container = new KafkaBuilder("confluentinc/cp-kafka:7.9.0").Build();
            await _container.StartAsync().ConfigureAwait(false);
            BootstrapServers = _container.GetBootstrapAddress();
            return;
        }

        LaneName = "external";
        BootstrapServers = lane;
    }

    public async ValueTask DisposeAsync()
    {
        Embedded?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The embedded cluster, or a skip naming why this test needs it.</summary>
    public EmbeddedKafkaCluster RequireEmbedded()
    {
        Assert.SkipWhen(Embedded is null, $"fault injection needs the embedded Kafka lane (this run uses the {LaneName} lane)");
        return Embedded!;
    }

    /// <summary>Creates a topic with a unique name (prefix + guid) and returns the name.</summary>
    public async Task<string> CreateTopicAsync(string prefix, int partitions, int replicationFactor = 1)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        await CreateTopicNamedAsync(name, partitions, replicationFactor).ConfigureAwait(false);
        return name;
    }

    public async Task CreateTopicNamedAsync(string name, int partitions, int replicationFactor = 1)
    {
        if (Embedded is not null)
        {
            // The mock cluster does not implement CreateTopics; its own API creates them.
            Embedded.CreateTopic(name, partitions, Math.Min(replicationFactor, Embedded.BrokerCount));
            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }])
            .ConfigureAwait(false);
    }
}
