using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using Confluent.Kafka;
using QuikApp.Workers.Shared.Kafka.Embedded;

namespace QuikApp.Workers.Shared.Tests.Kafka.Embedded;

public sealed class EmbeddedKafkaClusterTests
{
    [Fact(Timeout = 60000)]
    public async Task ProduceAndConsume_ThreeBrokersThreePartitions_ReturnsEveryMessageByteIdentical()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        var topic = NewTopicName();
        cluster.CreateTopic(topic, partitions: 3, replicationFactor: 3);
        var sent = Enumerable.Range(0, 600)
            .Select(_ => (Key: RandomNumberGenerator.GetBytes(16), Value: RandomNumberGenerator.GetBytes(512)))
            .ToList();

        using (var producer = NewProducer(cluster))
        {
            var deliveries = await Task.WhenAll(sent.Select(m =>
                producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = m.Key, Value = m.Value }, ct)));
            Assert.All(deliveries, d => Assert.Equal(PersistenceStatus.Persisted, d.Status));
            Assert.Equal(3, deliveries.Select(d => d.Partition.Value).Distinct().Count());
        }

        using var consumer = NewConsumer(ConsumerConfig(cluster, NewGroupId()));
        consumer.Subscribe(topic);
        var received = await ConsumeAsync(consumer, sent.Count, ct);
        consumer.Close();

        Assert.Equal(sent.Count, received.Count);
        var receivedByKey = received.ToDictionary(r => Convert.ToHexString(r.Message.Key), r => r.Message.Value);
        Assert.All(sent, m => Assert.Equal(m.Value, receivedByKey[Convert.ToHexString(m.Key)]));
    }

    [Fact(Timeout = 60000)]
    public async Task Consume_NewConsumerInSameGroup_ResumesFromCommittedOffset()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = EmbeddedKafkaCluster.Start();
        var topic = NewTopicName();
        cluster.CreateTopic(topic, partitions: 1);
        await ProduceNumbersAsync(cluster, topic, count: 20, ct);
        var groupId = NewGroupId();

        using (var first = NewConsumer(ConsumerConfig(cluster, groupId)))
        {
            first.Subscribe(topic);
            var firstHalf = await ConsumeAsync(first, 10, ct);
            first.Commit(firstHalf[^1]);
            first.Close();
        }

        using var second = NewConsumer(ConsumerConfig(cluster, groupId));
        second.Subscribe(topic);
        var secondHalf = await ConsumeAsync(second, 10, ct);
        second.Close();

        Assert.Equal(Enumerable.Range(10, 10), secondHalf.Select(r => BitConverter.ToInt32(r.Message.Value)));
    }

    [Fact(Timeout = 60000)]
    public async Task Produce_WhileOnlyBrokerIsDown_DeliversEveryMessageAfterItComesBack()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = EmbeddedKafkaCluster.Start();
        var topic = NewTopicName();
        cluster.CreateTopic(topic, partitions: 1);
        using var producer = NewProducer(cluster);
        await producer.ProduceAsync(topic, NumberMessage(0), ct);

        cluster.SetBrokerDown(1);
        var pending = Enumerable.Range(1, 10).Select(i => producer.ProduceAsync(topic, NumberMessage(i), ct)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Assert.DoesNotContain(pending, p => p.IsCompleted);

        cluster.SetBrokerUp(1);
        var deliveries = await Task.WhenAll(pending);

        Assert.All(deliveries, d => Assert.Equal(PersistenceStatus.Persisted, d.Status));
        using var consumer = NewConsumer(ConsumerConfig(cluster, NewGroupId()));
        consumer.Subscribe(topic);
        var received = await ConsumeAsync(consumer, 11, ct);
        consumer.Close();
        Assert.Equal(Enumerable.Range(0, 11), received.Select(r => BitConverter.ToInt32(r.Message.Value)));
    }

    [Fact(Timeout = 60000)]
    public async Task Produce_WithInjectedNotEnoughReplicas_RetriesUntilPersisted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = EmbeddedKafkaCluster.Start();
        var topic = NewTopicName();
        cluster.CreateTopic(topic, partitions: 1);
        var logs = new ConcurrentQueue<string>();
        var config = ProducerConfig(cluster);
        config.Debug = "msg"; // logs each failed MessageSet with the broker's error
        using var producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, log) => logs.Enqueue(log.Message))
            .Build();

        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
        var delivery = await producer.ProduceAsync(topic, NumberMessage(42), ct);

        Assert.Equal(PersistenceStatus.Persisted, delivery.Status);
        Assert.Equal(0, delivery.Offset.Value);
        var injected = new Error(ErrorCode.NotEnoughReplicas).Reason;
        Assert.Equal(2, logs.Count(line => line.Contains(injected, StringComparison.Ordinal)));
    }

    [Fact(Timeout = 60000)]
    public async Task Commit_WithInjectedRetriableErrors_RetriesUntilCommitted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = EmbeddedKafkaCluster.Start();
        var topic = NewTopicName();
        cluster.CreateTopic(topic, partitions: 1);
        await ProduceNumbersAsync(cluster, topic, count: 5, ct);
        var logs = new ConcurrentQueue<string>();
        var config = ConsumerConfig(cluster, NewGroupId());
        config.Debug = "broker"; // logs "OffsetCommitRequest failed: <error>" for each retried commit
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, log) => logs.Enqueue(log.Message))
            .Build();
        consumer.Subscribe(topic);
        var received = await ConsumeAsync(consumer, 5, ct);

        ErrorCode[] injected = [ErrorCode.RequestTimedOut, ErrorCode.GroupLoadInProgress];
        cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, injected);
        var surfaced = new List<ErrorCode>();
        while (surfaced.Count <= injected.Length)
        {
            try
            {
                consumer.Commit(received[^1]);
                break;
            }
            catch (KafkaException e)
            {
                surfaced.Add(e is TopicPartitionOffsetException p ? p.Results.Single().Error.Code : e.Error.Code);
            }
        }

        Assert.Equal(injected.Take(surfaced.Count), surfaced);
        Assert.All(injected, error => Assert.Contains(logs, line =>
            line.Contains($"OffsetCommitRequest failed: {new Error(error).Reason}", StringComparison.Ordinal)));
        var committed = consumer.Committed([new TopicPartition(topic, 0)], TimeSpan.FromSeconds(10));
        Assert.Equal(5, committed.Single().Offset.Value);
        consumer.Close();
    }

    [Fact(Timeout = 60000)]
    public async Task Consume_WithConsumerGroupProtocol_ReceivesEveryMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = EmbeddedKafkaCluster.Start();
        var topic = NewTopicName();
        cluster.CreateTopic(topic, partitions: 2);
        await ProduceNumbersAsync(cluster, topic, count: 10, ct);
        var config = ConsumerConfig(cluster, NewGroupId());
        // KIP-848: the broker assigns partitions, so the classic-only client settings must be unset.
        config.GroupProtocol = GroupProtocol.Consumer;
        config.PartitionAssignmentStrategy = null;
        config.SessionTimeoutMs = null;
        using var consumer = NewConsumer(config);
        consumer.Subscribe(topic);

        var received = await ConsumeAsync(consumer, 10, ct);
        consumer.Close();

        Assert.Equal(Enumerable.Range(0, 10), received.Select(r => BitConverter.ToInt32(r.Message.Value)).Order());
    }

    [Fact(Timeout = 60000)]
    public async Task CreateTopic_WhenTopicExists_ThrowsNamingTheCallAndKeepsTheTopic()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = EmbeddedKafkaCluster.Start();
        var topic = NewTopicName();
        cluster.CreateTopic(topic, partitions: 1);
        await ProduceNumbersAsync(cluster, topic, count: 1, ct);

        var error = Assert.Throws<EmbeddedKafkaException>(() => cluster.CreateTopic(topic, partitions: 1));

        Assert.Contains("rd_kafka_mock_topic_create", error.Message, StringComparison.Ordinal);
        Assert.Contains(new Error(ErrorCode.TopicAlreadyExists).Reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await HighWatermarkAsync(cluster, topic, ct));
    }

    [Fact(Timeout = 60000)]
    public async Task Dispose_CalledTwice_StopsTheBrokersOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = EmbeddedKafkaCluster.Start(brokers: 2);
        var broker = cluster.BootstrapServers.Split(',')[0].Split(':');

        cluster.Dispose();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic(NewTopicName(), partitions: 1));
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(async () =>
            await client.ConnectAsync(broker[0], int.Parse(broker[1], CultureInfo.InvariantCulture), ct));
    }

    [Fact(Timeout = 60000)]
    public async Task Start_TwoClustersInOneProcess_ServeIndependently()
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = EmbeddedKafkaCluster.Start();
        using var second = EmbeddedKafkaCluster.Start();
        var topic = NewTopicName();
        first.CreateTopic(topic, partitions: 1);
        second.CreateTopic(topic, partitions: 1);

        await ProduceNumbersAsync(first, topic, count: 3, ct);
        await ProduceNumbersAsync(second, topic, count: 5, ct);

        Assert.NotEqual(first.BootstrapServers, second.BootstrapServers);
        Assert.Equal(3, await HighWatermarkAsync(first, topic, ct));
        Assert.Equal(5, await HighWatermarkAsync(second, topic, ct));
    }

    [Fact(Timeout = 60000)]
    public async Task LoadedLibraryPath_OnLinux_IsTheOnlyLibrdkafkaMappedIntoTheProcess()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/maps is Linux-only.");
        using var cluster = EmbeddedKafkaCluster.Start();
        using var producer = NewProducer(cluster);

        var mapped = (await File.ReadAllLinesAsync("/proc/self/maps", ct))
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && Path.GetFileName(fields[5]).Contains("librdkafka", StringComparison.Ordinal))
            .Select(fields => fields[5].Trim())
            .Distinct();

        Assert.Equal([LibrdkafkaMockNative.LoadedLibraryPath], mapped);
    }

    private static string NewTopicName() => $"topic-{Guid.NewGuid():N}";

    private static string NewGroupId() => $"group-{Guid.NewGuid():N}";

    private static Message<byte[], byte[]> NumberMessage(int n) =>
        new() { Key = BitConverter.GetBytes(n), Value = BitConverter.GetBytes(n) };

    private static ProducerConfig ProducerConfig(EmbeddedKafkaCluster cluster) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        // librdkafka backs off reconnects up to 10 s, which would make the outage test slow.
        ReconnectBackoffMaxMs = 500,
    };

    private static IProducer<byte[], byte[]> NewProducer(EmbeddedKafkaCluster cluster) =>
        new ProducerBuilder<byte[], byte[]>(ProducerConfig(cluster)).Build();

    private static ConsumerConfig ConsumerConfig(EmbeddedKafkaCluster cluster, string groupId) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        // After the last member leaves, the mock holds a classic group's next join for session.timeout.ms - 1 s
        // (44 s at the default); 6 s is the smallest value a real broker accepts.
        SessionTimeoutMs = 6000,
    };

    private static IConsumer<byte[], byte[]> NewConsumer(ConsumerConfig config) =>
        new ConsumerBuilder<byte[], byte[]>(config).Build();

    private static async Task ProduceNumbersAsync(EmbeddedKafkaCluster cluster, string topic, int count, CancellationToken ct)
    {
        using var producer = NewProducer(cluster);
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(topic, NumberMessage(i), ct);
        }
    }

    // Consume blocks its thread, so it runs on the pool where the test's timeout can still fire.
    private static Task<List<ConsumeResult<byte[], byte[]>>> ConsumeAsync(
        IConsumer<byte[], byte[]> consumer, int count, CancellationToken ct) =>
        Task.Run(() =>
        {
            var results = new List<ConsumeResult<byte[], byte[]>>(count);
            while (results.Count < count)
            {
                ct.ThrowIfCancellationRequested();
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
                {
                    results.Add(result);
                }
            }

            return results;
        }, ct);

    private static Task<long> HighWatermarkAsync(EmbeddedKafkaCluster cluster, string topic, CancellationToken ct) =>
        Task.Run(() =>
        {
            using var consumer = NewConsumer(ConsumerConfig(cluster, NewGroupId()));
            return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10)).High.Value;
        }, ct);
}
