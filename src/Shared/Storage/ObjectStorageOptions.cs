using System.Buffers;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>Object-storage settings, bound from the "Storage" section and validated at start (<see cref="ObjectStorageOptionsValidator"/>).</summary>
/// <remarks>
/// Provider names are what file documents carry in <c>storage.provider</c> (compared case-insensitively); bucket names are
/// compared exactly. With no provider configured, the embedded default applies: one local provider named "local" rooted at
/// <c>storage/</c> beside the worker's binaries (see <see cref="ApplyEmbeddedDefault"/>).
/// </remarks>
public sealed class ObjectStorageOptions
{
    public const string SectionName = "Storage";
    public const string EmbeddedProviderName = "local";
    public const long DefaultMaxObjectBytes = 256L * 1024 * 1024;

    private static readonly SearchValues<char> ExtensionChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");
    private static readonly SearchValues<char> VariantChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>Configured providers by name (s3, local, gridfs, or any name with an explicit Kind).</summary>
    public Dictionary<string, StorageProviderSettings> Providers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per provider, the buckets originals may be read from; a location anywhere else is rejected unread. Default: none.</summary>
    public Dictionary<string, List<string>> AllowedBuckets { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The largest original a worker downloads, in bytes; checked against the store's size before reading. Default 256 MiB.</summary>
    public long MaxObjectBytes { get; set; } = DefaultMaxObjectBytes;

    /// <summary>Where derivatives (thumbnails) are written. Default local / derivatives / thumbs.</summary>
    public StorageTarget Derivatives { get; set; } = new() { Provider = EmbeddedProviderName, Bucket = "derivatives", Prefix = "thumbs" };

    /// <summary>Base URL the CDN serves the derivatives bucket under, e.g. https://cdn.quikapp.dev/ (keys are appended). No default.</summary>
    public string? CdnBaseUrl { get; set; }

    /// <summary>Where housekeeping moves objects it quarantines. Default local / quarantine / quarantine.</summary>
    public StorageTarget Quarantine { get; set; } = new() { Provider = EmbeddedProviderName, Bucket = "quarantine", Prefix = "quarantine" };

    /// <summary>The configuration key of a setting under "Storage", for messages.</summary>
    public static string Key(params string[] path) => string.Join(':', [SectionName, .. path]);

    /// <summary>The embedded default: with nothing configured, one local provider under the worker's folder.</summary>
    public void ApplyEmbeddedDefault()
    {
        if (Providers.Count == 0)
        {
            Providers[EmbeddedProviderName] = new StorageProviderSettings { Root = "storage" };
        }
    }

    /// <summary>The enabled providers, each with its effective kind.</summary>
    public IEnumerable<KeyValuePair<string, StorageProviderSettings>> EnabledProviders() =>
        Providers.Where(provider => provider.Value.Enabled);

    /// <summary>The kind of the enabled provider <paramref name="provider"/>, or null when it is not configured (or disabled).</summary>
    public StorageProviderKind? KindOf(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (!Providers.TryGetValue(provider, out var settings) || !settings.Enabled)
        {
            return null;
        }

        var kind = settings.EffectiveKind(provider);
        return kind == StorageProviderKind.Unspecified ? null : kind;
    }

    /// <summary>
    /// Where the derivative of one file goes: <c>&lt;Derivatives:Prefix&gt;/&lt;workspaceId&gt;/&lt;fileId&gt;.&lt;extension&gt;</c>
    /// in the derivatives bucket, e.g. thumbs/0b9c…/5f1e….webp.
    /// </summary>
    /// <param name="extension">Letters and digits, with or without a leading dot; lowercased.</param>
    public ObjectLocation DerivativeLocation(Guid workspaceId, Guid fileId, string extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        var normalized = extension.TrimStart('.').ToLowerInvariant();
        if (normalized.Length is 0 or > 10 || normalized.AsSpan().ContainsAnyExcept(ExtensionChars))
        {
            throw new ArgumentException($"Derivative extension '{extension}' must be 1-10 letters or digits (e.g. webp).", nameof(extension));
        }

        var key = JoinKey(Derivatives.Prefix, workspaceId.ToString("D"), $"{fileId:D}.{normalized}");
        return new ObjectLocation(Derivatives.Provider, Derivatives.Bucket, key);
    }

    /// <summary>
    /// Where one of several derivatives of a file goes: <c>&lt;Derivatives:Prefix&gt;/&lt;workspaceId&gt;/&lt;fileId&gt;.&lt;variant&gt;.&lt;extension&gt;</c>,
    /// e.g. thumbs/0b9c…/5f1e….thumbnail.webp; the variant (a thumbnail size's name) keeps the keys of one file apart.
    /// </summary>
    /// <param name="variant">1-32 lowercase letters, digits and dashes, starting with a letter or digit.</param>
    /// <param name="extension">Letters and digits, with or without a leading dot; lowercased.</param>
    public ObjectLocation DerivativeLocation(Guid workspaceId, Guid fileId, string variant, string extension)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (variant.Length is 0 or > 32 || variant[0] == '-' || variant.AsSpan().ContainsAnyExcept(VariantChars))
        {
            throw new ArgumentException($"Derivative variant '{variant}' must be 1-32 lowercase letters, digits or dashes (e.g. thumbnail).", nameof(variant));
        }

        var single = DerivativeLocation(workspaceId, fileId, extension);
        var dot = single.Key.LastIndexOf('.');
        return single with { Key = $"{single.Key[..dot]}.{variant}{single.Key[dot..]}" };
    }

    /// <summary>
    /// Where housekeeping quarantines <paramref name="original"/>: <c>&lt;Quarantine:Prefix&gt;/&lt;provider&gt;/&lt;bucket&gt;/&lt;key&gt;</c>
    /// in the quarantine bucket, so objects from different buckets cannot collide and the origin stays readable.
    /// </summary>
    public ObjectLocation QuarantineLocation(ObjectLocation original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var key = JoinKey(Quarantine.Prefix, original.Provider.ToLowerInvariant(), original.Bucket, original.Key);
        return new ObjectLocation(Quarantine.Provider, Quarantine.Bucket, key);
    }

    /// <summary>
    /// The public URL of a derivative: <see cref="CdnBaseUrl"/> followed by the key, each segment percent-escaped
    /// (so spaces, '#', '?' and non-ASCII survive as data, and '/' still separates segments).
    /// </summary>
    /// <exception cref="InvalidOperationException">Storage:CdnBaseUrl is not configured.</exception>
    /// <exception cref="ArgumentException">The location is not in the derivatives bucket, which is all the CDN serves.</exception>
    public string PublicUrl(ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (string.IsNullOrWhiteSpace(CdnBaseUrl))
        {
            throw new InvalidOperationException($"{Key(nameof(CdnBaseUrl))} is not configured, so derivatives have no public URL.");
        }

        if (!string.Equals(location.Provider, Derivatives.Provider, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(location.Bucket, Derivatives.Bucket, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Only derivatives ({Derivatives.Provider}://{Derivatives.Bucket}) have CDN URLs, not {location}.", nameof(location));
        }

        var path = string.Join('/', location.Key.Split('/').Select(Uri.EscapeDataString));
        return $"{CdnBaseUrl.Trim().TrimEnd('/')}/{path}";
    }

    private static string JoinKey(string? prefix, params string[] segments)
    {
        var trimmed = (prefix ?? string.Empty).Trim('/');
        var rest = string.Join('/', segments);
        return trimmed.Length == 0 ? rest : $"{trimmed}/{rest}";
    }
}

/// <summary>One configured provider under <c>Storage:Providers:&lt;name&gt;</c>; which settings apply depends on its kind.</summary>
public sealed class StorageProviderSettings
{
    /// <summary>S3, Local or GridFs; may be left out when the provider is named s3, local or gridfs.</summary>
    public StorageProviderKind Kind { get; set; }

    /// <summary>False removes the provider without deleting its settings. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>S3: endpoint of an S3-compatible store (MinIO, s3rver), e.g. http://minio:9000. Either this or <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>S3: AWS region (e.g. us-east-1); with <see cref="ServiceUrl"/>, only the signing region.</summary>
    public string? Region { get; set; }

    /// <summary>S3: path-style addressing (http://host/bucket/key), which most S3-compatible stores need. Default false.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>S3: access key id; with <see cref="SecretKey"/>, or neither to use the default AWS credential chain.</summary>
    public string? AccessKey { get; set; }

    /// <summary>S3: secret access key (never logged).</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// S3: the SDK's default flexible checksums (CRC32 trailers on uploads, response validation). Default false: checksums only
    /// when an operation requires them, which S3-compatible stores understand; uploads stay covered by the SigV4 payload hash.
    /// </summary>
    public bool FlexibleChecksums { get; set; }

    /// <summary>Local: the root directory (buckets are its subdirectories); relative paths are under the worker's folder.</summary>
    public string? Root { get; set; }

    /// <summary>The configured kind, or the one the provider's name implies.</summary>
    public StorageProviderKind EffectiveKind(string providerName)
    {
        if (Kind != StorageProviderKind.Unspecified)
        {
            return Kind;
        }

        return providerName.ToLowerInvariant() switch
        {
            "s3" => StorageProviderKind.S3,
            "local" => StorageProviderKind.Local,
            "gridfs" => StorageProviderKind.GridFs,
            _ => StorageProviderKind.Unspecified,
        };
    }

    /// <summary>The local root as an absolute path (relative roots are resolved against the worker's folder).</summary>
    public string ResolvedRoot() => Path.GetFullPath(Root ?? string.Empty, AppContext.BaseDirectory);
}

/// <summary>A configured place to write to: provider, bucket and a key prefix (derivatives, quarantine).</summary>
public sealed class StorageTarget
{
    public string Provider { get; set; } = string.Empty;

    public string Bucket { get; set; } = string.Empty;

    /// <summary>Key prefix without leading or trailing '/', e.g. thumbs; empty puts keys at the bucket's top.</summary>
    public string Prefix { get; set; } = string.Empty;
}
