namespace QuikApp.Workers.Shared.Kafka.Embedded;

/// <summary>Thrown when the embedded Kafka cannot start or a librdkafka mock-cluster call fails.</summary>
public sealed class EmbeddedKafkaException : Exception
{
    public EmbeddedKafkaException()
    {
    }

    public EmbeddedKafkaException(string message)
        : base(message)
    {
    }

    public EmbeddedKafkaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
