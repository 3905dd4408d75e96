namespace QuikApp.Workers.Shared.Storage;

/// <summary>An original opened by <see cref="ObjectStorage.OpenOriginalAsync"/>: what the store said about it and its bytes (at most the limit).</summary>
public sealed class OpenedObject(ObjectLocation location, ObjectInfo info, Stream content) : IAsyncDisposable, IDisposable
{
    public ObjectLocation Location { get; } = location;

    /// <summary>The stat taken before opening, whose size passed the limit.</summary>
    public ObjectInfo Info { get; } = info;

    /// <summary>Forward-only; throws <see cref="ObjectTooLargeException"/> if the object turns out longer than the limit.</summary>
    public Stream Content { get; } = content;

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}
