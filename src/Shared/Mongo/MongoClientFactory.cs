using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using MongoDB.Driver.Core.Configuration;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Builds the one <see cref="MongoClientSettings"/> and <see cref="IMongoClient"/> a worker process uses.</summary>
/// <remarks>
/// Defaults are the seed's client settings: w=majority with journal=true (an offset is committed only once its
/// effect is durable), readPreference primary (every read the fleet makes feeds a write or a watermark; the catalog
/// binds every handle to the primary as well, so a readPreference in the URL changes nothing), pool 5..20, a 10 s
/// server-selection budget, and appName "quikapp-workers/&lt;worker&gt;" so operators can tell the workers apart in
/// currentOp and the server log. <b>A setting the connection string states explicitly wins</b> (w, journal,
/// maxPoolSize, minPoolSize, serverSelectionTimeoutMS, appName): the URL is what an operator
/// changes per environment, the options are our defaults.
/// </remarks>
public static class MongoClientFactory
{
    public const string ApplicationNamePrefix = "quikapp-workers/";

    /// <summary>The application name a worker reports to MongoDB: "quikapp-workers/&lt;worker&gt;".</summary>
    public static string ApplicationNameFor(string workerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerName);
        return ApplicationNamePrefix + workerName;
    }

    /// <summary>Builds the client settings: the URL's own settings, plus QuikApp's defaults for whatever the URL leaves out.</summary>
    /// <exception cref="MongoConfigurationException">The connection string cannot be parsed.</exception>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
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

        // A majority write must not wait for ever while a majority is down (Mongo:WriteConcernTimeout).
        if (explicitInUrl.WTimeout is null && writeConcern.IsAcknowledged)
        {
            writeConcern = writeConcern.With(wTimeout: options.WriteConcernTimeout);
        }

        settings.WriteConcern = writeConcern;

        // The catalog binds every handle to the primary anyway; this makes the client's own default agree.
        settings.ReadPreference = ReadPreference.Primary;

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
