using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace QuikApp.Workers.Shared.Kafka.Producing;

/// <summary>
/// The process's one Kafka producer (acks=all, idempotent; see <see cref="KafkaClientConfigs.Producer"/>), shared by
/// the dead-letter publisher and the event publisher. A produce completes only once the brokers acknowledged it.
/// </summary>
public sealed partial class RecordProducer : IDisposable
{
    /// <summary>librdkafka's <c>message.max.bytes</c> when the configuration does not set it.</summary>
    public const int LibrdkafkaDefaultMessageMaxBytes = 1_000_000;

    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly ILogger<RecordProducer> _logger;

    public RecordProducer(ProducerConfig config, ILogger<RecordProducer> logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        _logger = logger;
        MaxMessageBytes = config.MessageMaxBytes ?? LibrdkafkaDefaultMessageMaxBytes;
        _producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => LogProducerError(error.Code, error.Reason, error.IsFatal))
            // librdkafka's own log lines (connection losses and the like) go through the host's logging, not stderr.
            .SetLogHandler((_, message) => OnLog(message))
            .Build();
    }

    /// <summary>The largest record this producer accepts (<c>message.max.bytes</c>): key, value, headers and framing.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>Produces one record and waits for its acknowledgement; throws <see cref="ProduceException{TKey,TValue}"/> when it is not delivered.</summary>
    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, byte[]? key, byte[]? value, Headers headers, CancellationToken cancellationToken)
    {
        var message = new Message<byte[], byte[]> { Key = key!, Value = value!, Headers = headers };
        return _producer.ProduceAsync(topic, message, cancellationToken);
    }

    /// <summary>Produces one record to a given partition (replays keep a record in the partition it came from) and waits for its acknowledgement.</summary>
    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(TopicPartition partition, byte[]? key, byte[]? value, Headers headers, CancellationToken cancellationToken)
    {
        var message = new Message<byte[], byte[]> { Key = key!, Value = value!, Headers = headers };
        return _producer.ProduceAsync(partition, message, cancellationToken);
    }

    /// <summary>The broker's view of <paramref name="topic"/>'s partition count, or 0 when the topic does not exist.</summary>
    /// <remarks>Asks for every topic's metadata: a request naming one topic may auto-create it on brokers that allow that.</remarks>
    public int PartitionCount(string topic, TimeSpan timeout)
    {
        using var admin = new DependentAdminClientBuilder(_producer.Handle).Build();
        var metadata = admin.GetMetadata(timeout).Topics.FirstOrDefault(t => t.Topic == topic);
        return metadata is null || metadata.Error.IsError ? 0 : metadata.Partitions.Count;
    }

    public void Dispose()
    {
        try
        {
            var pending = _producer.Flush(FlushTimeout);
            if (pending > 0)
            {
                LogUnflushed(pending);
            }
        }
        finally
        {
            _producer.Dispose();
        }
    }

    private void OnLog(LogMessage message)
        => LogLibrdkafka(LibrdkafkaLogLevels.Of(message.Level), message.Facility, message.Message);

    [LoggerMessage(Message = "librdkafka producer {Facility}: {Message}")]
    private partial void LogLibrdkafka(LogLevel level, string facility, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producer error {ErrorCode} (fatal: {IsFatal}): {Reason}")]
    private partial void LogProducerError(ErrorCode errorCode, string reason, bool isFatal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pending} produced records were not acknowledged before shutdown")]
    private partial void LogUnflushed(int pending);
}
