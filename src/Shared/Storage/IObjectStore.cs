namespace QuikApp.Workers.Shared.Storage;

/// <summary>One storage provider's objects (S3, a local directory, GridFS): stat, read, write, delete and move by location.</summary>
/// <remarks>
/// Stores do not check Storage:AllowedBuckets or sizes; <see cref="ObjectStorage"/> does, before calling them. Failures a retry can
/// cure (network, 5xx, throttling, timeouts) surface as <see cref="Kafka.Consuming.TransientDependencyException"/>; a missing or
/// forbidden object as <see cref="ObjectNotFoundException"/> or <see cref="ObjectAccessDeniedException"/> (both permanent).
/// </remarks>
public interface IObjectStore
{
    /// <summary>Size, content type and last modification of the object, or null when there is no such object (or bucket).</summary>
    Task<ObjectInfo?> StatAsync(ObjectLocation location, CancellationToken cancellationToken);

    /// <summary>Opens the object for reading; the caller disposes the stream. Throws <see cref="ObjectNotFoundException"/> when missing.</summary>
    Task<Stream> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken);

    /// <summary>Writes (or replaces) the object with the whole of <paramref name="content"/>; readers never see a partial object.</summary>
    Task PutAsync(ObjectLocation location, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Deletes the object: true when it existed, false when it was already absent (so re-running is harmless).</summary>
    Task<bool> DeleteAsync(ObjectLocation location, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an object within this store (copy, then delete the source). Re-running after a crash is safe: a missing source
    /// with the target present counts as done; both missing throws <see cref="ObjectNotFoundException"/>.
    /// </summary>
    Task MoveAsync(ObjectLocation from, ObjectLocation to, CancellationToken cancellationToken);
}
