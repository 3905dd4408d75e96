using System.Globalization;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>
/// The workers' way into object storage: resolves a provider's store, reads originals under the untrusted-input rules,
/// builds derivative and quarantine locations and CDN URLs, and moves objects between providers.
/// </summary>
/// <remarks>
/// <see cref="OpenOriginalAsync"/> checks, in this order and before any byte is fetched: the provider is configured, the
/// bucket is in Storage:AllowedBuckets, the object exists (stat), its size is within the limit. Only then is it opened.
/// </remarks>
public sealed class ObjectStorage : IDisposable
{
    private const string DefaultContentType = "application/octet-stream";
    private readonly Dictionary<string, IObjectStore> _stores;

    /// <param name="stores">One store per enabled provider, by provider name; disposed with this instance when disposable.</param>
    public ObjectStorage(IReadOnlyDictionary<string, IObjectStore> stores, ObjectStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(options);
        _stores = new Dictionary<string, IObjectStore>(stores, StringComparer.OrdinalIgnoreCase);
        Options = options;
    }

    public ObjectStorageOptions Options { get; }

    /// <summary>Builds a store for every enabled provider in <paramref name="options"/> (<see cref="ObjectStoreFactory"/>).</summary>
    public static ObjectStorage Create(IOptions<ObjectStorageOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var stores = value.EnabledProviders().ToDictionary(
            provider => provider.Key,
            provider => ObjectStoreFactory.Create(provider.Key, provider.Value, services),
            StringComparer.OrdinalIgnoreCase);
        return new ObjectStorage(stores, value);
    }

    /// <summary>The store of <paramref name="provider"/>; an unconfigured provider is rejected (it came from a document, so the event is dead-lettered).</summary>
    public IObjectStore For(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return _stores.TryGetValue(provider, out var store)
            ? store
            : throw new ObjectLocationRejectedException(
                $"Refusing storage provider '{provider}': it is not configured (configured: {string.Join(", ", _stores.Keys.Order(StringComparer.Ordinal))}).");
    }

    /// <summary>Throws <see cref="ObjectLocationRejectedException"/> unless originals may be read from this location (Storage:AllowedBuckets).</summary>
    public void EnsureReadable(ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        For(location.Provider);
        if (!Options.AllowedBuckets.TryGetValue(location.Provider, out var allowed) || !allowed.Contains(location.Bucket, StringComparer.Ordinal))
        {
            throw new ObjectLocationRejectedException(
                location,
                $"bucket '{location.Bucket}' is not in {ObjectStorageOptions.Key(nameof(ObjectStorageOptions.AllowedBuckets), location.Provider.ToLowerInvariant())}.");
        }
    }

    /// <summary>
    /// Opens an original named by a document or event: allow-list, then stat, then size check, then open. A rejected,
    /// missing or oversized object is never fetched; the returned stream also stops at the limit should the object grow.
    /// </summary>
    /// <param name="maxBytes">A lower limit for this caller; Storage:MaxObjectBytes applies when null or larger.</param>
    /// <exception cref="ObjectLocationRejectedException">Provider not configured or bucket not allowed (permanent).</exception>
    /// <exception cref="ObjectNotFoundException">No such object (permanent).</exception>
    /// <exception cref="ObjectTooLargeException">Over the limit (permanent), with both sizes in the message.</exception>
    public async Task<OpenedObject> OpenOriginalAsync(ObjectLocation location, long? maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (maxBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "The limit must be at least 1 byte.");
        }

        EnsureReadable(location);
        var store = For(location.Provider);
        var limit = Math.Min(maxBytes ?? long.MaxValue, Options.MaxObjectBytes);

        var info = await store.StatAsync(location, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(location);
        if (info.Size > limit)
        {
            throw new ObjectTooLargeException(location, info.Size, limit);
        }

        var content = await store.OpenReadAsync(location, cancellationToken).ConfigureAwait(false);
        return new OpenedObject(location, info, new GuardedReadStream(content, location, limit));
    }

    /// <inheritdoc cref="ObjectStorageOptions.DerivativeLocation(Guid, Guid, string)"/>
    public ObjectLocation DerivativeLocation(Guid workspaceId, Guid fileId, string extension) =>
        Options.DerivativeLocation(workspaceId, fileId, extension);

    /// <inheritdoc cref="ObjectStorageOptions.DerivativeLocation(Guid, Guid, string, string)"/>
    public ObjectLocation DerivativeLocation(Guid workspaceId, Guid fileId, string variant, string extension) =>
        Options.DerivativeLocation(workspaceId, fileId, variant, extension);

    /// <inheritdoc cref="ObjectStorageOptions.QuarantineLocation"/>
    public ObjectLocation QuarantineLocation(ObjectLocation original) => Options.QuarantineLocation(original);

    /// <inheritdoc cref="ObjectStorageOptions.PublicUrl"/>
    public string PublicUrl(ObjectLocation location) => Options.PublicUrl(location);

    /// <summary>
    /// Moves an object, within one provider (its store's move) or across providers (read, write, delete; e.g. a GridFS original
    /// into an S3 quarantine bucket). Re-running after a crash is safe: a missing source with the target present is done.
    /// </summary>
    public async Task MoveAsync(ObjectLocation from, ObjectLocation to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var source = For(from.Provider);
        var target = For(to.Provider);
        if (ReferenceEquals(source, target))
        {
            await source.MoveAsync(from, to, cancellationToken).ConfigureAwait(false);
            return;
        }

        var info = await source.StatAsync(from, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            if (await target.StatAsync(to, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            throw new ObjectNotFoundException(from);
        }

        var content = await source.OpenReadAsync(from, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            await target.PutAsync(to, content, info.ContentType ?? DefaultContentType, cancellationToken).ConfigureAwait(false);
        }

        // The target is complete before the source goes: a crash here leaves two copies, never none.
        await source.DeleteAsync(from, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var store in _stores.Values.Distinct().OfType<IDisposable>())
        {
            store.Dispose();
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ObjectStorage({string.Join(", ", _stores.Keys.Order(StringComparer.Ordinal))})");
}
