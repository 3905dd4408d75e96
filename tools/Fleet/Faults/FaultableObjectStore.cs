using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Fleet.Faults;

/// <summary>
/// Object storage that can be made to fail for a while, as a disk or an S3 endpoint does: every call throws an
/// <see cref="IOException"/> (transient for the consumer engine: the partition pauses and retries) until the time is up.
/// </summary>
internal sealed class FaultableObjectStore(IObjectStore inner, TimeProvider time) : IObjectStore
{
    private long _failingUntilTicks;

    public bool Failing => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _failingUntilTicks);

    /// <summary>Every call fails for <paramref name="duration"/> from now.</summary>
    public void FailFor(TimeSpan duration) => Interlocked.Exchange(ref _failingUntilTicks, (time.GetUtcNow() + duration).UtcTicks);

    public void Heal() => Interlocked.Exchange(ref _failingUntilTicks, 0);

    /// <summary>Wraps the local provider of a files worker's <see cref="ObjectStorage"/> in a faultable store; returns it for the faults to drive.</summary>
    public static FaultableObjectStore Install(IServiceCollection services, string storageRoot)
    {
        var store = new FaultableObjectStore(new LocalDirectoryObjectStore(storageRoot), TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton(provider => new ObjectStorage(
            new Dictionary<string, IObjectStore> { ["local"] = store }, provider.GetRequiredService<IOptions<ObjectStorageOptions>>().Value)));
        return store;
    }

    public Task<ObjectInfo?> StatAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return inner.StatAsync(location, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return inner.OpenReadAsync(location, cancellationToken);
    }

    public Task PutAsync(ObjectLocation location, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return inner.PutAsync(location, content, contentType, cancellationToken);
    }

    public Task<bool> DeleteAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return inner.DeleteAsync(location, cancellationToken);
    }

    public Task MoveAsync(ObjectLocation from, ObjectLocation to, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return inner.MoveAsync(from, to, cancellationToken);
    }

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new IOException("object storage is failing (injected fault)");
        }
    }
}
