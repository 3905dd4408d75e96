using System.Globalization;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Housekeeping.IndexUsage;

/// <summary>
/// index-usage-report: the seed's monitoring queries as a daily record — per QuikApp database and collection the
/// <c>$indexStats</c> of every index (those unused since the last restart listed apart), and where the profiler is on, the
/// slowest recent operations from <c>system.profile</c>. Stored in <c>QuikApp_analytics.index_usage_reports</c> under the
/// run id; job_runs gets the counts.
/// </summary>
/// <remarks>
/// Everything is read from the primary, as the seed's queries typed into mongosh would be. <c>$indexStats</c> and the
/// profiler are per node (a secondary serving the seed's secondaryPreferred reads has its own counters and its own
/// system.profile), so "unused" means unused on the primary since <c>accesses.since</c>; each entry records the host.
/// A database or collection that cannot be read (missing privileges: <c>$indexStats</c> needs clusterMonitor, the profiler
/// dbAdmin) is recorded with its error and the report goes on.
/// </remarks>
public sealed class IndexUsageReportJob(
    MongoCatalog catalog,
    IOptions<HousekeepingOptions> options,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "index-usage-report";

    /// <summary>Daily at 23:50 UTC, so the profiler window covers the day.</summary>
    public const string DefaultCron = "0 50 23 * * ?";

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var now = DateTime.UnixEpoch.AddMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

        var databases = new List<DatabaseUsage>();
        foreach (var role in Enum.GetValues<QuikAppDatabase>())
        {
            databases.Add(await ReadDatabaseAsync(catalog.Database(role), now, settings, cancellationToken));
        }

        var summary = IndexUsageReport.Build(context.RunId, now, databases);
        var reports = catalog.Collection<BsonDocument>(QuikAppDatabase.Analytics, IndexUsageReport.CollectionName);
        await reports.ReplaceOneAsync(
            new BsonDocument("_id", summary.Report["_id"]), summary.Report, new ReplaceOptions { IsUpsert = true }, cancellationToken);

        context.Add("databases", databases.Count);
        context.Add("collections", summary.Collections);
        context.Add("indexes", summary.Indexes);
        context.Add("unusedIndexes", summary.UnusedIndexes);
        context.Add("profiledDatabases", summary.ProfiledDatabases);
        context.Add("slowOps", summary.SlowOps);
        context.Add("errors", summary.Errors);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{summary.Indexes} indexes in {summary.Collections} collections, {summary.UnusedIndexes} unused since restart; {summary.SlowOps} slow operations from {summary.ProfiledDatabases} profiled databases; {summary.Errors} unreadable; report {context.RunId}");
        // A report in which nothing could be read (every collection and database refused, typically Unauthorized: the
        // role lacks indexStats / enableProfiler) is stored for the record, but the run failed: it must show in job_runs.
        return IndexUsageReport.NothingRead(databases)
            ? JobOutcome.Failed($"nothing could be read ({IndexUsageReport.FirstError(databases)}); check the workers' role (deploy/mongodb/init-replica-set.js): {message}")
            : JobOutcome.Succeeded(message);
    }

    private static async Task<DatabaseUsage> ReadDatabaseAsync(IMongoDatabase database, DateTime now, HousekeepingOptions settings, CancellationToken cancellationToken)
    {
        var name = database.DatabaseNamespace.DatabaseName;
        List<string> names;
        try
        {
            // Views have no indexes ($indexStats fails on them) and system.* collections are the server's.
            var listing = new ListCollectionNamesOptions { Filter = new BsonDocument("type", "collection") };
            using var cursor = await database.ListCollectionNamesAsync(listing, cancellationToken);
            names = [.. (await cursor.ToListAsync(cancellationToken)).Where(n => !n.StartsWith("system.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        }
        catch (MongoCommandException ex)
        {
            return new DatabaseUsage(name, [], null, [], Describe(ex));
        }

        var collections = new List<CollectionIndexStats>(names.Count);
        foreach (var collection in names)
        {
            try
            {
                using var stats = await database.GetCollection<BsonDocument>(collection)
                    .AggregateAsync<BsonDocument>(IndexUsageReport.IndexStatsPipeline(), cancellationToken: cancellationToken);
                collections.Add(new CollectionIndexStats(collection, await stats.ToListAsync(cancellationToken)));
            }
            catch (MongoCommandException ex)
            {
                collections.Add(new CollectionIndexStats(collection, [], Describe(ex)));
            }
        }

        ProfilingStatus profiling;
        try
        {
            // { profile: -1 } reads the level (reply field "was") without changing it.
            profiling = ProfilingStatus.From(await database.RunCommandAsync<BsonDocument>(
                new BsonDocument("profile", -1), MongoCatalog.Reads, cancellationToken));
        }
        catch (MongoCommandException ex)
        {
            return new DatabaseUsage(name, collections, null, [], $"profile: {Describe(ex)}");
        }

        if (!profiling.IsOn)
        {
            return new DatabaseUsage(name, collections, profiling, []);
        }

        try
        {
            var slowOps = await database.GetCollection<BsonDocument>("system.profile")
                .Find(IndexUsageReport.SlowOpsFilter(now, settings.SlowOpsWindow, profiling.SlowMs))
                .Sort(IndexUsageReport.SlowOpsSort)
                .Limit(settings.SlowOpsLimit)
                .ToListAsync(cancellationToken);
            return new DatabaseUsage(name, collections, profiling, slowOps);
        }
        catch (MongoCommandException ex)
        {
            return new DatabaseUsage(name, collections, profiling, [], $"system.profile: {Describe(ex)}");
        }
    }

    // The code name only: server messages can quote the command, and the report is widely read.
    private static string Describe(MongoCommandException ex) =>
        string.Create(CultureInfo.InvariantCulture, $"{ex.CodeName} ({ex.Code})");
}
