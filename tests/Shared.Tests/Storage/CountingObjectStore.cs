using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Shared.Tests.Storage;

/// <summary>Wraps a real store and counts each call, so a specification can prove a store was never asked.</summary>
internal sealed class CountingObjectStore(IObjectStore inner) : IObjectStore, IDisposable
{
    public int Stats { get; private set; }

    public int Reads { get; private set; }

    public int Calls { get; private set; }

    public Task<ObjectInfo?> StatAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        Calls++;
        Stats++;
        return inner.StatAsync(location, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        Calls++;
        Reads++;
        return inner.OpenReadAsync(location, cancellationToken);
    }

    public Task PutAsync(ObjectLocation location, Stream content, string contentType, CancellationToken cancellationToken)
    {
        Calls++;
        return inner.PutAsync(location, content, contentType, cancellationToken);
    }

    public Task<bool> DeleteAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        Calls++;
        return inner.DeleteAsync(location, cancellationToken);
    }

    public Task MoveAsync(ObjectLocation from, ObjectLocation to, CancellationToken cancellationToken)
    {
        Calls++;
        return inner.MoveAsync(from, to, cancellationToken);
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
