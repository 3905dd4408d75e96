using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Shared.Metrics;
using QuikApp.Workers.Testing.Logging;

namespace QuikApp.Workers.Testing.Kafka;

/// <summary>A real <see cref="ConsumerEngine{TEvent}"/> with a real dead-letter producer, against a test lane's broker.</summary>
public sealed class ConsumerEngineRun<TEvent> : IAsyncDisposable
{
    private readonly RecordProducer _producer;
    private readonly ServiceProvider _services;
    private int _disposed;

    private ConsumerEngineRun(ConsumerEngine<TEvent> engine, RecordProducer producer, ServiceProvider services, string groupId)
    {
        Engine = engine;
        _producer = producer;
        _services = services;
        GroupId = groupId;
    }

    public ConsumerEngine<TEvent> Engine { get; }

    public string GroupId { get; }

    public IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    /// <summary>Engine options tuned for tests: small batches and short backoffs so specifications run in seconds.</summary>
    public static EventConsumerOptions TestOptions() => new()
    {
        MaxBatchSize = 50,
        MaxBatchWait = TimeSpan.FromMilliseconds(10),
        HandlerTimeout = TimeSpan.FromSeconds(10),
        RevokeDrainTimeout = TimeSpan.FromSeconds(5),
        ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
        Retry = new RetryBackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) },
    };

    public static async Task<ConsumerEngineRun<TEvent>> StartAsync(
        string bootstrapServers,
        string groupId,
        IReadOnlyCollection<string> topics,
        IRecordDecoder<TEvent> decoder,
        IEventBatchHandler<TEvent> handler,
        EventConsumerOptions? options = null,
        Action<KafkaOptions>? configureKafka = null,
        Action<ConsumerEngine<TEvent>>? beforeStart = null)
    {
        var kafka = new KafkaOptions { BootstrapServers = bootstrapServers, SessionTimeoutMs = 6_000, AutoCommitIntervalMs = 500 };
        configureKafka?.Invoke(kafka);
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var loggerFactory = TestContext.Current.TestOutputHelper is null
            ? NullLoggerFactory.Instance
            : TestOutputLoggerProvider.CreateFactory(LogLevel.Information);
        var clientId = $"test-{Guid.NewGuid():N}"[..16];
        var producer = new RecordProducer(KafkaClientConfigs.Producer(kafka, bootstrapServers, clientId), loggerFactory.CreateLogger<RecordProducer>());
        var consumerConfig = KafkaClientConfigs.Consumer(kafka, bootstrapServers, groupId, clientId);
        consumerConfig.HeartbeatIntervalMs = 500;
        var engine = new ConsumerEngine<TEvent>(
            "test",
            topics,
            consumerConfig,
            options ?? TestOptions(),
            decoder,
            handler,
            new KafkaDeadLetterPublisher(producer),
            new DefaultFailureClassifier(),
            new WorkerMetrics(services.GetRequiredService<IMeterFactory>()),
            loggerFactory);
        beforeStart?.Invoke(engine);
        await engine.StartAsync(CancellationToken.None).ConfigureAwait(false);
        return new ConsumerEngineRun<TEvent>(engine, producer, services, groupId);
    }

    /// <summary>Waits until the engine owns at least <paramref name="partitions"/> partitions.</summary>
    public async Task WaitForAssignmentAsync(int partitions, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Engine.Assignment.Count < partitions)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"assigned {Engine.Assignment.Count} of {partitions} partitions within {timeout}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public Task StopAsync() => Engine.StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Engine.DisposeAsync().ConfigureAwait(false);
        _producer.Dispose();
        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
