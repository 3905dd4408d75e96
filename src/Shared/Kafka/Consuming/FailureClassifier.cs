using System.Net.Sockets;
using Confluent.Kafka;
using MongoDB.Driver;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>How the engine treats a handler failure.</summary>
public enum FailureKind
{
    /// <summary>A dependency is down or slow: pause the partition and retry with backoff, never dead-letter.</summary>
    Transient,

    /// <summary>The input can never succeed: isolate the event and dead-letter it.</summary>
    Permanent,

    /// <summary>Not known to be either: retry a bounded number of times, then treat as permanent.</summary>
    Unknown,
}

/// <summary>
/// Thrown by a handler (or the code below it) when an event can never be processed, whatever is retried:
/// the engine dead-letters the event with this message as the reason.
/// </summary>
public class PermanentEventException : Exception
{
    public PermanentEventException() { }

    public PermanentEventException(string message) : base(message) { }

    public PermanentEventException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Thrown when a dependency is unavailable (clamd down, object storage failing): the engine pauses the
/// partition and retries, however long it takes.
/// </summary>
public class TransientDependencyException : Exception
{
    public TransientDependencyException() { }

    public TransientDependencyException(string message) : base(message) { }

    public TransientDependencyException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Decides whether a handler failure is transient, permanent or unknown.</summary>
public interface IFailureClassifier
{
    FailureKind Classify(Exception exception);
}

/// <summary>
/// The fleet's default classification: infrastructure failures (network, timeouts, MongoDB connectivity,
/// write-concern and primary elections, Kafka) are transient; explicit <see cref="PermanentEventException"/>
/// and input-shape errors are permanent; anything else is unknown.
/// </summary>
public sealed class DefaultFailureClassifier : IFailureClassifier
{
    public FailureKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            PermanentEventException => FailureKind.Permanent,
            TransientDependencyException => FailureKind.Transient,
            AggregateException { InnerExceptions.Count: > 0 } aggregate => ClassifyAll(aggregate.InnerExceptions),
            TimeoutException or SocketException or IOException or HttpRequestException => FailureKind.Transient,
            OperationCanceledException => FailureKind.Transient,
            MongoConnectionException or MongoExecutionTimeoutException or MongoWriteConcernException
                or MongoNotPrimaryException or MongoNodeIsRecoveringException or MongoWaitQueueFullException
                => FailureKind.Transient,
            // A bulk write the primary applied but a majority did not confirm in time (wtimeout, a stepdown): the writes are
            // idempotent, so the batch is retried; it must not count towards dead-lettering healthy events.
            MongoBulkWriteException { WriteConcernError: not null } => FailureKind.Transient,
            MongoException mongo when mongo.HasErrorLabel("RetryableWriteError")
                || mongo.HasErrorLabel("TransientTransactionError") => FailureKind.Transient,
            KafkaException kafka when !kafka.Error.IsFatal => FailureKind.Transient,
            // Programming errors (ArgumentException, NullReferenceException, ...) stay Unknown on purpose: a bug
            // must not dead-letter a stream of healthy events without first being retried.
            FormatException or System.Text.Json.JsonException => FailureKind.Permanent,
            _ when exception.InnerException is not null => Classify(exception.InnerException),
            _ => FailureKind.Unknown,
        };
    }

    private FailureKind ClassifyAll(IEnumerable<Exception> exceptions)
    {
        // One transient cause is enough to retry: the batch may well succeed once the dependency is back.
        var kinds = exceptions.Select(Classify).ToList();
        return kinds.Contains(FailureKind.Transient) ? FailureKind.Transient
            : kinds.Contains(FailureKind.Unknown) ? FailureKind.Unknown
            : FailureKind.Permanent;
    }
}
