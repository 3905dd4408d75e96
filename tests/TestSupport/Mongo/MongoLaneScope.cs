using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Testing.Mongo;

/// <summary>One test's slice of the <see cref="MongoTestLane"/>: the shared client and a database-name prefix no other test uses.</summary>
public sealed class MongoLaneScope
{
    private readonly string _connectionString;

    internal MongoLaneScope(IMongoClient client, string connectionString, string databasePrefix)
    {
        Client = client;
        _connectionString = connectionString;
        DatabasePrefix = databasePrefix;
    }

    /// <summary>The lane's client, built by <see cref="MongoClientFactory"/> (reads from the primary).</summary>
    public IMongoClient Client { get; }

    /// <summary>Prefix for every database this test touches, e.g. "qwt1a2b3c4d_7_"; the lane drops them at the end of the run.</summary>
    public string DatabasePrefix { get; }

    /// <summary>Options pointing at the lane, with every QuikApp database renamed into this test's prefix.</summary>
    public MongoOptions CreateOptions() => OptionsFor(_connectionString, DatabasePrefix);

    /// <summary>A catalog over this test's databases.</summary>
    public MongoCatalog CreateCatalog() => new(Client, CreateOptions());

    internal static MongoOptions OptionsFor(string connectionString, string databasePrefix) => new()
    {
        ConnectionString = connectionString,
        MessagesDatabase = databasePrefix + MongoCatalog.DefaultDatabaseNames.Messages,
        ModerationDatabase = databasePrefix + MongoCatalog.DefaultDatabaseNames.Moderation,
        MlDatabase = databasePrefix + MongoCatalog.DefaultDatabaseNames.Ml,
        SmartReplyDatabase = databasePrefix + MongoCatalog.DefaultDatabaseNames.SmartReply,
        FilesDatabase = databasePrefix + MongoCatalog.DefaultDatabaseNames.Files,
        AnalyticsDatabase = databasePrefix + MongoCatalog.DefaultDatabaseNames.Analytics,
    };
}
