using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Housekeeping.State;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Housekeeping.Reactions;

/// <summary>
/// orphan-reactions: deletes reactions whose message no longer exists (hard-deleted upstream, or a reaction that arrived
/// after message-retention's cascade), scanning <c>reactions</c> in batches and resuming where the last run stopped.
/// </summary>
public sealed partial class OrphanReactionsJob(
    MongoCatalog catalog,
    HousekeepingStateStore states,
    IOptions<HousekeepingOptions> options,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "orphan-reactions";

    /// <summary>Daily at 03:35 UTC.</summary>
    public const string DefaultCron = "0 35 3 * * ?";

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var now = time.GetUtcNow();
        var before = OrphanReactionScan.Floor(now - settings.OrphanGracePeriod);
        foreach (var count in new[] { "batches", "reactionsScanned", "orphansDeleted", "passesCompleted", "skippedOtherIdType", "implausibleBatches" })
        {
            context.Add(count, 0);
        }

        // Primary for both sides of the anti-join: existence is decided on what was last written.
        var reactions = catalog.Reactions;
        var messages = catalog.Messages;
        var after = await states.ReadCursorAsync(OrphanReactionScan.StateId, cancellationToken);

        for (var batch = 0; batch < settings.MaxBatchesPerRun; batch++)
        {
            var scanned = await reactions.Find(OrphanReactionScan.Batch(after, before))
                .Sort(OrphanReactionScan.Sort)
                .Project(OrphanReactionScan.Projection)
                .Limit(settings.BatchSize)
                .ToListAsync(cancellationToken);
            context.Add("batches");
            context.Add("reactionsScanned", scanned.Count);

            var messageIds = OrphanReactionScan.MessageIdsOf(scanned);
            var existing = messageIds.Count == 0
                ? []
                : (await messages.Find(new BsonDocument("_id", new BsonDocument("$in", new BsonArray(messageIds))))
                    .Project(new BsonDocument("_id", 1))
                    .ToListAsync(cancellationToken)).Select(message => message["_id"]).ToHashSet();

            var result = OrphanReactionScan.Judge(scanned, existing, settings.BatchSize);
            context.Add("skippedOtherIdType", result.SkippedOtherType);
            if (OrphanReactionScan.IsImplausible(result, settings.OrphanImplausibleRatio, settings.OrphanImplausibleMinBatch))
            {
                // Stop before deleting, and keep the cursor where it was: the batch is judged again once someone has looked.
                context.Add("implausibleBatches");
                LogImplausible(context.Logger, result.OrphanIds.Count, result.Judged, settings.OrphanImplausibleRatio, after?.ToString());
                return JobOutcome.Failed(
                    $"refused to delete: {result.OrphanIds.Count} of {result.Judged} reactions in a batch look orphaned " +
                    $"(over {settings.OrphanImplausibleRatio:P0}); check reactions.messageId against messages._id");
            }

            if (result.OrphanIds.Count > 0)
            {
                var deleted = await JobWrites.Bounded(reactions).DeleteManyAsync(OrphanReactionScan.DeleteFilter(result), cancellationToken);
                context.Add("orphansDeleted", deleted.DeletedCount);
            }

            // Saved after each batch: a stopped run resumes here, not from the start of the collection.
            after = result.ResumeAfter;
            await states.SaveCursorAsync(OrphanReactionScan.StateId, after, now.UtcDateTime, cancellationToken);
            if (after is null)
            {
                context.Add("passesCompleted");
                break;
            }
        }

        var counts = context.Counts;
        return JobOutcome.Succeeded(
            $"scanned {counts["reactionsScanned"]} reactions, deleted {counts["orphansDeleted"]} orphans" +
            (counts["passesCompleted"] > 0 ? "; pass complete" : "; pass continues next run") +
            (counts["skippedOtherIdType"] > 0 ? $"; {counts["skippedOtherIdType"]} with a messageId not an ObjectId left alone" : string.Empty));
    }

    // EventId 4101: the alert hook (an Error with a fixed id and name operators can match); the run also ends Failed in job_runs.
    [LoggerMessage(EventId = 4101, EventName = "OrphanRatioImplausible", Level = LogLevel.Error,
        Message = "orphan-reactions refused to delete: {Orphans} of {Judged} judged reactions in one batch look orphaned (limit {Ratio}); resuming after {After} once checked")]
    private static partial void LogImplausible(ILogger logger, int orphans, int judged, double ratio, string? after);
}
