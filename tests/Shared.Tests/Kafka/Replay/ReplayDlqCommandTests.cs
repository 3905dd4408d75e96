using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Replay;
using QuikApp.Workers.Shared.Tests.Kafka.Consuming;
using QuikApp.Workers.Testing.Kafka;

namespace QuikApp.Workers.Shared.Tests.Kafka.Replay;

/// <summary>
/// The <c>replay-dlq</c> verb against a real Kafka protocol peer (the embedded lane by default): records a consumer engine
/// dead-lettered go back byte-for-byte and are processed, filters select, dry runs publish nothing, progress is kept.
/// </summary>
public sealed class ReplayDlqCommandTests(ReplayDlqCommandTests.Cluster cluster) : IClassFixture<ReplayDlqCommandTests.Cluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly KafkaTestLane _lane = cluster.Lane;

    public sealed class Cluster : IAsyncLifetime
    {
        public KafkaTestLane Lane { get; } = new() { Brokers = 1 };

        public ValueTask InitializeAsync() => Lane.InitializeAsync();

        public ValueTask DisposeAsync() => Lane.DisposeAsync();
    }

    private sealed record RunResult(int ExitCode, string Output, string Error);

    /// <summary>The verb as a worker runs it: resolved from the services <c>AddQuikAppKafka</c> registers.</summary>
    private async Task<RunResult> ReplayAsync(params string[] arguments)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = _lane.BootstrapServers })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddMetrics()
            .AddSingleton(new WorkerIdentity("replay-test", "t1"))
            .AddQuikAppKafka();
        await using var provider = services.BuildServiceProvider();
        var command = provider.GetServices<IWorkerCommand>().OfType<ReplayDlqCommand>().Single();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await command.RunAsync(provider, arguments, output, error, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(output.ToString() + error);
        return new RunResult(exit, output.ToString(), error.ToString());
    }

    private async Task<string> TopicAsync(int partitions, int dlqPartitions)
    {
        var topic = await _lane.CreateTopicAsync("replay", partitions);
        await _lane.CreateTopicNamedAsync(EventTopics.DeadLetterTopic(topic), dlqPartitions);
        return topic;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    private static string? Header(ConsumeResult<byte[], byte[]> result, string key) =>
        result.Message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static List<(string Key, string Value)> Headers(ConsumeResult<byte[], byte[]> result) =>
        [.. result.Message.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes())))];

    /// <summary>Writes dead-letter records straight into <c>&lt;topic&gt;.dlq</c>, as the engine's publisher would.</summary>
    private async Task DeadLetterAsync(string topic, int dlqPartition, params (string Value, string Reason, string? Source)[] records)
    {
        using var producer = KafkaTestClient.CreateProducer(_lane.BootstrapServers);
        var sourceOffset = 100;
        foreach (var (value, reason, source) in records)
        {
            var headers = new Headers
            {
                { EventHeaders.EventType, "test.event"u8.ToArray() },
                { EventHeaders.DlqReason, Encoding.UTF8.GetBytes(reason) },
                { EventHeaders.DlqSourceTopic, Encoding.UTF8.GetBytes(source ?? topic) },
                { EventHeaders.DlqSourcePartition, "0"u8.ToArray() },
                { EventHeaders.DlqSourceOffset, Encoding.UTF8.GetBytes((sourceOffset++).ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            };
            await producer.ProduceAsync(new TopicPartition(EventTopics.DeadLetterTopic(topic), dlqPartition),
                new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"key-{value}"), Value = Encoding.UTF8.GetBytes(value), Headers = headers },
                TestContext.Current.CancellationToken);
        }
    }

    private List<string> ReplayedValues(string topic, int partitions, int expected) =>
        [.. KafkaTestClient.ReadAll(_lane.BootstrapServers, topic, partitions, expected, TimeSpan.FromSeconds(expected == 0 ? 2 : 30))
            .Select(r => Encoding.UTF8.GetString(r.Message.Value))];

    private Dictionary<int, long> Position(string topic, int dlqPartitions) =>
        KafkaTestClient.Committed(_lane.BootstrapServers, DlqReplayRequest.ProgressGroupOf(topic), EventTopics.DeadLetterTopic(topic), dlqPartitions);

    [Fact(Timeout = 180_000)]
    public async Task DeadLetteredByTheEngine_GoBackByteForByteToTheirPartition_AreProcessed_AndASecondRunReplaysNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        const int partitions = 3;
        var topic = await TopicAsync(partitions, partitions);
        var dlq = EventTopics.DeadLetterTopic(topic);
        var values = Enumerable.Range(0, 30).Select(i => i % 7 == 3 ? $"poison-{i}" : $"ok-{i}").ToList();
        var poisons = values.Where(v => v.StartsWith("poison", StringComparison.Ordinal)).ToHashSet();
        using (var producer = KafkaTestClient.CreateProducer(_lane.BootstrapServers))
        {
            foreach (var (value, i) in values.Select((v, i) => (v, i)))
            {
                await producer.ProduceAsync(topic, new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes($"channel-{i % 5}"),
                    Value = Encoding.UTF8.GetBytes(value),
                    Headers = [new Header(EventHeaders.EventType, "test.event"u8.ToArray()), new Header(EventHeaders.CorrelationId, Encoding.UTF8.GetBytes($"req-{i}"))],
                }, ct);
            }
        }

        var causeFixed = false;
        var handler = new RecordingHandler
        {
            Before = (batch, _, _) => !Volatile.Read(ref causeFixed) && batch.Events.Any(e => e.Event.StartsWith("poison", StringComparison.Ordinal))
                ? throw new PermanentEventException("poison until the fix ships")
                : Task.CompletedTask,
        };
        await using var run = await ConsumerEngineRun<string>.StartAsync(_lane.BootstrapServers, $"group-{Guid.NewGuid():N}", [topic],
            new Utf8TextDecoder(), handler);
        await WaitUntilAsync(() => handler.Effects.Select(e => e.Value).Distinct().Count() == values.Count - poisons.Count, "the healthy events");
        var deadLetters = KafkaTestClient.ReadAll(_lane.BootstrapServers, dlq, partitions, poisons.Count, Patience);
        Assert.Equal(poisons.Count, deadLetters.Count);
        var sourceEndBefore = KafkaTestClient.EndOffsets(_lane.BootstrapServers, topic, partitions);

        Volatile.Write(ref causeFixed, true);
        var replay = await ReplayAsync(topic);

        Assert.Equal(0, replay.ExitCode);
        Assert.Contains($"replayed {poisons.Count} record(s) from {dlq} to {topic}", replay.Output, StringComparison.Ordinal);
        await WaitUntilAsync(() => poisons.IsSubsetOf(handler.Effects.Select(e => e.Value)), "the replayed events to be processed");

        var source = KafkaTestClient.ReadAll(_lane.BootstrapServers, topic, partitions, values.Count + poisons.Count, Patience);
        var replayed = source.Where(r => Header(r, EventHeaders.ReplayedFromDlq) is not null).ToList();
        Assert.Equal(poisons.Count, replayed.Count);
        foreach (var copy in replayed)
        {
            var dead = deadLetters.Single(d => $"{d.Partition.Value}:{d.Offset.Value}" == Header(copy, EventHeaders.ReplayedFromDlq));
            var original = source.Single(r => r.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == Header(dead, EventHeaders.DlqSourcePartition)
                && r.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == Header(dead, EventHeaders.DlqSourceOffset));
            Assert.Equal(original.Message.Key, copy.Message.Key);
            Assert.Equal(original.Message.Value, copy.Message.Value);
            Assert.Equal(original.Partition, copy.Partition);
            Assert.Equal([.. Headers(original), (EventHeaders.ReplayedFromDlq, $"{dead.Partition.Value}:{dead.Offset.Value}")], Headers(copy));
        }

        Assert.Equal(KafkaTestClient.EndOffsets(_lane.BootstrapServers, dlq, partitions).Where(e => e.Value > 0),
            Position(topic, partitions).Where(e => e.Value >= 0));

        var second = await ReplayAsync(topic);

        Assert.Equal(0, second.ExitCode);
        Assert.Contains($"replayed 0 record(s) from {dlq}", second.Output, StringComparison.Ordinal);
        var sourceEndAfter = KafkaTestClient.EndOffsets(_lane.BootstrapServers, topic, partitions);
        Assert.Equal(sourceEndBefore.Values.Sum() + poisons.Count, sourceEndAfter.Values.Sum());
    }

    [Fact(Timeout = 120_000)]
    public async Task DryRun_ListsWhatWouldGoBack_AndPublishesAndCommitsNothing()
    {
        var topic = await TopicAsync(1, 1);
        await DeadLetterAsync(topic, 0, ("a", "malformed: x", null), ("b", "handler-failure: y", null));

        var dry = await ReplayAsync(topic, "--dry-run");

        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("would replay 0@0 key=key-a from 0@100 reason=\"malformed: x\"", dry.Output, StringComparison.Ordinal);
        Assert.Contains("would replay 0@1 key=key-b", dry.Output, StringComparison.Ordinal);
        Assert.Contains("would replay 2 record(s)", dry.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"a\"", dry.Output, StringComparison.Ordinal);
        Assert.Empty(ReplayedValues(topic, 1, 0));
        Assert.Equal(Offset.Unset.Value, Position(topic, 1)[0]);
    }

    [Fact(Timeout = 120_000)]
    public async Task ReasonFilter_ReplaysOnlyMatchingRecords_AndThePositionStopsAtTheFirstOneLeftBehind()
    {
        var topic = await TopicAsync(1, 1);
        await DeadLetterAsync(topic, 0,
            ("m0", "malformed: a", null), ("h1", "handler-failure: b", null), ("m2", "malformed: c", null), ("r3", "rejected: d", null), ("m4", "Malformed: e", null));

        var filtered = await ReplayAsync(topic, "--reason", "malformed");

        Assert.Equal(0, filtered.ExitCode);
        Assert.Contains("replayed 3 record(s)", filtered.Output, StringComparison.Ordinal);
        Assert.Contains("skipped 2 by --reason", filtered.Output, StringComparison.Ordinal);
        Assert.Equal(["m0", "m2", "m4"], ReplayedValues(topic, 1, 3));
        Assert.Equal(1, Position(topic, 1)[0]);

        // Once the other causes are fixed, an unfiltered run resumes at the first record left behind: records after it
        // that the filtered run already replayed go back once more, which idempotent handlers absorb (docs/operations.md).
        var rest = await ReplayAsync(topic);

        Assert.Equal(0, rest.ExitCode);
        Assert.Equal(["m0", "m2", "m4", "h1", "m2", "r3", "m4"], ReplayedValues(topic, 1, 7));
        Assert.Equal(5, Position(topic, 1)[0]);
        Assert.Contains("replayed 0 record(s)", (await ReplayAsync(topic)).Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task OffsetRangeOfOnePartition_ReplaysExactlyThatRange_WithoutReadingOrMovingThePosition()
    {
        var topic = await TopicAsync(1, 2);
        await DeadLetterAsync(topic, 0, ("p0-0", "malformed: a", null), ("p0-1", "malformed: a", null));
        await DeadLetterAsync(topic, 1, ("p1-0", "malformed: a", null), ("p1-1", "malformed: a", null), ("p1-2", "malformed: a", null), ("p1-3", "malformed: a", null));

        var ranged = await ReplayAsync(topic, "--partition", "1", "--from-offset", "1", "--to-offset", "2");

        Assert.Equal(0, ranged.ExitCode);
        Assert.Contains("position not tracked (--from-offset)", ranged.Output, StringComparison.Ordinal);
        Assert.Equal(["p1-1", "p1-2"], ReplayedValues(topic, 1, 2));
        Assert.All(Position(topic, 2).Values, p => Assert.Equal(Offset.Unset.Value, p));

        var again = await ReplayAsync(topic, "--partition=1", "--from-offset=1", "--to-offset=2");

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(["p1-1", "p1-2", "p1-1", "p1-2"], ReplayedValues(topic, 1, 4));
    }

    [Fact(Timeout = 120_000)]
    public async Task RecordNamingAnotherSourceTopic_IsNotReplayed_FailsTheRunOnce_AndIsPassed()
    {
        var topic = await TopicAsync(1, 1);
        await DeadLetterAsync(topic, 0, ("own-0", "malformed: a", null), ("stray", "malformed: a", "quikapp.somewhere.else"), ("own-2", "rejected: b", null));

        var first = await ReplayAsync(topic);

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("skip (source quikapp.somewhere.else) 0@1", first.Output, StringComparison.Ordinal);
        Assert.Contains("warning: 1 record(s)", first.Output, StringComparison.Ordinal);
        Assert.Equal(["own-0", "own-2"], ReplayedValues(topic, 1, 2));
        Assert.Equal(3, Position(topic, 1)[0]);

        var second = await ReplayAsync(topic);

        Assert.Equal(0, second.ExitCode);
        Assert.Contains("replayed 0 record(s)", second.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task MissingDeadLetterTopic_FailsNamingIt()
    {
        var topic = await _lane.CreateTopicAsync("replay-nodlq", 1);

        var result = await ReplayAsync(topic);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: topic {topic}.dlq does not exist", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadArguments_ExitTwoWithUsage()
    {
        var result = await ReplayAsync("t", "--from-offset", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage: replay-dlq <topic>", result.Error, StringComparison.Ordinal);
    }
}
