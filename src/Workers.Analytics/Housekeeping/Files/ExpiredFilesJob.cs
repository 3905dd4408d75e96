using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Analytics.Housekeeping.Files;

/// <summary>
/// expired-files: deletes the stored objects (the original and its derivatives) of files whose <c>expiresAt</c> has come and
/// of files soft-deleted longer than the retention, then their documents — what the TTL monitor, which deletes documents
/// only, cannot do.
/// </summary>
/// <remarks>
/// Two phases. <b>Claim</b>: files expiring within <see cref="HousekeepingOptions.FileExpiryLeadTime"/> (and soft-deleted
/// ones past retention) get a <c>housekeeping</c> marker and lose <c>expiresAt</c>, which takes them out of the TTL
/// monitor's reach (<see cref="FileCleanupQueries"/>). <b>Delete</b>: claimed files that are due lose their objects, then
/// their documents. A crash anywhere leaves claimed documents behind, and the next run picks them up; deleting an object
/// that is already gone is a no-op, so re-running is harmless. The lease already keeps two runs apart.
/// </remarks>
public sealed partial class ExpiredFilesJob(
    MongoCatalog catalog,
    ObjectStorage storage,
    IOptions<HousekeepingOptions> options,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "expired-files";

    /// <summary>Every 10 minutes (less than the default lead time of 15 minutes: no file can slip between two runs).</summary>
    public const string DefaultCron = "0 0/10 * * * ?";

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        // Millisecond precision: what BSON dates hold, so a filter built from `now` matches what was written with it.
        var now = DateTime.UnixEpoch.AddMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        foreach (var count in new[] { "claimed", "filesDeleted", "objectsDeleted", "objectsAbsent", "refused", "derivativesIgnored", "batches" })
        {
            context.Add(count, 0);
        }

        // Primary: the claim and the deletion act on what was read, and a lagging secondary could miss a fresh claim.
        var files = catalog.Files;
        var keys = DerivativeKeys.From(storage.Options, settings);
        var deleter = new FileObjectDeleter(storage);

        await ClaimAsync(context, files, FileCleanupReason.Expired, FileCleanupQueries.Expiring(now, settings.FileExpiryLeadTime), now, settings, cancellationToken);
        await ClaimAsync(context, files, FileCleanupReason.SoftDeleted, FileCleanupQueries.SoftDeleted(now, settings.FileSoftDeleteRetention), now, settings, cancellationToken);

        for (var batch = 0; batch < settings.MaxBatchesPerRun; batch++)
        {
            var due = await files.Find(FileCleanupQueries.Due(now))
                .Project(FileCleanupQueries.Projection)
                .Sort(new BsonDocument(FileCleanupQueries.DueAt, 1))
                .Limit(settings.BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                break;
            }

            context.Add("batches");
            var deleted = new List<BsonValue>(due.Count);
            foreach (var file in due)
            {
                var plan = FileCleanupPlan.For(file, keys);
                context.Add("derivativesIgnored", plan.Ignored.Count);
                var outcome = await deleter.DeleteAsync(plan, cancellationToken);
                context.Add("objectsDeleted", outcome.Deleted);
                context.Add("objectsAbsent", outcome.Absent);
                if (!outcome.IsRefused)
                {
                    deleted.Add(plan.Id);
                    continue;
                }

                context.Add("refused");
                LogRefused(context.Logger, plan.Id.ToString()!, outcome.Refusal!);
                await files.UpdateOneAsync(new BsonDocument("_id", plan.Id), FileCleanupQueries.RefuseUpdate(outcome.Refusal!, now), cancellationToken: cancellationToken);
            }

            if (deleted.Count > 0)
            {
                var result = await files.DeleteManyAsync(FileCleanupQueries.DeleteFilter(deleted, now), cancellationToken);
                context.Add("filesDeleted", result.DeletedCount);
            }

            if (due.Count < settings.BatchSize)
            {
                break;
            }
        }

        var counts = context.Counts;
        var message = $"claimed {counts["claimed"]}, deleted {counts["filesDeleted"]} files and {counts["objectsDeleted"]} objects ({counts["objectsAbsent"]} already absent), refused {counts["refused"]}";
        return counts["claimed"] == 0 && counts["batches"] == 0 ? JobOutcome.Skipped("no file expired or past its soft-delete retention") : JobOutcome.Succeeded(message);
    }

    private static async Task ClaimAsync(
        JobRunContext context,
        IMongoCollection<BsonDocument> files,
        FileCleanupReason reason,
        BsonDocument candidates,
        DateTime now,
        HousekeepingOptions settings,
        CancellationToken cancellationToken)
    {
        var update = new PipelineUpdateDefinition<BsonDocument>(
            PipelineDefinition<BsonDocument, BsonDocument>.Create(FileCleanupQueries.ClaimUpdate(reason, now, context.RunId).Select(stage => stage.AsBsonDocument)));
        for (var batch = 0; batch < settings.MaxBatchesPerRun; batch++)
        {
            // updateMany has no limit: read one batch of ids, then claim exactly those (still matching).
            var ids = await files.Find(candidates)
                .Project(new BsonDocument("_id", 1))
                .Limit(settings.BatchSize)
                .ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return;
            }

            var result = await files.UpdateManyAsync(
                FileCleanupQueries.ClaimFilter(ids.Select(id => id["_id"]), candidates), update, cancellationToken: cancellationToken);
            context.Add("claimed", result.ModifiedCount);
            if (ids.Count < settings.BatchSize)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "File {FileDocumentId} not deleted, left for an operator: {Reason}")]
    private static partial void LogRefused(ILogger logger, string fileDocumentId, string reason);
}
