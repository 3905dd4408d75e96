using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Analytics.Housekeeping.Files;

/// <summary>
/// The derivative keys the files worker may have written for one file: <c>&lt;prefix&gt;/&lt;workspaceId&gt;/&lt;fileId&gt;.&lt;ext&gt;</c>
/// (<see cref="ObjectStorageOptions.DerivativeLocation(Guid, Guid, string)"/>) and, per thumbnail size, <c>&lt;prefix&gt;/&lt;workspaceId&gt;/&lt;fileId&gt;.&lt;size&gt;.&lt;ext&gt;</c>.
/// </summary>
/// <remarks>
/// Both spellings are enumerated: deleting a key that was never written costs one request and returns false, while missing
/// one leaves an object nobody can find again. Both come from <see cref="ObjectStorageOptions"/>, the files worker's source.
/// </remarks>
internal sealed class DerivativeKeys
{
    private readonly ObjectStorageOptions _storage;
    private readonly IReadOnlyList<string> _variants;
    private readonly IReadOnlyList<string> _extensions;

    public DerivativeKeys(ObjectStorageOptions storage, IReadOnlyList<string> variants, IReadOnlyList<string> extensions)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(extensions);
        _storage = storage;
        _variants = variants;
        _extensions = [.. extensions.Select(extension => extension.TrimStart('.').ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
    }

    public static DerivativeKeys From(ObjectStorageOptions storage, HousekeepingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DerivativeKeys(storage, options.EffectiveDerivativeVariants, options.EffectiveDerivativeExtensions);
    }

    /// <summary>Every key the configuration says a derivative of this file may live under, single form first.</summary>
    public IReadOnlyList<ObjectLocation> For(Guid workspaceId, Guid fileId)
    {
        var locations = new List<ObjectLocation>();
        foreach (var extension in _extensions)
        {
            var single = _storage.DerivativeLocation(workspaceId, fileId, extension);
            locations.Add(single);
            locations.AddRange(_variants.Select(variant => _storage.DerivativeLocation(workspaceId, fileId, variant, extension)));
        }

        return locations;
    }

    /// <summary>
    /// True when <paramref name="location"/> is one of this file's derivatives: in the derivatives bucket, under
    /// <c>&lt;prefix&gt;/&lt;workspaceId&gt;/&lt;fileId&gt;.</c>, with no further path segment. A document's list of derivatives is
    /// untrusted: anything else it names is not this job's to delete.
    /// </summary>
    public bool IsDerivativeOf(ObjectLocation location, Guid workspaceId, Guid fileId)
    {
        ArgumentNullException.ThrowIfNull(location);
        var single = _storage.DerivativeLocation(workspaceId, fileId, "x");
        var stem = single.Key[..^1];
        return string.Equals(location.Provider, single.Provider, StringComparison.OrdinalIgnoreCase)
            && string.Equals(location.Bucket, single.Bucket, StringComparison.Ordinal)
            && location.Key.Length > stem.Length
            && location.Key.StartsWith(stem, StringComparison.Ordinal)
            && !location.Key.AsSpan(stem.Length).ContainsAny('/', '\\');
    }
}
