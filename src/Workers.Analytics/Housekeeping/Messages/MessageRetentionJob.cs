using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Housekeeping.Messages;

/// <summary>
/// message-retention: hard-deletes messages soft-deleted longer than <see cref="HousekeepingOptions.MessageRetention"/>,
/// in batches, with their cascade — reactions, read-receipt pointers, auto-moderation results, smart-reply pairs.
/// </summary>
/// <remarks>
/// The cascade spans three databases, so no transaction covers it; resumability comes from the order instead
/// (<see cref="MessageRetentionCascade"/>): dependants first, messages last. A run stopped anywhere — crash, lost lease,
/// <see cref="HousekeepingOptions.MaxBatchesPerRun"/> — leaves the remaining messages soft-deleted, and the next run
/// repeats their batch, whose completed steps now match nothing.
/// </remarks>
public sealed class MessageRetentionJob(
    MongoCatalog catalog,
    IOptions<HousekeepingOptions> options,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "message-retention";

    /// <summary>Hourly, at minute 20 (UTC).</summary>
    public const string DefaultCron = "0 20 * * * ?";

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var now = DateTime.UnixEpoch.AddMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var cutoff = now - settings.MessageRetention;
        foreach (var count in new[] { "batches", "messagesDeleted", "reactionsDeleted", "receiptsRepaired", "autoModResultsDeleted", "replyPairsDeleted" })
        {
            context.Add(count, 0);
        }

        // Primary: the ids read are deleted right after; a lagging secondary would hand back ones already gone.
        var messages = catalog.Messages;
        for (var batch = 0; batch < settings.MaxBatchesPerRun; batch++)
        {
            var selected = await messages.Find(MessageRetentionCascade.Expired(cutoff))
                .Sort(MessageRetentionCascade.SelectionSort)
                .Project(MessageRetentionCascade.SelectionProjection)
                .Limit(settings.BatchSize)
                .ToListAsync(cancellationToken);
            if (selected.Count == 0)
            {
                break;
            }

            context.Add("batches");
            foreach (var step in MessageRetentionCascade.For(MessageBatch.From(selected), cutoff))
            {
                context.Add(step.Count, await ExecuteAsync(step, cancellationToken));
            }

            if (selected.Count < settings.BatchSize)
            {
                break;
            }
        }

        var counts = context.Counts;
        return counts["batches"] == 0
            ? JobOutcome.Skipped($"no message soft-deleted before {cutoff:O}")
            : JobOutcome.Succeeded(
                $"deleted {counts["messagesDeleted"]} messages soft-deleted before {cutoff:O}, {counts["reactionsDeleted"]} reactions, " +
                $"{counts["autoModResultsDeleted"]} auto-moderation results, {counts["replyPairsDeleted"]} reply pairs; repaired {counts["receiptsRepaired"]} read receipts");
    }

    /// <summary>Runs one cascade step; returns the documents it deleted or modified.</summary>
    internal async Task<long> ExecuteAsync(CascadeStep step, CancellationToken cancellationToken)
    {
        var collection = JobWrites.Bounded(catalog.Collection<BsonDocument>(step.Database, step.Collection));
        if (step.Action == CascadeAction.DeleteMany)
        {
            return (await collection.DeleteManyAsync(step.Filter, cancellationToken)).DeletedCount;
        }

        var result = await collection.UpdateManyAsync(step.Filter, step.Update!, cancellationToken: cancellationToken);
        return result.ModifiedCount;
    }
}
