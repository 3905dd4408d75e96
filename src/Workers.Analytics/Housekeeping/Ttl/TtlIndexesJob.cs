using System.Globalization;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Housekeeping.Ttl;

/// <summary>
/// ttl-indexes: makes sure the contract's TTL indexes exist with the configured expiry — creates a missing one, fixes a
/// differing expiry (or a plain index on the field) in place with collMod, and reports what it found and changed.
/// </summary>
/// <remarks>
/// The index bootstrapper only reports <see cref="IndexConflictKind.TtlExpiryDiffers"/>; this job is where it gets fixed.
/// Conflicts collMod must not fix (a partial index on the field, the name taken by other keys) fail the run with the
/// reason, so they show in job_runs; nothing is ever dropped.
/// </remarks>
public sealed partial class TtlIndexesJob(
    MongoCatalog catalog,
    MongoIndexBootstrapper bootstrapper,
    IOptions<HousekeepingOptions> options) : IScheduledJob
{
    public const string Name = "ttl-indexes";

    /// <summary>Daily at 03:05 UTC.</summary>
    public const string DefaultCron = "0 5 3 * * ?";

    private const int NamespaceNotFound = 26;
    private const int Unauthorized = 13;

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var count in new[] { "checked", "created", "fixed", "conflicts" })
        {
            context.Add(count, 0);
        }

        var lines = new List<string>();
        var conflicts = 0;
        foreach (var declared in TtlIndexDrift.Targets(options.Value))
        {
            var database = catalog.Database(declared.Database);
            var ns = $"{catalog.DatabaseName(declared.Database)}.{declared.Collection}";
            var inspection = TtlIndexDrift.Inspect(declared, await ListIndexesAsync(database, declared.Collection, cancellationToken));
            context.Add("checked");

            switch (inspection.Finding)
            {
                case TtlIndexFinding.Matches:
                    LogMatches(context.Logger, ns, inspection.ExistingName!, inspection.DeclaredSeconds);
                    break;

                case TtlIndexFinding.Missing:
                    var report = await bootstrapper.EnsureAsync([declared], cancellationToken);
                    if (report.HasConflicts)
                    {
                        conflicts++;
                        context.Add("conflicts");
                        lines.Add($"{ns}: {report.Results.First(result => result.IsUnsatisfied).Detail}");
                    }
                    else
                    {
                        context.Add("created");
                        lines.Add($"{ns}: {inspection.Detail}");
                        LogCreated(context.Logger, ns, declared.Name, inspection.DeclaredSeconds);
                    }

                    break;

                case TtlIndexFinding.ExpiryDiffers or TtlIndexFinding.NotTtl:
                    try
                    {
                        await CollModAsync(database, declared.Collection, inspection, cancellationToken);
                    }
                    catch (MongoCommandException ex) when (ex.Code == Unauthorized)
                    {
                        // The role lacks collMod: the drift stays, and the run must say so rather than succeed.
                        conflicts++;
                        context.Add("conflicts");
                        var refused = $"{ns}: {inspection.Detail} refused: {ex.CodeName} ({ex.Code}), the workers' role needs collMod (deploy/mongodb/init-replica-set.js)";
                        lines.Add(refused);
                        LogConflict(context.Logger, ns, refused);
                        break;
                    }

                    context.Add("fixed");
                    lines.Add($"{ns}: {inspection.Detail}");
                    LogFixed(context.Logger, ns, inspection.Detail);
                    break;

                default:
                    conflicts++;
                    context.Add("conflicts");
                    lines.Add($"{ns}: {inspection.Detail}");
                    LogConflict(context.Logger, ns, inspection.Detail);
                    break;
            }
        }

        var message = lines.Count == 0 ? "every TTL index is present with its configured expiry" : string.Join("; ", lines);
        return conflicts > 0 ? JobOutcome.Failed(message) : JobOutcome.Succeeded(message);
    }

    private static async Task CollModAsync(IMongoDatabase database, string collection, TtlIndexInspection inspection, CancellationToken cancellationToken)
    {
        // runCommand sends the command as written, so the client's write concern is added by hand (as the bootstrapper does).
        var writeConcern = database.Settings.WriteConcern;
        var command = TtlIndexDrift.CollModCommand(
            collection, inspection.ExistingName!, inspection.DeclaredSeconds, writeConcern.IsServerDefault ? null : writeConcern.ToBsonDocument());
        var reply = await database.RunCommandAsync<BsonDocument>(command, MongoCatalog.Reads, cancellationToken);
        if (!TtlIndexDrift.ReplyConfirms(reply, inspection.DeclaredSeconds))
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"collMod of index {inspection.ExistingName} on {database.DatabaseNamespace.DatabaseName}.{collection} did not set expireAfterSeconds {inspection.DeclaredSeconds}: {reply.ToJson()}"));
        }
    }

    private static async Task<IReadOnlyList<BsonDocument>> ListIndexesAsync(IMongoDatabase database, string collection, CancellationToken cancellationToken)
    {
        try
        {
            // The primary: what collMod and createIndexes will act on.
            var indexes = database.GetCollection<BsonDocument>(collection).Indexes;
            using var cursor = await indexes.ListAsync(cancellationToken);
            return await cursor.ToListAsync(cancellationToken);
        }
        catch (MongoCommandException ex) when (ex.Code == NamespaceNotFound)
        {
            // No collection yet: the index is missing, and createIndexes creates the collection with it.
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "TTL index {IndexName} on {Namespace} expires after {Seconds} s as configured")]
    private static partial void LogMatches(ILogger logger, string @namespace, string indexName, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TTL index {IndexName} on {Namespace} was missing; created with expireAfterSeconds {Seconds}")]
    private static partial void LogCreated(ILogger logger, string @namespace, string indexName, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TTL index on {Namespace} fixed with collMod: {Detail}")]
    private static partial void LogFixed(ILogger logger, string @namespace, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "TTL index on {Namespace} not fixed: {Detail}")]
    private static partial void LogConflict(ILogger logger, string @namespace, string detail);
}
