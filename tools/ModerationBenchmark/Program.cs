using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuikApp.Workers.Moderation;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Tools.ModerationBenchmark;

// moderation-benchmark [--messages N] [--distinct D]
// 1. scoring throughput of the full MessageScorer (all checks + fusion), one thread and all cores;
// 2. the moderation worker end to end over the embedded Kafka beside the raw consume rate of the same topic.
var messages = Option("--messages", 100_000);
var distinct = Option("--distinct", 20_000);
var traffic = ChatTraffic.Generate(messages, distinct, seed: 42);
Console.WriteLine($"{messages:N0} messages, {distinct:N0} distinct texts (seeded mix: ~85% chat, ~10% spam, ~5% abuse), {Environment.ProcessorCount} cores");

var scoringHost = Host.CreateApplicationBuilder(["--Serilog:MinimumLevel:Default=Warning"]);
scoringHost.Services.AddScoring();
using (var services = scoringHost.Build())
{
    var scorer = services.Services.GetRequiredService<MessageScorer>();
    var policy = ModerationPolicy.Default;
    var inputs = traffic.Select(m => new ScoringInput(m.Content, m.UserId, m.ChannelId, m.WorkspaceId, m.Mentions.Count, m.MentionsEveryone, m.CreatedAt)).ToList();
    foreach (var input in inputs.Take(2_000))
    {
        scorer.Score(input, policy);
    }

    var single = Stopwatch.StartNew();
    foreach (var input in inputs)
    {
        scorer.Score(input, policy);
    }

    single.Stop();
    var parallel = Stopwatch.StartNew();
    Parallel.ForEach(inputs, input => scorer.Score(input, policy));
    parallel.Stop();
    var cold = ChatTraffic.Generate(20_000, 20_000, seed: 7)
        .Select(m => new ScoringInput(m.Content + " " + m.MessageId, m.UserId, m.ChannelId)).ToList();
    var uncached = Stopwatch.StartNew();
    foreach (var input in cold)
    {
        scorer.Score(input, policy);
    }

    uncached.Stop();
    Console.WriteLine();
    Console.WriteLine($"{"scoring (MessageScorer: profanity + toxicity + spam model + heuristics + flood + fusion)",-92} {"messages/s",12}");
    Console.WriteLine($"{"  every text distinct (no content-cache hits), 1 thread",-92} {cold.Count / uncached.Elapsed.TotalSeconds,12:N0}");
    Console.WriteLine($"{"  the traffic mix (repeats hit the content cache), 1 thread",-92} {inputs.Count / single.Elapsed.TotalSeconds,12:N0}");
    Console.WriteLine($"{$"  the traffic mix, {Environment.ProcessorCount} threads",-92} {inputs.Count / parallel.Elapsed.TotalSeconds,12:N0}");
}

// End to end: the worker composed as in Program.cs on the embedded Kafka. MongoDB cannot run here, so results go to a
// store that only counts them: the figure excludes MongoDB's write latency and says so.
var builder = WebApplication.CreateBuilder([
    "--Kafka:BootstrapServers=embedded", "--Health:Port=0", "--Health:BindAddress=127.0.0.1",
    "--Mongo:ConnectionString=mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300", "--Mongo:EnsureIndexesOnStart=false", "--Moderation:SmartReplies:Enabled=false", "--Serilog:MinimumLevel:Default=Warning"]);
builder.AddQuikAppWorkerDefaults("moderation");
builder.AddModerationWorker();
var counter = new CountingResultStore();
builder.Services.Replace(ServiceDescriptor.Singleton<IAutoModerationResultStore>(counter));
builder.Services.Replace(ServiceDescriptor.Singleton<IModerationPolicyStore>(new NoPolicyOverrides()));
await using var app = builder.Build();
var bootstrap = app.Services.GetRequiredService<KafkaConnection>().BootstrapServers;
await ProduceAsync(bootstrap, traffic);
var raw = RawConsume(bootstrap, EventTopics.MessageSent, 12, messages);
await app.StartAsync();
await counter.WaitAsync(messages, TimeSpan.FromMinutes(10));
var endToEnd = (messages - 1) / counter.Elapsed.TotalSeconds;
await app.StopAsync();
Console.WriteLine();
Console.WriteLine($"{"end to end over the embedded Kafka (1 broker, 12 partitions)",-92} {"events/s",12} {"vs raw",8}");
Console.WriteLine($"{"  raw consume of quikapp.message.sent (no work)",-92} {raw,12:N0} {1,8:P0}");
Console.WriteLine($"{"  moderation worker: parse, score, bulk write (counted, not MongoDB), publish flagged",-92} {endToEnd,12:N0} {endToEnd / raw,8:P0}");
return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task ProduceAsync(string bootstrap, List<MessageSent> traffic)
{
    using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrap, Acks = Acks.All, EnableIdempotence = true, LingerMs = 20, CompressionType = CompressionType.Lz4,
    }).Build();
    var pending = new List<Task>(10_000);
    foreach (var message in traffic)
    {
        var value = EventEnvelopeWriter.Serialize(EventEnvelope.Create(message, "benchmark", null));
        pending.Add(producer.ProduceAsync(EventTopics.MessageSent, new Message<byte[], byte[]> { Key = message.ChannelId.ToByteArray(), Value = value }));
        if (pending.Count == pending.Capacity)
        {
            await Task.WhenAll(pending);
            pending.Clear();
        }
    }

    await Task.WhenAll(pending);
}

static double RawConsume(string bootstrap, string topic, int partitions, int count)
{
    using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = bootstrap, GroupId = "raw-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false,
    }).Build();
    consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
    Stopwatch? clock = null;
    for (var received = 0; received < count; received++)
    {
        _ = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"raw consumer stalled at {received}");
        clock ??= Stopwatch.StartNew();
    }

    return (count - 1) / clock!.Elapsed.TotalSeconds;
}

/// <summary>Counts results instead of writing them (no MongoDB here); the clock runs from the first batch to the last.</summary>
internal sealed class CountingResultStore : IAutoModerationResultStore
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _first;
    private long _last;
    private int _count;
    private int _target = int.MaxValue;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_first, _last);

    public Task WaitAsync(int target, TimeSpan timeout)
    {
        _target = target;
        if (Volatile.Read(ref _count) >= target)
        {
            _done.TrySetResult();
        }

        return _done.Task.WaitAsync(timeout);
    }

    public Task<IReadOnlyList<bool>> UpsertAsync(IReadOnlyList<AutoModerationResult> results, CancellationToken cancellationToken)
    {
        Interlocked.CompareExchange(ref _first, Stopwatch.GetTimestamp(), 0);
        if (Interlocked.Add(ref _count, results.Count) >= _target)
        {
            _last = Stopwatch.GetTimestamp();
            _done.TrySetResult();
        }

        return Task.FromResult<IReadOnlyList<bool>>([.. results.Select(_ => true)]);
    }

    public Task MarkDeletedAsync(IReadOnlyList<MessageDeletion> deletions, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>No workspace overrides: the fleet policy for everyone.</summary>
internal sealed class NoPolicyOverrides : IModerationPolicyStore
{
    public Task<IReadOnlyList<WorkspacePolicyOverride>> LoadOverridesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WorkspacePolicyOverride>>([]);
}
