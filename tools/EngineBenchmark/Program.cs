using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Embedded;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Shared.Metrics;

// engine-benchmark [--messages N] [--partitions P] [--batch B]
// Raw consume rate of a topic vs the consumer engine with a no-op batch handler on the same topic, same run.
var messages = Option("--messages", 100_000);
var partitions = Option("--partitions", 12);
var batch = Option("--batch", 500);
var repeat = Option("--repeat", 3);

using var cluster = EmbeddedKafkaCluster.Start(1);
const string topic = EventTopics.MessageSent;
cluster.CreateTopic(topic, partitions);
cluster.CreateTopic(EventTopics.DeadLetterTopic(topic), partitions);
Console.WriteLine($"embedded Kafka (librdkafka {Library.VersionString} mock, 1 broker), {topic} x {partitions} partitions, {messages:N0} message.sent envelopes");

var produce = Stopwatch.StartNew();
var bytes = await ProduceAsync(cluster.BootstrapServers, topic, messages);

// Warm-up on the first events (each run reads from the beginning in a group of its own): JIT tiering would otherwise
// charge the first path measured (the parser runs ~4x slower before tier-1 code is in place).
// Three passes: tiered compilation promotes hot methods to optimised (PGO) code only after enough calls and a delay.
var warmupEvents = Math.Min(messages, 30_000);
for (var pass = 0; pass < 3; pass++)
{
    RawConsume(cluster.BootstrapServers, topic, partitions, warmupEvents);
    await EngineAsync(cluster.BootstrapServers, topic, warmupEvents, batch, new EnvelopeDecoder());
    await EngineAsync(cluster.BootstrapServers, topic, warmupEvents, batch, new PassthroughDecoder());
}
Console.WriteLine($"produced in {produce.Elapsed.TotalSeconds:F1} s ({bytes / messages} bytes/event); warmed up on {warmupEvents:N0} events");

// Each path runs `repeat` times, interleaved, each time from the beginning in a group of its own; the median is reported,
// since one run on a shared 2-core machine moves by ±10 %.
var rawRuns = new List<double>();
var passthroughRuns = new List<double>();
var envelopeRuns = new List<double>();
long rawBytes = 0, passthroughBytes = 0, envelopeBytes = 0;
for (var run = 0; run < repeat; run++)
{
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    rawRuns.Add(RawConsume(cluster.BootstrapServers, topic, partitions, messages));
    rawBytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / messages;
    allocated = GC.GetTotalAllocatedBytes(precise: true);
    passthroughRuns.Add(await EngineAsync(cluster.BootstrapServers, topic, messages, batch, new PassthroughDecoder()));
    passthroughBytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / messages;
    allocated = GC.GetTotalAllocatedBytes(precise: true);
    envelopeRuns.Add(await EngineAsync(cluster.BootstrapServers, topic, messages, batch, new EnvelopeDecoder()));
    envelopeBytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / messages;
}

var raw = Median(rawRuns);
var passthrough = Median(passthroughRuns);
var envelopes = Median(envelopeRuns);
Console.WriteLine($"runs (events/s): raw {Runs(rawRuns)}; passthrough {Runs(passthroughRuns)}; envelopes {Runs(envelopeRuns)}");
Console.WriteLine();
Console.WriteLine($"{"path (median of " + repeat + " runs)",-52} {"events/s",12} {"vs raw",8} {"bytes allocated/event",22}");
Report("raw consume (Confluent consumer, assign, no work)", raw, raw, rawBytes);
Report($"engine, no-op handler, bytes passed through (batch {batch})", passthrough, raw, passthroughBytes);
Report($"engine, no-op handler, envelopes parsed (batch {batch})", envelopes, raw, envelopeBytes);
return envelopes / raw >= 0.8 ? 0 : 1;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Median(List<double> runs) => runs.Order().ElementAt(runs.Count / 2);

static string Runs(List<double> runs) => string.Join(" / ", runs.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)));

static void Report(string path, double rate, double raw, long bytesPerEvent) =>
    Console.WriteLine($"{path,-52} {rate,12:N0} {rate / raw,8:P0} {bytesPerEvent,22:N0}");

static async Task<long> ProduceAsync(string bootstrap, string topic, int count)
{
    using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrap, Acks = Acks.All, EnableIdempotence = true, LingerMs = 20, CompressionType = CompressionType.Lz4,
    }).Build();
    var channels = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToArray();
    long total = 0;
    var pending = new List<Task>(10_000);
    for (var i = 0; i < count; i++)
    {
        var channel = channels[i % channels.Length];
        var sent = new MessageSent(ObjectId.GenerateNewId(), channel, Guid.NewGuid(), Guid.NewGuid(),
            $"message number {i} about the release plan", MessageContentType.Text, null, [], false, [], $"client-{i}", DateTimeOffset.UtcNow);
        var value = EventEnvelopeWriter.Serialize(EventEnvelope.Create(sent, "benchmark", null));
        total += value.Length;
        pending.Add(producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = channel.ToByteArray(), Value = value }));
        if (pending.Count == pending.Capacity)
        {
            await Task.WhenAll(pending);
            pending.Clear();
        }
    }

    await Task.WhenAll(pending);
    return total;
}

static double RawConsume(string bootstrap, string topic, int partitions, int count)
{
    using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = bootstrap, GroupId = "raw-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false,
    }).Build();
    consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
    Stopwatch? clock = null;
    var received = 0;
    while (received < count)
    {
        var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"raw consumer stalled at {received}");
        clock ??= Stopwatch.StartNew();
        received++;
    }

    return (count - 1) / clock!.Elapsed.TotalSeconds;
}

static async Task<double> EngineAsync<TEvent>(string bootstrap, string topic, int count, int batchSize, IRecordDecoder<TEvent> decoder)
{
    var kafka = new KafkaOptions { BootstrapServers = bootstrap, SessionTimeoutMs = 6_000 };
    using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    using var producer = new RecordProducer(KafkaClientConfigs.Producer(kafka, bootstrap, "bench"), NullLogger<RecordProducer>.Instance);
    var handler = new NoOpHandler<TEvent>(count);
    var options = new EventConsumerOptions { MaxBatchSize = batchSize };
    await using var engine = new ConsumerEngine<TEvent>("bench", [topic],
        KafkaClientConfigs.Consumer(kafka, bootstrap, "engine-" + Guid.NewGuid().ToString("N"), "bench"), options, decoder, handler,
        new KafkaDeadLetterPublisher(producer), new DefaultFailureClassifier(),
        new WorkerMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLoggerFactory.Instance);
    await engine.StartAsync(CancellationToken.None);
    await handler.Done.WaitAsync(TimeSpan.FromMinutes(5));
    return handler.Rate;
}

/// <summary>Hands the raw value through, so the engine's own cost is measured without the envelope parser.</summary>
internal sealed class PassthroughDecoder : IRecordDecoder<byte[]?>
{
    public DecodeResult<byte[]?> Decode(KafkaRecord record) => DecodeResult.Success(record.Value);
}

/// <summary>Counts events and stops the clock at the last one; measured from the first event handled (group join excluded).</summary>
internal sealed class NoOpHandler<TEvent>(int expected) : IEventBatchHandler<TEvent>
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _first;
    private long _last;
    private int _handled;

    public Task Done => _done.Task;

    public double Rate => (_handled - 1) / Stopwatch.GetElapsedTime(_first, _last).TotalSeconds;

    public Task HandleAsync(EventBatch<TEvent> batch, CancellationToken cancellationToken)
    {
        Interlocked.CompareExchange(ref _first, Stopwatch.GetTimestamp(), 0);
        if (Interlocked.Add(ref _handled, batch.Count) >= expected)
        {
            _last = Stopwatch.GetTimestamp();
            _done.TrySetResult();
        }

        return Task.CompletedTask;
    }
}
