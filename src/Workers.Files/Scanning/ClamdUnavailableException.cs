using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Files.Scanning;

/// <summary>
/// clamd cannot be reached or does not answer (refused, reset, connect timeout, not clamd at all): transient, so the
/// consumer engine pauses and retries instead of dead-lettering the upload.
/// </summary>
public sealed class ClamdUnavailableException : TransientDependencyException
{
    public ClamdUnavailableException() { }

    public ClamdUnavailableException(string message) : base(message) { }

    public ClamdUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
