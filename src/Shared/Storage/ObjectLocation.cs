using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>Where an object lives: a configured storage provider (s3, local, gridfs, …), a bucket in it and a key in the bucket.</summary>
/// <remarks>
/// Locations built from events or file documents are untrusted input: nothing is read from one before
/// <see cref="ObjectStorage"/> has checked it against Storage:AllowedBuckets.
/// </remarks>
public sealed record ObjectLocation(string Provider, string Bucket, string Key)
{
    /// <summary>The location recorded in a file document's or event's <c>storage</c> (the region is a property of the provider's endpoint).</summary>
    public static ObjectLocation From(FileStorageLocation storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new ObjectLocation(storage.Provider, storage.Bucket, storage.Key);
    }

    public override string ToString() => $"{Provider}://{Bucket}/{Key}";
}
