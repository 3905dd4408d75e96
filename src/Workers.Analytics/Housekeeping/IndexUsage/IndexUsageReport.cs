using MongoDB.Bson;

namespace QuikApp.Workers.Analytics.Housekeeping.IndexUsage;

/// <summary>One collection's <c>$indexStats</c> documents, or why they could not be read.</summary>
internal sealed record CollectionIndexStats(string Collection, IReadOnlyList<BsonDocument> Stats, string? Error = null);

/// <summary>A database's profiler settings as <c>{ profile: -1 }</c> reports them (<c>was</c> is the current level).</summary>
internal sealed record ProfilingStatus(int Level, int SlowMs, double SampleRate)
{
    public bool IsOn => Level >= 1;

    /// <summary>Reads the reply of <c>{ profile: -1 }</c>: <c>{ was, slowms, sampleRate, ok }</c>.</summary>
    public static ProfilingStatus From(BsonDocument reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new ProfilingStatus(
            reply.GetValue("was", 0).ToInt32(),
            reply.GetValue("slowms", 100).ToInt32(),
            reply.GetValue("sampleRate", 1.0).ToDouble());
    }
}

/// <summary>What was read from one database: each collection's index stats, the profiler settings and the slowest profiled operations.</summary>
internal sealed record DatabaseUsage(
    string Database,
    IReadOnlyList<CollectionIndexStats> Collections,
    ProfilingStatus? Profiling,
    IReadOnlyList<BsonDocument> SlowOps,
    string? Error = null);

/// <summary>The assembled report and the numbers job_runs records of it.</summary>
internal sealed record IndexUsageSummary(BsonDocument Report, int Collections, int Indexes, int UnusedIndexes, int ProfiledDatabases, int SlowOps, int Errors);

/// <summary>
/// index-usage-report as pure logic: the seed's monitoring queries (<c>$indexStats</c>, and
/// <c>system.profile.find({ millis: { $gt: 100 } })</c>) rendered as queries, and their answers assembled into one report.
/// </summary>
internal static class IndexUsageReport
{
    public const string CollectionName = "index_usage_reports";

    /// <summary><c>[{ $indexStats: {} }]</c>, the seed's index-usage query.</summary>
    public static BsonDocument[] IndexStatsPipeline() => [new BsonDocument("$indexStats", new BsonDocument())];

    /// <summary>
    /// The seed's slow-query filter, bounded to the report's window: slower than the database's own slowms (the seed's 100)
    /// — at profiling level 2 the profiler records every operation — and recorded within <paramref name="window"/>.
    /// </summary>
    public static BsonDocument SlowOpsFilter(DateTime now, TimeSpan window, int slowMs) => new()
    {
        { "ts", new BsonDocument("$gte", now - window) },
        { "millis", new BsonDocument("$gt", slowMs) },
    };

    /// <summary>Slowest first (the seed sorts by ts; "the slowest N" needs millis).</summary>
    public static BsonDocument SlowOpsSort { get; } = new() { { "millis", -1 }, { "ts", -1 } };

    /// <summary>
    /// Unused since <c>accesses.since</c> (the last restart, index creation or collMod of the index): <c>accesses.ops</c> is 0.
    /// Never listed: the <c>_id</c> index (cannot be dropped), TTL indexes (the monitor's deletes are not counted as
    /// accesses, so a busy TTL index reads 0) and indexes still building.
    /// </summary>
    public static bool IsUnused(BsonDocument stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        if (NameOf(stat) == "_id_" || stat.GetValue("building", false).ToBoolean() || TtlOf(stat) is not null)
        {
            return false;
        }

        return stat.GetValue("accesses", BsonNull.Value) is BsonDocument accesses
            && accesses.GetValue("ops", BsonNull.Value) is { IsNumeric: true } ops
            && ops.ToInt64() == 0;
    }

    /// <summary>
    /// True when the run read nothing it was meant to: there was something to read (a database or collection) and every
    /// database failed, or every collection's <c>$indexStats</c> and every database's profiler status failed.
    /// </summary>
    public static bool NothingRead(IReadOnlyList<DatabaseUsage> databases)
    {
        ArgumentNullException.ThrowIfNull(databases);
        if (databases.Count == 0)
        {
            return false;
        }

        var anyIndexStats = databases.Any(database => database.Collections.Any(collection => collection.Error is null));
        var anyProfiling = databases.Any(database => database.Profiling is not null);
        return !anyIndexStats && !anyProfiling;
    }

    /// <summary>The first error recorded (database or collection), for the run's message.</summary>
    public static string FirstError(IReadOnlyList<DatabaseUsage> databases)
    {
        ArgumentNullException.ThrowIfNull(databases);
        return databases.Select(database => database.Error ?? database.Collections.Select(collection => collection.Error).FirstOrDefault(error => error is not null))
            .FirstOrDefault(error => error is not null) ?? "no error recorded";
    }

    /// <summary>Assembles the report stored in <c>QuikApp_analytics.index_usage_reports</c> (its <c>_id</c> is the run id).</summary>
    public static IndexUsageSummary Build(Guid runId, DateTime at, IReadOnlyList<DatabaseUsage> databases)
    {
        ArgumentNullException.ThrowIfNull(databases);
        int collections = 0, indexes = 0, unused = 0, profiled = 0, slowOps = 0, errors = 0;
        var databaseDocuments = new BsonArray();
        foreach (var database in databases)
        {
            var collectionDocuments = new BsonArray();
            var unusedDocuments = new BsonArray();
            errors += database.Error is null ? 0 : 1;
            foreach (var collection in database.Collections.OrderBy(c => c.Collection, StringComparer.Ordinal))
            {
                collections++;
                errors += collection.Error is null ? 0 : 1;
                var indexDocuments = new BsonArray();
                foreach (var stat in collection.Stats.OrderBy(s => NameOf(s), StringComparer.Ordinal))
                {
                    indexes++;
                    var isUnused = IsUnused(stat);
                    indexDocuments.Add(IndexEntry(stat, isUnused));
                    if (isUnused)
                    {
                        unused++;
                        unusedDocuments.Add(new BsonDocument
                        {
                            { "collection", collection.Collection },
                            { "name", NameOf(stat) ?? string.Empty },
                            { "key", stat.GetValue("key", new BsonDocument()) },
                            { "since", SinceOf(stat) },
                        });
                    }
                }

                var collectionDocument = new BsonDocument { { "name", collection.Collection }, { "indexes", indexDocuments } };
                AddError(collectionDocument, collection.Error);
                collectionDocuments.Add(collectionDocument);
            }

            if (database.Profiling is { IsOn: true })
            {
                profiled++;
            }

            slowOps += database.SlowOps.Count;
            var databaseDocument = new BsonDocument
            {
                { "name", database.Database },
                { "collections", collectionDocuments },
                { "unusedIndexes", unusedDocuments },
                {
                    "profiling", database.Profiling is { } p
                        ? new BsonDocument { { "level", p.Level }, { "slowms", p.SlowMs }, { "sampleRate", p.SampleRate } }
                        : BsonNull.Value
                },
                { "slowOps", new BsonArray(database.SlowOps.Select(SlowOp)) },
            };
            AddError(databaseDocument, database.Error);
            databaseDocuments.Add(databaseDocument);
        }

        var runIdValue = new BsonBinaryData(runId, GuidRepresentation.Standard);
        var report = new BsonDocument
        {
            { "_id", runIdValue },
            { "runId", runIdValue },
            { "at", at },
            {
                "totals", new BsonDocument
                {
                    { "collections", collections },
                    { "indexes", indexes },
                    { "unusedIndexes", unused },
                    { "profiledDatabases", profiled },
                    { "slowOps", slowOps },
                    { "errors", errors },
                }
            },
            { "databases", databaseDocuments },
        };
        return new IndexUsageSummary(report, collections, indexes, unused, profiled, slowOps, errors);
    }

    /// <summary>One profiled operation as recorded: when, what, where, how long, which plan — and the command's shape only.</summary>
    public static BsonDocument SlowOp(BsonDocument profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var op = new BsonDocument();
        foreach (var field in new[] { "ts", "op", "ns", "millis", "planSummary", "keysExamined", "docsExamined", "nreturned", "appName" })
        {
            if (profile.TryGetValue(field, out var value))
            {
                op.Add(field, value);
            }
        }

        if (profile.GetValue("command", BsonNull.Value) is BsonDocument command)
        {
            op.Add("command", QueryShape.Of(command));
        }

        return op;
    }

    private static BsonDocument IndexEntry(BsonDocument stat, bool unused)
    {
        var accesses = stat.GetValue("accesses", BsonNull.Value) as BsonDocument;
        var entry = new BsonDocument
        {
            { "name", NameOf(stat) ?? string.Empty },
            { "key", stat.GetValue("key", new BsonDocument()) },
            { "ops", accesses?.GetValue("ops", BsonNull.Value) ?? BsonNull.Value },
            { "since", SinceOf(stat) },
            { "host", stat.GetValue("host", BsonNull.Value) },
            { "unused", unused },
        };
        if (TtlOf(stat) is { } ttl)
        {
            entry.Add("expireAfterSeconds", ttl);
        }

        return entry;
    }

    private static void AddError(BsonDocument document, string? error)
    {
        if (error is not null)
        {
            document.Add("error", error);
        }
    }

    private static string? NameOf(BsonDocument stat) => stat.GetValue("name", BsonNull.Value) is BsonString name ? name.Value : null;

    private static BsonValue SinceOf(BsonDocument stat) =>
        stat.GetValue("accesses", BsonNull.Value) is BsonDocument accesses ? accesses.GetValue("since", BsonNull.Value) : BsonNull.Value;

    private static BsonValue? TtlOf(BsonDocument stat) =>
        stat.GetValue("spec", BsonNull.Value) is BsonDocument spec && spec.TryGetValue("expireAfterSeconds", out var ttl) ? ttl : null;
}
