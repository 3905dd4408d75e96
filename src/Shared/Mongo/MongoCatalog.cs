using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>One place naming every QuikApp database and collection, and handing out typed collections for them.</summary>
/// <remarks>
/// Names are also constants (<see cref="Collections"/>) because pipelines refer to collections by name
/// (<c>$lookup: { from: "users" }</c>). Database names are configurable (<see cref="MongoOptions"/>), collection names are not:
/// they are shared with the upstream services.
/// <para>
/// <b>Read preference is decided here, once: the primary.</b> Every read a worker makes feeds a write or a
/// watermark (a lease, an upsert guard, an incremental scan, a GridFS existence check before a delete), and a
/// secondary may lag without bound, so a read there can miss the worker's own last write or a write the watermark
/// has already passed. Every handle this catalog gives out (databases, collections, buckets) reads from the primary,
/// whatever the client's or the URL's default is. Stores take their handles from the catalog and set no read
/// preference of their own (a test holds the sources to that); docs/mongodb.md, "Read preference", is the table.
/// </para>
/// </remarks>
public sealed class MongoCatalog
{
    private readonly IMongoClient _client;
    private readonly MongoOptions _options;

    public MongoCatalog(IMongoClient client, MongoOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
    }

    /// <summary>The seed's database names, used as <see cref="MongoOptions"/> defaults.</summary>
    public static class DefaultDatabaseNames
    {
        public const string Messages = "QuikApp_messages";
        public const string Moderation = "QuikApp_moderation";
        public const string Ml = "QuikApp_ml";
        public const string SmartReply = "QuikApp_smartreply";
        public const string Files = "QuikApp_files";
        public const string Analytics = "QuikApp_analytics";
    }

    /// <summary>Collection names, shared with the upstream services and used in pipelines.</summary>
    public static class Collections
    {
        // QuikApp_messages (written by message-service)
        public const string Messages = "messages";
        public const string Reactions = "reactions";
        public const string ReadReceipts = "read_receipts";
        public const string Users = "users";

        // QuikApp_moderation
        public const string Reports = "reports";
        public const string AutoModResults = "auto_mod_results";
        public const string Policies = "policies";

        // QuikApp_ml
        public const string TrainingSets = "training_sets";
        public const string TrainingExamples = "training_examples";
        public const string Models = "models";

        // QuikApp_smartreply
        public const string ReplyPairs = "reply_pairs";

        // QuikApp_files
        public const string Files = "files";
        public const string TempUploads = "temp_uploads";

        // QuikApp_analytics
        public const string DailyMessageStats = "daily_message_stats";
        public const string ModerationDaily = "moderation_daily";
        public const string JobRuns = "job_runs";
        public const string Locks = "locks";
        public const string JobState = "job_state";
    }

    /// <summary>GridFS bucket names (the bucket stores <c>&lt;name&gt;.files</c> and <c>&lt;name&gt;.chunks</c>).</summary>
    public static class GridFsBuckets
    {
        public const string Files = "fs";

        /// <summary>Trained model zips in the ML database, one file per model, its id the model's registry id.</summary>
        public const string Models = "models";
    }

    /// <summary>Every collection the catalog knows, with the database it lives in.</summary>
    public static IReadOnlyList<MongoCollectionRef> KnownCollections { get; } =
    [
        new(QuikAppDatabase.Messages, Collections.Messages),
        new(QuikAppDatabase.Messages, Collections.Reactions),
        new(QuikAppDatabase.Messages, Collections.ReadReceipts),
        new(QuikAppDatabase.Messages, Collections.Users),
        new(QuikAppDatabase.Moderation, Collections.Reports),
        new(QuikAppDatabase.Moderation, Collections.AutoModResults),
        new(QuikAppDatabase.Moderation, Collections.Policies),
        new(QuikAppDatabase.Ml, Collections.TrainingSets),
        new(QuikAppDatabase.Ml, Collections.TrainingExamples),
        new(QuikAppDatabase.Ml, Collections.Models),
        new(QuikAppDatabase.SmartReply, Collections.ReplyPairs),
        new(QuikAppDatabase.Files, Collections.Files),
        new(QuikAppDatabase.Files, Collections.TempUploads),
        new(QuikAppDatabase.Analytics, Collections.DailyMessageStats),
        new(QuikAppDatabase.Analytics, Collections.ModerationDaily),
        new(QuikAppDatabase.Analytics, Collections.JobRuns),
        new(QuikAppDatabase.Analytics, Collections.Locks),
        new(QuikAppDatabase.Analytics, Collections.JobState),
    ];

    public IMongoCollection<BsonDocument> Messages => Collection<BsonDocument>(QuikAppDatabase.Messages, Collections.Messages);

    public IMongoCollection<BsonDocument> Reactions => Collection<BsonDocument>(QuikAppDatabase.Messages, Collections.Reactions);

    public IMongoCollection<BsonDocument> ReadReceipts => Collection<BsonDocument>(QuikAppDatabase.Messages, Collections.ReadReceipts);

    public IMongoCollection<BsonDocument> Users => Collection<BsonDocument>(QuikAppDatabase.Messages, Collections.Users);

    public IMongoCollection<BsonDocument> Reports => Collection<BsonDocument>(QuikAppDatabase.Moderation, Collections.Reports);

    public IMongoCollection<BsonDocument> AutoModResults => Collection<BsonDocument>(QuikAppDatabase.Moderation, Collections.AutoModResults);

    public IMongoCollection<BsonDocument> Policies => Collection<BsonDocument>(QuikAppDatabase.Moderation, Collections.Policies);

    public IMongoCollection<BsonDocument> TrainingSets => Collection<BsonDocument>(QuikAppDatabase.Ml, Collections.TrainingSets);

    public IMongoCollection<BsonDocument> TrainingExamples => Collection<BsonDocument>(QuikAppDatabase.Ml, Collections.TrainingExamples);

    public IMongoCollection<BsonDocument> Models => Collection<BsonDocument>(QuikAppDatabase.Ml, Collections.Models);

    public IMongoCollection<BsonDocument> ReplyPairs => Collection<BsonDocument>(QuikAppDatabase.SmartReply, Collections.ReplyPairs);

    public IMongoCollection<BsonDocument> Files => Collection<BsonDocument>(QuikAppDatabase.Files, Collections.Files);

    public IMongoCollection<BsonDocument> TempUploads => Collection<BsonDocument>(QuikAppDatabase.Files, Collections.TempUploads);

    public IMongoCollection<BsonDocument> DailyMessageStats => Collection<BsonDocument>(QuikAppDatabase.Analytics, Collections.DailyMessageStats);

    public IMongoCollection<BsonDocument> ModerationDaily => Collection<BsonDocument>(QuikAppDatabase.Analytics, Collections.ModerationDaily);

    public IMongoCollection<BsonDocument> JobRuns => Collection<BsonDocument>(QuikAppDatabase.Analytics, Collections.JobRuns);

    public IMongoCollection<BsonDocument> Locks => Collection<BsonDocument>(QuikAppDatabase.Analytics, Collections.Locks);

    public IMongoCollection<BsonDocument> JobState => Collection<BsonDocument>(QuikAppDatabase.Analytics, Collections.JobState);

    /// <summary>The configured name of <paramref name="database"/>.</summary>
    public string DatabaseName(QuikAppDatabase database) => _options.DatabaseName(database);

    /// <summary>The read preference of every handle the catalog gives out (see the remarks).</summary>
    public static ReadPreference Reads { get; } = ReadPreference.Primary;

    /// <summary>The database handle, reading from the primary (no I/O: the driver connects on first operation).</summary>
    /// <remarks>Commands take their read preference as an argument: pass <see cref="Reads"/> (the driver's default for commands is the primary too).</remarks>
    public IMongoDatabase Database(QuikAppDatabase database) =>
        _client.GetDatabase(DatabaseName(database)).WithReadPreference(Reads);

    /// <summary>A typed collection in one of QuikApp's databases, reading from the primary.</summary>
    public IMongoCollection<TDocument> Collection<TDocument>(QuikAppDatabase database, string collectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(collectionName);
        return Database(database).GetCollection<TDocument>(collectionName);
    }

    /// <summary>The GridFS bucket the file-service stores file bodies in, reading from the primary.</summary>
    public IGridFSBucket FilesBucket() =>
        new GridFSBucket(Database(QuikAppDatabase.Files), new GridFSBucketOptions { BucketName = GridFsBuckets.Files, ReadPreference = Reads });

    /// <summary>
    /// A GridFS bucket in the files database by name (<c>&lt;name&gt;.files</c>, <c>&lt;name&gt;.chunks</c>), accepting ids of any
    /// BSON type, reading from the primary: a worker reads a file right after the event announcing its upload, before a
    /// secondary may have it.
    /// </summary>
    public IGridFSBucket<BsonValue> GridFsBucket(string bucketName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);
        return new GridFSBucket<BsonValue>(
            Database(QuikAppDatabase.Files),
            new GridFSBucketOptions { BucketName = bucketName, ReadPreference = Reads });
    }

    /// <summary>
    /// The GridFS bucket holding trained model zips, reading from the primary (an existence check there guards a
    /// delete). Ids are strings (the model's registry id), so a model's file is found, and its upload skipped, by
    /// content hash.
    /// </summary>
    public IGridFSBucket<string> ModelsBucket() =>
        new GridFSBucket<string>(Database(QuikAppDatabase.Ml), new GridFSBucketOptions { BucketName = GridFsBuckets.Models, ReadPreference = Reads });
}

/// <summary>A collection identified by its database role and name.</summary>
public readonly record struct MongoCollectionRef(QuikAppDatabase Database, string Collection);
