using Confluent.Kafka;

namespace QuikApp.Workers.Shared.Kafka.Embedded;

/// <summary>An in-process Kafka cluster (librdkafka's mock brokers) that real clients reach over TCP on 127.0.0.1.</summary>
/// <remarks>
/// <para>Create topics with <see cref="CreateTopic"/> before consumers subscribe: the mock does not implement the
/// Admin CreateTopics API.</para>
/// <para>Each partition keeps only about 5 MiB; older records are dropped silently, so size tests accordingly.</para>
/// <para>Data lives in memory and the brokers live only as long as this object and its process; other local
/// processes may connect to <see cref="BootstrapServers"/> meanwhile.</para>
/// <para>Always dispose it. There is deliberately no finalizer: tearing brokers down on the finalizer thread, at an
/// arbitrary moment, would pull them from under clients that are still running.</para>
/// <para>librdkafka marks the mock API experimental, outside its ABI guarantees; it is bound for the pinned 2.16.0.</para>
/// </remarks>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    // Serialises calls against Dispose so no call ever reaches a destroyed cluster.
    private readonly Lock _gate = new();
    private nint _owner;
    private nint _cluster;

    private EmbeddedKafkaCluster(nint owner, nint cluster, int brokers)
    {
        _owner = owner;
        _cluster = cluster;
        BrokerCount = brokers;
        BootstrapServers = LibrdkafkaMockNative.ClusterBootstraps(cluster);
    }

    /// <summary>Comma-separated "127.0.0.1:port" list of the brokers, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1..<see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers on free local ports.</summary>
    public static EmbeddedKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);

        // The mock needs a client handle for its bookkeeping; it must outlive the cluster.
        var owner = LibrdkafkaMockNative.NewOwnerHandle();
        var cluster = LibrdkafkaMockNative.ClusterNew(owner, brokers);
        if (cluster == 0)
        {
            LibrdkafkaMockNative.Destroy(owner);
            throw new EmbeddedKafkaException($"rd_kafka_mock_cluster_new failed for {brokers} broker(s).");
        }

        // Broker defaults are tuned for production: a 3 s delay before every first group join, and 3 s KIP-848
        // heartbeats that make each consumer-protocol rebalance take seconds.
        LibrdkafkaMockNative.GroupInitialRebalanceDelayMs(cluster, 0);
        LibrdkafkaMockNative.GroupConsumerHeartbeatIntervalMs(cluster, 500);
        return new EmbeddedKafkaCluster(owner, cluster, brokers);
    }

    /// <summary>Creates a topic; replicas are spread over the brokers.</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerCount);
        Call($"rd_kafka_mock_topic_create('{name}', {partitions}, {replicationFactor})",
            c => LibrdkafkaMockNative.TopicCreate(c, name, partitions, replicationFactor));
    }

    /// <summary>Disconnects a broker and refuses new connections; partition leadership does not move.</summary>
    public void SetBrokerDown(int brokerId)
    {
        CheckBrokerId(brokerId);
        Call($"rd_kafka_mock_broker_set_down({brokerId})", c => LibrdkafkaMockNative.BrokerSetDown(c, brokerId));
    }

    /// <summary>Lets a broker accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        CheckBrokerId(brokerId);
        Call($"rd_kafka_mock_broker_set_up({brokerId})", c => LibrdkafkaMockNative.BrokerSetUp(c, brokerId));
    }

    /// <summary>Fails the next requests of <paramref name="apiKey"/> on any broker, one per error, in order.</summary>
    /// <remarks><see cref="ErrorCode.Local_Transport"/> makes the broker drop the connection instead.</remarks>
    public void PushRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentOutOfRangeException.ThrowIfZero(errors.Length);
        Call(c => LibrdkafkaMockNative.PushRequestErrors(c, (short)apiKey, errors));
    }

    /// <summary>Drops the injected errors for <paramref name="apiKey"/> that no request has consumed yet.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey) =>
        Call(c => LibrdkafkaMockNative.ClearRequestErrors(c, (short)apiKey));

    /// <summary>Moves a partition's leadership to <paramref name="brokerId"/>, or -1 to leave it leaderless.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        if (brokerId != -1)
        {
            CheckBrokerId(brokerId);
        }

        Call($"rd_kafka_mock_partition_set_leader('{topic}', {partition}, {brokerId})",
            c => LibrdkafkaMockNative.PartitionSetLeader(c, topic, partition, brokerId));
    }

    /// <summary>Makes <paramref name="brokerId"/> the coordinator of a consumer group instead of the hashed one.</summary>
    public void SetGroupCoordinator(string groupId, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        CheckBrokerId(brokerId);
        Call($"rd_kafka_mock_coordinator_set('group', '{groupId}', {brokerId})",
            c => LibrdkafkaMockNative.CoordinatorSet(c, "group", groupId, brokerId));
    }

    /// <summary>Stops the brokers; clients still connected see transport errors. Safe to call more than once.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == 0)
            {
                return;
            }

            // This order matters: destroying the owner handle first aborts the process.
            LibrdkafkaMockNative.ClusterDestroy(_cluster);
            LibrdkafkaMockNative.Destroy(_owner);
            _cluster = 0;
            _owner = 0;
        }
    }

    private void CheckBrokerId(int brokerId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerId, BrokerCount);
    }

    private void Call(string call, Func<nint, ErrorCode> native)
    {
        ErrorCode error;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == 0, this);
            error = native(_cluster);
        }

        if (error != ErrorCode.NoError)
        {
            throw new EmbeddedKafkaException($"{call} failed: {LibrdkafkaMockNative.ErrorToString(error)} ({error}).");
        }
    }

    private void Call(Action<nint> native)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == 0, this);
            native(_cluster);
        }
    }
}
