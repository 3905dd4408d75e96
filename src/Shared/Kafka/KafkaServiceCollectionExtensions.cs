using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Shared.Kafka.Replay;
using QuikApp.Workers.Shared.Metrics;

namespace QuikApp.Workers.Shared.Kafka;

/// <summary>Registers the Kafka side of a worker: connection, producer, dead-letter publisher and consumer engines.</summary>
public static class KafkaServiceCollectionExtensions
{
    /// <summary>Connection, shared producer, dead-letter and event publishers, failure classifier, the <c>replay-dlq</c> verb (idempotent).</summary>
    public static IServiceCollection AddQuikAppKafka(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(KafkaConnection)))
        {
            return services;
        }

        services.AddOptions<KafkaOptions>()
            .BindConfiguration(KafkaOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<KafkaConnection>();
        services.TryAddSingleton(provider =>
        {
            var connection = provider.GetRequiredService<KafkaConnection>();
            var config = KafkaClientConfigs.Producer(connection.Options, connection.BootstrapServers, connection.ClientId);
            return new RecordProducer(config, provider.GetRequiredService<ILogger<RecordProducer>>());
        });
        services.TryAddSingleton<IDeadLetterPublisher, KafkaDeadLetterPublisher>();
        services.TryAddSingleton<EventPublisher>();
        services.TryAddSingleton<IFailureClassifier, DefaultFailureClassifier>();
        services.TryAddSingleton<ConsumerEngineRegistry>();
        services.TryAddSingleton<WorkerMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventConsumerOptions>, EventConsumerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkerCommand, ReplayDlqCommand>());
        return services;
    }

    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> to <paramref name="topics"/> as consumer <paramref name="name"/>
    /// (tuning from <c>Kafka:Consumers:&lt;name&gt;</c>), decoding each record as a contract <see cref="EventEnvelope"/>.
    /// </summary>
    public static IServiceCollection AddEventConsumer<THandler>(this IServiceCollection services, string name, params string[] topics)
        where THandler : class, IEventBatchHandler<EventEnvelope> =>
        services.AddKafkaConsumer<EventEnvelope, THandler>(name, topics, _ => new EnvelopeDecoder());

    /// <summary>The general form: any event type with its decoder.</summary>
    public static IServiceCollection AddKafkaConsumer<TEvent, THandler>(
        this IServiceCollection services,
        string name,
        IReadOnlyCollection<string> topics,
        Func<IServiceProvider, IRecordDecoder<TEvent>> decoderFactory)
        where THandler : class, IEventBatchHandler<TEvent>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddQuikAppKafka();
        services.AddOptions<EventConsumerOptions>(name)
            .BindConfiguration($"Kafka:Consumers:{name}")
            .ValidateOnStart();
        services.TryAddSingleton<THandler>();
        services.AddKeyedSingleton(name, (provider, _) =>
        {
            var connection = provider.GetRequiredService<KafkaConnection>();
            var config = KafkaClientConfigs.Consumer(connection.Options, connection.BootstrapServers, connection.GroupId, connection.ClientId);
            var engine = new ConsumerEngine<TEvent>(
                name,
                topics,
                config,
                provider.GetRequiredService<IOptionsMonitor<EventConsumerOptions>>().Get(name),
                decoderFactory(provider),
                provider.GetRequiredService<THandler>(),
                provider.GetRequiredService<IDeadLetterPublisher>(),
                provider.GetRequiredService<IFailureClassifier>(),
                provider.GetRequiredService<WorkerMetrics>(),
                provider.GetRequiredService<ILoggerFactory>());
            provider.GetRequiredService<ConsumerEngineRegistry>().Register(() => engine.Status);
            return engine;
        });
        services.AddHostedService(provider => new EventConsumerService<TEvent>(
            provider.GetRequiredKeyedService<ConsumerEngine<TEvent>>(name),
            provider.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(),
            provider.GetService<Mongo.MongoRequiredIndexGate>()));
        return services;
    }
}
