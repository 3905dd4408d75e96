using System.Globalization;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>
/// A location from an event or document that this worker must not touch (provider not configured, bucket not in
/// Storage:AllowedBuckets, or a key that would leave its bucket): the event is dead-lettered with this reason and nothing is fetched.
/// </summary>
public sealed class ObjectLocationRejectedException : PermanentEventException
{
    public ObjectLocationRejectedException() { }

    public ObjectLocationRejectedException(string message) : base(message) { }

    public ObjectLocationRejectedException(string message, Exception innerException) : base(message, innerException) { }

    public ObjectLocationRejectedException(ObjectLocation location, string reason)
        : base($"Refusing object {location}: {reason}")
    {
        Location = location;
    }

    public ObjectLocation? Location { get; }
}

/// <summary>An object larger than the configured maximum (Storage:MaxObjectBytes or a caller's lower limit); it is not downloaded.</summary>
public sealed class ObjectTooLargeException : PermanentEventException
{
    public ObjectTooLargeException() { }

    public ObjectTooLargeException(string message) : base(message) { }

    public ObjectTooLargeException(string message, Exception innerException) : base(message, innerException) { }

    /// <param name="size">The object's size, or null when it grew past the limit while being read.</param>
    public ObjectTooLargeException(ObjectLocation location, long? size, long maxBytes)
        : base(size is { } known
            ? string.Create(CultureInfo.InvariantCulture, $"Object {location} is {known} bytes, over the limit of {maxBytes} bytes; it was not downloaded.")
            : string.Create(CultureInfo.InvariantCulture, $"Object {location} grew past the limit of {maxBytes} bytes while being read; reading stopped there."))
    {
        Location = location;
        Size = size;
        MaxBytes = maxBytes;
    }

    public ObjectLocation? Location { get; }

    public long? Size { get; }

    public long MaxBytes { get; }
}

/// <summary>The object (or its bucket) does not exist where a document says it does.</summary>
public sealed class ObjectNotFoundException : PermanentEventException
{
    public ObjectNotFoundException() { }

    public ObjectNotFoundException(string message) : base(message) { }

    public ObjectNotFoundException(string message, Exception innerException) : base(message, innerException) { }

    public ObjectNotFoundException(ObjectLocation location)
        : base($"Object {location} does not exist.")
    {
        Location = location;
    }

    public ObjectNotFoundException(ObjectLocation location, Exception innerException)
        : base($"Object {location} does not exist.", innerException)
    {
        Location = location;
    }

    public ObjectLocation? Location { get; }
}

/// <summary>The store refused access to this object (HTTP 403 AccessDenied): retrying will not change a bucket policy.</summary>
public sealed class ObjectAccessDeniedException : PermanentEventException
{
    public ObjectAccessDeniedException() { }

    public ObjectAccessDeniedException(string message) : base(message) { }

    public ObjectAccessDeniedException(string message, Exception innerException) : base(message, innerException) { }

    public ObjectAccessDeniedException(ObjectLocation location, string detail, Exception innerException)
        : base($"Access to object {location} was denied: {detail}", innerException)
    {
        Location = location;
    }

    public ObjectLocation? Location { get; }
}
