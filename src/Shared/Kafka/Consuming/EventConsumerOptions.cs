using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>Tuning of one consumer engine (configuration section <c>Kafka:Consumers:&lt;name&gt;</c>).</summary>
public sealed class EventConsumerOptions
{
    /// <summary>Most events handed to a handler at once.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>How long a partial batch waits for more events before it is handled.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Queued records per partition at which fetching that partition pauses (backpressure).</summary>
    [Range(1, 1_000_000)]
    public int PartitionQueueHighWatermark { get; set; } = 5_000;

    /// <summary>Queued records per partition at which a backpressure pause is lifted.</summary>
    [Range(0, 1_000_000)]
    public int PartitionQueueLowWatermark { get; set; } = 1_000;

    /// <summary>
    /// Bytes (keys and values) a partition may hold, queued or being handled, before fetching it pauses; it resumes at
    /// half. A batch takes at most half of it (at least one record). Bounds memory when records are large (1 MiB each:
    /// the record count alone would allow gigabytes).
    /// </summary>
    [Range(1_048_576, 4_294_967_296)]
    public long PartitionMaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Bound on one handler call; past it the call counts as a transient failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts for a failure of unknown kind before the event is isolated and dead-lettered.</summary>
    [Range(1, 100)]
    public int UnknownFailureMaxAttempts { get; set; } = 5;

    /// <summary>How long a revoked partition may finish its in-flight batch before it is abandoned (not committed).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RevokeDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long shutdown waits for in-flight batches before abandoning them (they are redelivered later).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    [Required]
    public RetryBackoffOptions Retry { get; set; } = new();
}
