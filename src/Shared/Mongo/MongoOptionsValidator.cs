using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Checks the <see cref="MongoOptions"/> that data annotations cannot: URL syntax, effective pool sizes, database names.</summary>
/// <remarks>Every message names the configuration key and never contains the connection string or its password.</remarks>
public sealed class MongoOptionsValidator : IValidateOptions<MongoOptions>
{
    // Characters MongoDB refuses in database names on any platform (manual: "Restrictions on Database Names").
    private static readonly SearchValues<char> ForbiddenDatabaseNameChars = SearchValues.Create("/\\. \"$*<>:|?\0");

    public ValidateOptionsResult Validate(string? name, MongoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.MinPoolSize > options.MaxPoolSize)
        {
            failures.Add(
                $"{Key(nameof(MongoOptions.MinPoolSize))} ({options.MinPoolSize}) must not exceed " +
                $"{Key(nameof(MongoOptions.MaxPoolSize))} ({options.MaxPoolSize}).");
        }

        RequirePositive(options.ServerSelectionTimeout, nameof(MongoOptions.ServerSelectionTimeout), failures);
        RequirePositive(options.HealthCheckTimeout, nameof(MongoOptions.HealthCheckTimeout), failures);
        RequirePositive(options.WriteConcernTimeout, nameof(MongoOptions.WriteConcernTimeout), failures);
        RequirePositive(options.IndexBuildTimeout, nameof(MongoOptions.IndexBuildTimeout), failures);
        RequirePositive(options.RequiredIndexRetryInterval, nameof(MongoOptions.RequiredIndexRetryInterval), failures);
        if (options.IndexBuildTimeout.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{Key(nameof(MongoOptions.IndexBuildTimeout))} must be at most {TimeSpan.FromMilliseconds(int.MaxValue)} (maxTimeMS is a 32-bit count of milliseconds).");
        }

        if (options.IndexCommitQuorum is { Length: > 0 } quorum && !IsCommitQuorum(quorum))
        {
            failures.Add($"{Key(nameof(MongoOptions.IndexCommitQuorum))} '{quorum}' must be \"majority\", \"votingMembers\", a member count (0-50) or empty.");
        }

        foreach (var database in Enum.GetValues<QuikAppDatabase>())
        {
            var databaseName = options.DatabaseName(database);
            if (!string.IsNullOrEmpty(databaseName) && !IsValidDatabaseName(databaseName))
            {
                failures.Add(
                    $"{MongoOptions.DatabaseSettingKey(database)} '{databaseName}' is not a valid MongoDB database name " +
                    "(1-63 characters, none of / \\ . space \" $ * < > : | ?).");
            }
        }

        // Presence is the [Required] attribute's job; only parse what is there.
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            ValidateConnectionString(options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>"majority", "votingMembers" or a member count; other strings (replica-set tag names) are not used here.</summary>
    internal static bool IsCommitQuorum(string quorum) =>
        quorum is "majority" or "votingMembers"
        || (int.TryParse(quorum, NumberStyles.None, CultureInfo.InvariantCulture, out var members) && members <= 50);

    internal static bool IsValidDatabaseName(string databaseName) =>
        databaseName.Length is > 0 and < 64 && databaseName.AsSpan().IndexOfAny(ForbiddenDatabaseNameChars) < 0;

    /// <summary>Removes the connection string and any password in it from <paramref name="text"/>.</summary>
    internal static string Redact(string text, string connectionString)
    {
        var redacted = text.Replace(connectionString, "<Mongo:ConnectionString>", StringComparison.Ordinal);
        foreach (var secret in PasswordForms(connectionString))
        {
            redacted = redacted.Replace(secret, "***", StringComparison.Ordinal);
        }

        return redacted;
    }

    private static void ValidateConnectionString(MongoOptions options, List<string> failures)
    {
        var key = Key(nameof(MongoOptions.ConnectionString));
        var connectionString = options.ConnectionString.Trim();
        if (!connectionString.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{key} must be a mongodb:// or mongodb+srv:// URL.");
            return;
        }

        // Build exactly what the client factory builds, so anything the driver would refuse at first use
        // (bad option values, negative pool sizes in the URL) fails start-up instead.
        MongoClientSettings settings;
        try
        {
            settings = MongoClientFactory.CreateSettings(options, "quikapp-workers/validation");
        }
        catch (Exception ex) when (ex is MongoConfigurationException or ArgumentException or FormatException or OverflowException)
        {
            failures.Add($"{key} is not a valid MongoDB connection string: {Redact(ex.Message, options.ConnectionString)}");
            return;
        }

        if (settings.MinConnectionPoolSize > settings.MaxConnectionPoolSize)
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"The effective minimum pool size ({settings.MinConnectionPoolSize}) exceeds the maximum ({settings.MaxConnectionPoolSize}); " +
                $"check {Key(nameof(MongoOptions.MinPoolSize))}, {Key(nameof(MongoOptions.MaxPoolSize))} and the minPoolSize/maxPoolSize " +
                $"options in {key}, which win when present."));
        }
    }

    private static void RequirePositive(TimeSpan value, string setting, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Key(setting)} must be a positive time span (for example 00:00:10).");
        }
    }

    // The password as written (possibly percent-encoded) and decoded, so neither form can leak.
    private static IEnumerable<string> PasswordForms(string connectionString)
    {
        var schemeEnd = connectionString.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            yield break;
        }

        var afterScheme = connectionString[(schemeEnd + 3)..];
        var at = afterScheme.LastIndexOf('@');
        if (at < 0)
        {
            yield break;
        }

        var userInfo = afterScheme[..at];
        yield return userInfo;
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || colon == userInfo.Length - 1)
        {
            yield break;
        }

        var password = userInfo[(colon + 1)..];
        yield return password;
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(password);
        }
        catch (UriFormatException)
        {
            yield break;
        }

        if (decoded != password)
        {
            yield return decoded;
        }
    }

    private static string Key(string property) => $"{MongoOptions.SectionName}:{property}";
}
