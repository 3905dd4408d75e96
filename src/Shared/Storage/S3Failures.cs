using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>Translates AWS SDK failures into what the consumer engine acts on: transient (pause and retry) or permanent (dead-letter).</summary>
internal static class S3Failures
{
    // Codes that mean "try again later" whatever the status says.
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestTimeout", "RequestTimeTooSkewed",
        "InternalError", "ServiceUnavailable", "OperationAborted",
    };

    // A 403 with these codes is about this worker's credentials, not the object: every event would fail the same way, so
    // dead-lettering would empty the topic into the DLQ. Retrying lets operators fix the keys (or the clock) first.
    private static readonly HashSet<string> CredentialCodes = new(StringComparer.Ordinal)
    {
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "TokenRefreshRequired", "InvalidToken", "RequestTimeTooSkewed",
    };

    /// <summary>The exception to throw instead of <paramref name="exception"/>, or null to let it through unchanged (classified as unknown).</summary>
    public static Exception? Translate(Exception exception, ObjectLocation location, string operation)
    {
        switch (exception)
        {
            case AmazonServiceException service when service.StatusCode == HttpStatusCode.NotFound:
                return new ObjectNotFoundException(location, service);
            case AmazonServiceException service when service.StatusCode == HttpStatusCode.Forbidden:
                return service.ErrorCode is { } code && CredentialCodes.Contains(code)
                    ? new TransientDependencyException($"S3 rejected this worker's credentials ({code}) on {operation} of {location}.", service)
                    : new ObjectAccessDeniedException(location, $"S3 answered 403 ({service.ErrorCode ?? "no error code"}) to {operation}.", service);
            case AmazonServiceException service when IsTransient(service):
                return new TransientDependencyException(
                    $"S3 {operation} of {location} failed with {(int)service.StatusCode} {service.ErrorCode}; retrying later.", service);
            case AmazonServiceException or AmazonClientException when IsNetwork(exception.InnerException):
            case HttpRequestException or IOException or SocketException or TimeoutException or TaskCanceledException:
                return new TransientDependencyException($"S3 {operation} of {location} failed: {exception.Message}", exception);
            default:
                return null;
        }
    }

    private static bool IsTransient(AmazonServiceException exception) =>
        (int)exception.StatusCode >= 500
        || exception.StatusCode == HttpStatusCode.TooManyRequests
        || exception.StatusCode == HttpStatusCode.RequestTimeout
        || exception.ErrorCode is { } code && TransientCodes.Contains(code)
        || exception.StatusCode == 0 && exception.InnerException is not null && IsNetwork(exception.InnerException);

    private static bool IsNetwork(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException or IOException or SocketException or TimeoutException or TaskCanceledException)
            {
                return true;
            }
        }

        return false;
    }
}
