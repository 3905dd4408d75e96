using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>MongoDB connection, pool and database-name settings, bound from the "Mongo" configuration section.</summary>
/// <remarks>
/// Defaults follow the seed design (docs/mongodb.md): pool 5..20, a 10 s server selection budget. There is no read
/// preference setting: every read the fleet makes feeds a write or a watermark, so <see cref="MongoCatalog"/> binds
/// every handle to the primary (docs/mongodb.md, "Read preference"). Anything the connection string sets explicitly wins over these (see <see cref="MongoClientFactory"/>).
/// Data annotations cover presence and ranges; <see cref="MongoOptionsValidator"/> covers what needs parsing.
/// </remarks>
public sealed class MongoOptions
{
    public const string SectionName = "Mongo";

    /// <summary>A mongodb:// or mongodb+srv:// URL. May carry credentials, so it is never logged or echoed.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Mongo:ConnectionString is required (a mongodb:// or mongodb+srv:// URL).")]
    public string ConnectionString { get; set; } = string.Empty;

    [Range(1, 10_000, ErrorMessage = "Mongo:MaxPoolSize must be between {1} and {2}.")]
    public int MaxPoolSize { get; set; } = 20;

    [Range(0, 10_000, ErrorMessage = "Mongo:MinPoolSize must be between {1} and {2}.")]
    public int MinPoolSize { get; set; } = 5;

    public TimeSpan ServerSelectionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an acknowledged write waits for its write concern (<c>wtimeout</c>) unless the URL sets <c>wtimeoutMS</c>.
    /// Without it a w:majority write waits for ever while a majority of voting members is down. Past it the write may
    /// still have been applied on the primary: every write of the fleet is idempotent, so it is retried as transient.
    /// Stores that must give up sooner (leases, job runs) bound their own writes tighter.
    /// </summary>
    public TimeSpan WriteConcernTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Budget for the readiness ping; short, so a probe never hangs behind server selection.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether a worker builds the indexes it owns at start-up (see <see cref="MongoIndexBootstrapService"/>).</summary>
    public bool EnsureIndexesOnStart { get; set; } = true;

    /// <summary>
    /// How long one index build may take at start-up (and in <c>ensure-indexes</c>): sent as createIndexes' maxTimeMS, so
    /// the server aborts a build that outlives it, and the bootstrap reports it as timed out instead of holding the worker's
    /// start without bound. Build large indexes out of band (docs/operations.md, "Index builds"). Default 2 minutes.
    /// </summary>
    public TimeSpan IndexBuildTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// createIndexes' commitQuorum: how many data-bearing members must finish a build before it commits. Default
    /// "majority", so one voting member down does not hold every build (the server default, "votingMembers", waits for all).
    /// Empty: not sent (a standalone server refuses the option).
    /// </summary>
    public string IndexCommitQuorum { get; set; } = "majority";

    /// <summary>How often a worker retries a required index that is missing or conflicting (it does not consume meanwhile). Default 30 s.</summary>
    public TimeSpan RequiredIndexRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mongo:MessagesDatabase is required.")]
    public string MessagesDatabase { get; set; } = MongoCatalog.DefaultDatabaseNames.Messages;

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mongo:ModerationDatabase is required.")]
    public string ModerationDatabase { get; set; } = MongoCatalog.DefaultDatabaseNames.Moderation;

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mongo:MlDatabase is required.")]
    public string MlDatabase { get; set; } = MongoCatalog.DefaultDatabaseNames.Ml;

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mongo:SmartReplyDatabase is required.")]
    public string SmartReplyDatabase { get; set; } = MongoCatalog.DefaultDatabaseNames.SmartReply;

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mongo:FilesDatabase is required.")]
    public string FilesDatabase { get; set; } = MongoCatalog.DefaultDatabaseNames.Files;

    [Required(AllowEmptyStrings = false, ErrorMessage = "Mongo:AnalyticsDatabase is required.")]
    public string AnalyticsDatabase { get; set; } = MongoCatalog.DefaultDatabaseNames.Analytics;

    /// <summary>The configured name of one of QuikApp's databases.</summary>
    public string DatabaseName(QuikAppDatabase database) => database switch
    {
        QuikAppDatabase.Messages => MessagesDatabase,
        QuikAppDatabase.Moderation => ModerationDatabase,
        QuikAppDatabase.Ml => MlDatabase,
        QuikAppDatabase.SmartReply => SmartReplyDatabase,
        QuikAppDatabase.Files => FilesDatabase,
        QuikAppDatabase.Analytics => AnalyticsDatabase,
        _ => throw new ArgumentOutOfRangeException(nameof(database), database, "Unknown QuikApp database."),
    };

    /// <summary>The configuration key of the setting that names <paramref name="database"/> (for error messages).</summary>
    public static string DatabaseSettingKey(QuikAppDatabase database) => $"{SectionName}:{database switch
    {
        QuikAppDatabase.Messages => nameof(MessagesDatabase),
        QuikAppDatabase.Moderation => nameof(ModerationDatabase),
        QuikAppDatabase.Ml => nameof(MlDatabase),
        QuikAppDatabase.SmartReply => nameof(SmartReplyDatabase),
        QuikAppDatabase.Files => nameof(FilesDatabase),
        QuikAppDatabase.Analytics => nameof(AnalyticsDatabase),
        _ => throw new ArgumentOutOfRangeException(nameof(database), database, "Unknown QuikApp database."),
    }}";
}
