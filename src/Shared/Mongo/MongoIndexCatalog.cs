using MongoDB.Bson;
using static QuikApp.Workers.Shared.Mongo.MongoCatalog;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Every index QuikApp declares, owner-tagged; later features add theirs to <see cref="All"/>.</summary>
/// <remarks>
/// Names: the seed creates its indexes without a name, so MongoDB named them by its default rule
/// (<see cref="MongoIndexDefinition.DefaultNameFor"/>). We use exactly those names, because an identical index under
/// another name is a conflict (code 85), not a match. Since 5.0 an index's identity is its keys, collation, partial
/// filter, unique and sparse, so an index differing in one of those may stand beside another on the same keys; the
/// client-deduplication index uses that to replace the seed's (see its declaration). The other exception is the seed's partial index on
/// { channelId: 1, createdAt: -1 }: its default name would collide with the full index on the same keys, so it gets
/// its own. MongoDB (4.6+ FCV, so 7.0) treats a partial and a non-partial index on the same keys as different indexes,
/// so both can exist under distinct names. The seed's <c>background: true</c> is not rendered: it is ignored since 4.2.
/// </remarks>
public static class MongoIndexCatalog
{
    private const string SeedMessages = "seed: messages indexes";

    /// <summary>
    /// TTL of <c>files.expiresAt</c>: 7 days after the date. A backstop only — expired-files claims a file up to 15 min
    /// before expiresAt and deletes its objects and then its document; the TTL monitor reaches a file only when the job
    /// has not run for days. The seed's 0 made the monitor race the job (and win for short-lived files).
    /// </summary>
    public const int FilesExpiryBackstopSeconds = 7 * 86_400;

    /// <summary>Name of the client-deduplication index (not the seed's <c>clientMessageId_1</c>, see its declaration).</summary>
    public const string ClientMessageIdIndexName = "clientMessageId_1_string";

    public static IReadOnlyList<MongoIndexDefinition> All { get; } =
    [
        // QuikApp_messages.messages (seed; built by message-service)
        Seed(QuikAppDatabase.Messages, Collections.Messages, Keys(("channelId", 1), ("createdAt", -1)), SeedMessages),
        Seed(QuikAppDatabase.Messages, Collections.Messages, Keys(("threadId", 1), ("createdAt", 1)), SeedMessages),
        Seed(QuikAppDatabase.Messages, Collections.Messages, Keys(("userId", 1), ("createdAt", -1)), SeedMessages),
        Seed(QuikAppDatabase.Messages, Collections.Messages, Keys(("workspaceId", 1), ("createdAt", -1)), SeedMessages),
        Seed(QuikAppDatabase.Messages, Collections.Messages, Keys(("mentions", 1), ("createdAt", -1)), SeedMessages),
        Seed(QuikAppDatabase.Messages, Collections.Messages, new BsonDocument("content", "text"), "seed: messages text search"),
        // Deviation from the seed (docs/mongodb.md): the seed's { unique: true, sparse: true } indexes explicit nulls, so
        // the second message written with clientMessageId: null is refused (E11000). Only string ids are deduplicated. Its own
        // name, so it can be built beside the seed's clientMessageId_1 (a different index since 5.0) before that is dropped.
        new()
        {
            Owner = IndexOwner.MessageService,
            Database = QuikAppDatabase.Messages,
            Collection = Collections.Messages,
            Name = ClientMessageIdIndexName,
            Keys = Keys(("clientMessageId", 1)),
            Unique = true,
            PartialFilterExpression = new BsonDocument("clientMessageId", new BsonDocument("$type", "string")),
            Purpose = "seed: client-side deduplication (string ids only; the seed's sparse index refuses a second explicit null)",
        },
        new()
        {
            Owner = IndexOwner.MessageService,
            Database = QuikAppDatabase.Messages,
            Collection = Collections.Messages,
            Name = "channelId_1_createdAt_-1_notDeleted",
            Keys = Keys(("channelId", 1), ("createdAt", -1)),
            PartialFilterExpression = new BsonDocument("deleted", false),
            Purpose = "seed: index optimization, partial index for undeleted messages",
        },

        // QuikApp_messages.reactions and read_receipts (seed; built by message-service)
        Seed(QuikAppDatabase.Messages, Collections.Reactions, Keys(("messageId", 1), ("emoji", 1)), "seed: reactions indexes"),
        Seed(QuikAppDatabase.Messages, Collections.Reactions, Keys(("userId", 1), ("messageId", 1)), "seed: reactions indexes") with { Unique = true },
        Seed(QuikAppDatabase.Messages, Collections.ReadReceipts, Keys(("channelId", 1), ("userId", 1)), "seed: read receipts indexes") with { Unique = true },
        Seed(QuikAppDatabase.Messages, Collections.ReadReceipts, Keys(("userId", 1)), "seed: read receipts indexes"),

        // QuikApp_files (seed; the files worker owns them)
        Owned(IndexOwner.Files, QuikAppDatabase.Files, Collections.Files, Keys(("fileId", 1)), "seed: file metadata indexes; one document per file (upserts by fileId)") with { Unique = true, Required = true },
        Owned(IndexOwner.Files, QuikAppDatabase.Files, Collections.Files, Keys(("workspaceId", 1), ("createdAt", -1)), "seed: file metadata indexes"),
        Owned(IndexOwner.Files, QuikAppDatabase.Files, Collections.Files, Keys(("uploadedBy", 1)), "seed: file metadata indexes"),
        // A backstop, not the expiry (docs/analytics.md, "Housekeeping"): the seed's expireAfterSeconds 0 let the TTL monitor
        // delete a document before expired-files had claimed it and deleted its stored objects, which then leaked. The
        // backstop is far beyond the job's horizon (15 min lead, every 10 min), so only an outage of days reaches it.
        Owned(IndexOwner.Files, QuikAppDatabase.Files, Collections.Files, Keys(("expiresAt", 1)), "expired-files: unclaimed files expiring soon; TTL only a backstop days after expiresAt") with
        {
            ExpireAfterSeconds = FilesExpiryBackstopSeconds,
        },
        Owned(IndexOwner.Files, QuikAppDatabase.Files, Collections.TempUploads, Keys(("createdAt", 1)), "seed: temp uploads live one day") with
        {
            ExpireAfterSeconds = 86_400,
        },

        // Worker-specific
        Owned(IndexOwner.Files, QuikAppDatabase.Files, Collections.Files, Keys(("virusScan.status", 1), ("createdAt", 1)), "files worker: stuck-pending scan sweeper"),
        // Partial: only files with a retry due (failed scans not yet given up) and outcomes not yet published are
        // indexed, so both stay small however many files are done.
        Owned(IndexOwner.Files, QuikAppDatabase.Files, Collections.Files, Keys(("processing.retryAfter", 1)), "files worker: failed scans due for a retry (sweeper)") with
        {
            PartialFilterExpression = new BsonDocument("processing.retryAfter", new BsonDocument("$exists", true)),
        },
        Owned(IndexOwner.Files, QuikAppDatabase.Files, Collections.Files, Keys(("processing.published", 1)), "files worker: outcomes written but not yet published (sweeper)") with
        {
            PartialFilterExpression = new BsonDocument("processing.published", false),
        },
        Owned(IndexOwner.Moderation, QuikAppDatabase.Moderation, Collections.AutoModResults, Keys(("messageId", 1)), "moderation worker: one result per message (idempotent upsert)") with
        {
            Unique = true,
            Required = true,
        },
        Owned(IndexOwner.Moderation, QuikAppDatabase.Moderation, Collections.Reports, Keys(("status", 1), ("reviewedAt", 1)), "moderation worker: review queue by status"),
        Owned(IndexOwner.Moderation, QuikAppDatabase.Ml, Collections.Models, Keys(("kind", 1), ("status", 1), ("promotedAt", -1)), "moderation learning: newest promoted model per kind"),
        Owned(IndexOwner.Moderation, QuikAppDatabase.Ml, Collections.TrainingExamples, Keys(("setId", 1)), "moderation learning: a training set's examples"),
        Owned(IndexOwner.Moderation, QuikAppDatabase.SmartReply, Collections.ReplyPairs, Keys(("messageIds", 1)), "smart replies: the pairs containing a message (edits, deletions)"),
        Owned(IndexOwner.Moderation, QuikAppDatabase.SmartReply, Collections.ReplyPairs, Keys(("builtAt", 1), ("_id", 1)), "smart replies: a snapshot's pairs, counted and exported in a stable order"),
        Owned(IndexOwner.Moderation, QuikAppDatabase.Ml, Collections.TrainingSets, Keys(("kind", 1), ("createdAt", -1)), "smart replies: the latest snapshots of a kind"),

        // Analytics worker (docs/analytics.md). $merge needs a unique index on exactly its `on` fields, and the output
        // collection must have it before the first $merge; the other three back the jobs' "since"/"per day" scans.
        Owned(IndexOwner.Analytics, QuikAppDatabase.Analytics, Collections.DailyMessageStats, Keys(("workspaceId", 1), ("date", 1)), "analytics: daily-message-stats $merge on { workspaceId, date }") with
        {
            Unique = true,
            Required = true,
        },
        // Same on fields, date first: $merge ignores key order, and moderation-daily clears a date range across workspaces.
        Owned(IndexOwner.Analytics, QuikAppDatabase.Analytics, Collections.ModerationDaily, Keys(("date", 1), ("workspaceId", 1)), "analytics: moderation-daily $merge on { workspaceId, date }") with
        {
            Unique = true,
            Required = true,
        },
        Owned(IndexOwner.Analytics, QuikAppDatabase.Messages, Collections.Messages, Keys(("updatedAt", 1)), "analytics: messages changed since the last run (daily-message-stats, unread-counts, counter-reconciliation)"),
        Owned(IndexOwner.Analytics, QuikAppDatabase.Moderation, Collections.AutoModResults, Keys(("processedAt", 1)), "analytics: moderation-daily, results processed per day"),
        Owned(IndexOwner.Analytics, QuikAppDatabase.Moderation, Collections.Reports, Keys(("createdAt", 1)), "analytics: moderation-daily, reports opened per day"),

        // Scheduling (every worker that schedules jobs); locks needs none beyond _id, which is always unique (so nothing to
        // require there).
        Owned(IndexOwner.Scheduling, QuikAppDatabase.Analytics, Collections.JobRuns, Keys(("job", 1), ("startedAt", -1)), "scheduling: a job's runs, latest first"),

        // TTL housekeeping (analytics worker). Partial, so each holds only the few documents its job looks for; the jobs'
        // queries carry the filter expression, which is what lets the planner use a partial index.
        Owned(IndexOwner.Housekeeping, QuikAppDatabase.Files, Collections.Files, Keys(("deletedAt", 1)), "housekeeping: expired-files, files soft-deleted past retention") with
        {
            PartialFilterExpression = new BsonDocument("deleted", true),
        },
        Owned(IndexOwner.Housekeeping, QuikAppDatabase.Files, Collections.Files, Keys(("housekeeping.dueAt", 1)), "housekeeping: expired-files, claimed files that are due") with
        {
            PartialFilterExpression = new BsonDocument("housekeeping.dueAt", new BsonDocument("$exists", true)),
        },
        Owned(IndexOwner.Housekeeping, QuikAppDatabase.Messages, Collections.Messages, Keys(("deletedAt", 1)), "housekeeping: message-retention, messages soft-deleted past retention") with
        {
            PartialFilterExpression = new BsonDocument("deleted", true),
        },
    ];

    /// <summary>The indexes the given owners build, in declaration order.</summary>
    public static IReadOnlyList<MongoIndexDefinition> OwnedBy(IEnumerable<IndexOwner> owners)
    {
        ArgumentNullException.ThrowIfNull(owners);
        var wanted = owners.ToHashSet();
        return All.Where(index => wanted.Contains(index.Owner)).ToList();
    }

    private static MongoIndexDefinition Seed(QuikAppDatabase database, string collection, BsonDocument keys, string purpose) =>
        Owned(IndexOwner.MessageService, database, collection, keys, purpose);

    private static MongoIndexDefinition Owned(IndexOwner owner, QuikAppDatabase database, string collection, BsonDocument keys, string purpose) => new()
    {
        Owner = owner,
        Database = database,
        Collection = collection,
        Name = MongoIndexDefinition.DefaultNameFor(keys),
        Keys = keys,
        Purpose = purpose,
    };

    private static BsonDocument Keys(params (string Field, int Direction)[] keys)
    {
        var document = new BsonDocument();
        foreach (var (field, direction) in keys)
        {
            document.Add(field, direction);
        }

        return document;
    }
}
