using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using MongoDB.Driver.Core.Configuration;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Builds the one <see cref="MongoClientSettings"/> and <see cref="IMongoClient"/> a worker process uses.</summary>
/// <remarks>
/// Defaults are the seed's client settings: w=majority with journal=true (an offset is committed only once its
/// effect is durable), readPreference from <see cref="MongoOptions.ReadPreference"/>, pool 5..20, a 10 s
/// server-selection budget, and appName "quikapp-workers/&lt;worker&gt;" so operators can tell the workers apart in
/// currentOp and the server log. <b>A setting the connection string states explicitly wins</b> (w, journal,
/// readPreference, maxPoolSize, minPoolSize, serverSelectionTimeoutMS, appName): the URL is what an operator
/// changes per environment, the options are our defaults.
/// </remarks>
public static class MongoClientFactory
{
    public const string ApplicationNamePrefix = "quikapp-workers/";

    /// <summary>The driver's read preference mode names, as the connection string spells them.</summary>
    public static IReadOnlyList<string> ReadPreferenceModeNames { get; } =
        ["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"];

    /// <summary>The application name a worker reports to MongoDB: "quikapp-workers/&lt;worker&gt;".</summary>
    public static string ApplicationNameFor(string workerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerName);
        return ApplicationNamePrefix + workerName;
    }

    /// <summary>Parses a read preference mode name (case-insensitive); numbers are refused.</summary>
    public static bool TryParseReadPreferenceMode(string? value, out ReadPreferenceMode mode)
    {
        mode = default;
        var match = ReadPreferenceModeNames.FirstOrDefault(name => string.Equals(name, value?.Trim(), StringComparison.OrdinalIgnoreCase));
        return match is not null && Enum.TryParse(match, ignoreCase: true, out mode);
    }

    /// <summary>Builds the client settings: the URL's own settings, plus QuikApp's defaults for whatever the URL leaves out.</summary>
    /// <exception cref="MongoConfigurationException">The connection string cannot be parsed.</exception>
    /// <exception cref="ArgumentException">A value is out of range, or <see cref="MongoOptions.ReadPreference"/> is not a mode.</exception>
    public static MongoClientSettings CreateSettings(MongoOptions options, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationName);

        var connectionString = options.ConnectionString.Trim();
        // ConnectionString's properties are null when the URL leaves an option out, which MongoUrl cannot tell
        // us (it reports the driver's own defaults, e.g. maxPoolSize 100). Neither parse touches the network:
        // mongodb+srv is resolved later, when the client starts monitoring.
        var explicitInUrl = new ConnectionString(connectionString);
        var settings = MongoClientSettings.FromConnectionString(connectionString);

        var writeConcern = settings.WriteConcern;
        if (explicitInUrl.W is null)
        {
            writeConcern = writeConcern.With(w: WriteConcern.WMajority.W);
        }

        // journal with w=0 is a contradiction the server refuses; only add it to acknowledged writes.
        if (explicitInUrl.Journal is null && writeConcern.IsAcknowledged)
        {
            writeConcern = writeConcern.With(journal: true);
        }

        settings.WriteConcern = writeConcern;

        if (explicitInUrl.ReadPreference is null)
        {
            if (!TryParseReadPreferenceMode(options.ReadPreference, out var mode))
            {
                throw new ArgumentException(
                    $"Mongo:ReadPreference '{options.ReadPreference}' is not one of {string.Join(", ", ReadPreferenceModeNames)}.",
                    nameof(options));
            }

            settings.ReadPreference = new ReadPreference(mode);
        }

        if (explicitInUrl.MaxPoolSize is null)
        {
            settings.MaxConnectionPoolSize = options.MaxPoolSize;
        }

        if (explicitInUrl.MinPoolSize is null)
        {
            settings.MinConnectionPoolSize = options.MinPoolSize;
        }

        if (explicitInUrl.ServerSelectionTimeout is null)
        {
            settings.ServerSelectionTimeout = options.ServerSelectionTimeout;
        }

        settings.ApplicationName = explicitInUrl.ApplicationName ?? applicationName;
        return settings;
    }

    /// <summary>Creates a client with <see cref="CreateSettings"/>; register it once per process (it owns the connection pools).</summary>
    /// <remarks>With a logger factory the driver logs through it (categories "MongoDB.*"; the driver redacts auth commands).</remarks>
    public static IMongoClient CreateClient(MongoOptions options, string applicationName, ILoggerFactory? loggerFactory = null)
    {
        StandardGuidSerialization.Register();
        var settings = CreateSettings(options, applicationName);
        if (loggerFactory is not null)
        {
            settings.LoggingSettings = new LoggingSettings(loggerFactory);
        }

        return new MongoClient(settings);
    }
}
