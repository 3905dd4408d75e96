using Confluent.Kafka;

namespace QuikApp.Workers.Shared.Kafka;

/// <summary>Builds librdkafka client configurations from <see cref="KafkaOptions"/>: one place for security and defaults.</summary>
public static class KafkaClientConfigs
{
    /// <summary>
    /// A consumer that never stores offsets on its own (<c>enable.auto.offset.store=false</c>): the engine stores an
    /// offset only once every event up to it has a durable effect, and librdkafka commits the stored offsets in the
    /// background, on revoke and on close.
    /// </summary>
    public static ConsumerConfig Consumer(KafkaOptions options, string bootstrapServers, string groupId, string clientId)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ConsumerConfig(Common(options, bootstrapServers, clientId))
        {
            GroupId = groupId,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = options.AutoCommitIntervalMs,
            AutoOffsetReset = string.Equals(options.AutoOffsetReset, "latest", StringComparison.OrdinalIgnoreCase)
                ? AutoOffsetReset.Latest
                : AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
            SessionTimeoutMs = options.SessionTimeoutMs,
            MaxPollIntervalMs = options.MaxPollIntervalMs,
            StatisticsIntervalMs = 5_000,
            // librdkafka's prefetch bound (queued.max.messages.kbytes) stays at its default: lowering it to 16 MB cut
            // the consume rate on the embedded cluster from ~600k to ~50-90k events/s (docs/benchmarks.md).
        };

        if (string.Equals(options.GroupProtocol, "consumer", StringComparison.OrdinalIgnoreCase))
        {
            // KIP-848: the broker computes incremental assignments; client-side assignors do not apply.
            config.GroupProtocol = GroupProtocol.Consumer;
        }
        else
        {
            // Cooperative rebalancing: partitions that stay with this consumer keep working (and stay paused) through a rebalance.
            config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        }

        ApplyProperties(config, options);
        return config;
    }

    /// <summary>An idempotent producer with acks=all: no duplicates from its own retries, nothing acknowledged before every in-sync replica has it.</summary>
    public static ProducerConfig Producer(KafkaOptions options, string bootstrapServers, string clientId)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ProducerConfig(Common(options, bootstrapServers, clientId))
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            MaxInFlight = 5,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            // Give a broker outage time to heal before a delivery is reported failed (the engine retries after that).
            MessageTimeoutMs = 120_000,
            // As large as the broker's default limit; a dead letter that cannot fit goes as a reference (KafkaDeadLetterPublisher).
            MessageMaxBytes = options.MaxMessageBytes,
        };
        ApplyProperties(config, options);
        return config;
    }

    private static ClientConfig Common(KafkaOptions options, string bootstrapServers, string clientId)
    {
        var config = new ClientConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = clientId,
            SecurityProtocol = Enum.Parse<SecurityProtocol>(options.SecurityProtocol, ignoreCase: true),
            SocketKeepaliveEnable = true,
        };

        if (!string.IsNullOrWhiteSpace(options.SaslMechanism))
        {
            config.SaslMechanism = Enum.Parse<SaslMechanism>(options.SaslMechanism, ignoreCase: true);
            config.SaslUsername = options.SaslUsername;
            config.SaslPassword = options.SaslPassword;
        }

        if (!string.IsNullOrWhiteSpace(options.SslCaLocation))
        {
            config.SslCaLocation = options.SslCaLocation;
        }

        return config;
    }

    private static void ApplyProperties(ClientConfig config, KafkaOptions options)
    {
        foreach (var (key, value) in options.Properties)
        {
            config.Set(key, value);
        }
    }
}
