using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Shared.Storage;

/// <summary>Fails start-up on storage settings that cannot work: unknown kinds, S3 without an endpoint, Local without a root, targets on unconfigured providers.</summary>
/// <remarks>Every message names the configuration key; secrets (Storage:Providers:*:SecretKey) are never echoed.</remarks>
public sealed partial class ObjectStorageOptionsValidator : IValidateOptions<ObjectStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, ObjectStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (!options.EnabledProviders().Any())
        {
            failures.Add($"{ObjectStorageOptions.Key(nameof(ObjectStorageOptions.Providers))} configures no enabled provider (S3, Local or GridFs).");
        }

        foreach (var (provider, settings) in options.EnabledProviders().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            ValidateProvider(provider, settings, failures);
        }

        if (options.MaxObjectBytes <= 0)
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{ObjectStorageOptions.Key(nameof(ObjectStorageOptions.MaxObjectBytes))} ({options.MaxObjectBytes}) must be at least 1 byte."));
        }

        foreach (var (provider, buckets) in options.AllowedBuckets.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var key = ObjectStorageOptions.Key(nameof(ObjectStorageOptions.AllowedBuckets), provider);
            if (options.KindOf(provider) is null)
            {
                failures.Add($"{key} names a provider that is not configured (configured: {Configured(options)}).");
            }

            if (buckets.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{key} contains an empty bucket name.");
            }
        }

        ValidateTarget(options, nameof(ObjectStorageOptions.Derivatives), options.Derivatives, failures);
        ValidateTarget(options, nameof(ObjectStorageOptions.Quarantine), options.Quarantine, failures);

        if (!string.IsNullOrWhiteSpace(options.CdnBaseUrl)
            && (!IsHttpUrl(options.CdnBaseUrl, out var cdn) || cdn.Query.Length > 0 || cdn.Fragment.Length > 0))
        {
            failures.Add(
                $"{ObjectStorageOptions.Key(nameof(ObjectStorageOptions.CdnBaseUrl))} '{options.CdnBaseUrl}' must be an absolute http(s) URL " +
                "without query or fragment (e.g. https://cdn.quikapp.dev/).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateProvider(string provider, StorageProviderSettings settings, List<string> failures)
    {
        string Key(string setting) => ObjectStorageOptions.Key(nameof(ObjectStorageOptions.Providers), provider, setting);

        if (!ProviderName().IsMatch(provider))
        {
            failures.Add($"{ObjectStorageOptions.Key(nameof(ObjectStorageOptions.Providers), provider)}: provider names are 1-32 letters, digits, '-' or '_'.");
        }

        switch (settings.EffectiveKind(provider))
        {
            case StorageProviderKind.Unspecified:
                failures.Add($"{Key(nameof(StorageProviderSettings.Kind))} is required (S3, Local or GridFs) for a provider not named s3, local or gridfs.");
                break;
            case StorageProviderKind.S3:
                ValidateS3(settings, Key, failures);
                break;
            case StorageProviderKind.Local:
                if (string.IsNullOrWhiteSpace(settings.Root))
                {
                    failures.Add($"{Key(nameof(StorageProviderSettings.Root))} is required: the directory whose subdirectories are the buckets.");
                }
                else if (settings.Root.AsSpan().IndexOfAny('\0', '\n') >= 0)
                {
                    failures.Add($"{Key(nameof(StorageProviderSettings.Root))} is not a usable path.");
                }

                break;
            case StorageProviderKind.GridFs:
                break;
            default:
                failures.Add($"{Key(nameof(StorageProviderSettings.Kind))} '{settings.Kind}' is not S3, Local or GridFs.");
                break;
        }
    }

    private static void ValidateS3(StorageProviderSettings settings, Func<string, string> key, List<string> failures)
    {
        var hasUrl = !string.IsNullOrWhiteSpace(settings.ServiceUrl);
        if (!hasUrl && string.IsNullOrWhiteSpace(settings.Region))
        {
            failures.Add(
                $"{key(nameof(StorageProviderSettings.ServiceUrl))} or {key(nameof(StorageProviderSettings.Region))} is required " +
                "(a region for AWS, a URL such as http://minio:9000 for an S3-compatible store).");
        }

        if (hasUrl && (!IsHttpUrl(settings.ServiceUrl!, out var url) || url.AbsolutePath != "/"))
        {
            failures.Add($"{key(nameof(StorageProviderSettings.ServiceUrl))} '{settings.ServiceUrl}' must be an absolute http(s) URL with no path (e.g. http://minio:9000).");
        }

        if (!string.IsNullOrWhiteSpace(settings.Region) && !RegionName().IsMatch(settings.Region))
        {
            failures.Add($"{key(nameof(StorageProviderSettings.Region))} '{settings.Region}' is not a region name (e.g. us-east-1).");
        }

        if (string.IsNullOrWhiteSpace(settings.AccessKey) != string.IsNullOrWhiteSpace(settings.SecretKey))
        {
            failures.Add(
                $"{key(nameof(StorageProviderSettings.AccessKey))} and {key(nameof(StorageProviderSettings.SecretKey))} go together: " +
                "set both, or neither to use the default AWS credential chain.");
        }
    }

    private static void ValidateTarget(ObjectStorageOptions options, string targetName, StorageTarget target, List<string> failures)
    {
        string Key(string setting) => ObjectStorageOptions.Key(targetName, setting);

        var kind = string.IsNullOrWhiteSpace(target.Provider) ? null : options.KindOf(target.Provider);
        if (kind is null)
        {
            failures.Add($"{Key(nameof(StorageTarget.Provider))} '{target.Provider}' is not a configured provider (configured: {Configured(options)}).");
        }
        else if (kind == StorageProviderKind.GridFs)
        {
            failures.Add($"{Key(nameof(StorageTarget.Provider))} '{target.Provider}' is GridFS, which only holds the file-service's originals; use an S3 or Local provider.");
        }

        if (string.IsNullOrWhiteSpace(target.Bucket))
        {
            failures.Add($"{Key(nameof(StorageTarget.Bucket))} is required.");
        }

        var prefix = target.Prefix ?? string.Empty;
        if (prefix.Split('/', StringSplitOptions.RemoveEmptyEntries).Any(segment => segment is "." or "..")
            || prefix.AsSpan().IndexOfAny('\\', '\0') >= 0)
        {
            failures.Add($"{Key(nameof(StorageTarget.Prefix))} '{prefix}' must be plain '/'-separated segments (no '.', '..', '\\').");
        }
    }

    private static bool IsHttpUrl(string value, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string Configured(ObjectStorageOptions options)
    {
        var names = options.EnabledProviders().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProviderName();

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
