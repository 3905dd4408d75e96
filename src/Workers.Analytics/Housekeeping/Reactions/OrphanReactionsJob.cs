using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Housekeeping.State;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Housekeeping.Reactions;

/// <summary>
/// orphan-reactions: deletes reactions whose message no longer exists (hard-deleted upstream, or a reaction that arrived
/// after message-retention's cascade), scanning <c>reactions</c> in batches and resuming where the last run stopped.
/// </summary>
public sealed class OrphanReactionsJob(
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
        foreach (var count in new[] { "batches", "reactionsScanned", "orphansDeleted", "passesCompleted" })
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
            if (result.OrphanIds.Count > 0)
            {
                var deleted = await reactions.DeleteManyAsync(OrphanReactionScan.DeleteFilter(result), cancellationToken);
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
            (counts["passesCompleted"] > 0 ? "; pass complete" : "; pass continues next run"));
    }
}
