using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Files.Scanning;

/// <summary>Checks the <see cref="ClamdOptions"/> that data annotations cannot: the endpoint, time spans and the stream limit.</summary>
public sealed class ClamdOptionsValidator : IValidateOptions<ClamdOptions>
{
    // clamd caps every size option at 4 GB (clamd.conf(5)), so a larger belief can never be right.
    private const long LargestStreamMaxLength = uint.MaxValue;

    public ValidateOptionsResult Validate(string? name, ClamdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.UnixSocket is { } unixSocket)
        {
            if (!Path.IsPathFullyQualified(unixSocket))
            {
                failures.Add($"{Key(nameof(ClamdOptions.UnixSocket))} must be an absolute path (got '{unixSocket}').");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add($"{Key(nameof(ClamdOptions.Host))} is required unless {Key(nameof(ClamdOptions.UnixSocket))} is set.");
        }

        RequirePositive(options.ConnectTimeout, nameof(ClamdOptions.ConnectTimeout), failures);
        RequirePositive(options.ScanTimeout, nameof(ClamdOptions.ScanTimeout), failures);
        RequirePositive(options.HealthCheckTimeout, nameof(ClamdOptions.HealthCheckTimeout), failures);
        if (options.VersionCacheDuration < TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(ClamdOptions.VersionCacheDuration))} must not be negative.");
        }

        if (options.MaxStreamLength is <= 0 or > LargestStreamMaxLength)
        {
            failures.Add($"{Key(nameof(ClamdOptions.MaxStreamLength))} must be between 1 and {LargestStreamMaxLength} bytes (got {options.MaxStreamLength}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(TimeSpan value, string setting, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Key(setting)} must be a positive time span (for example 00:00:05).");
        }
    }

    private static string Key(string property) => $"{ClamdOptions.SectionName}:{property}";
}
