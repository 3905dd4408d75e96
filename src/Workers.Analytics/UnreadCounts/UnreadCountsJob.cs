using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.UnreadCounts;

/// <summary>
/// unread-counts: refreshes <c>read_receipts.unreadCount</c> with the seed's "Get Unread Count per Channel" pipeline, for
/// the receipts of channels that had messages written since the last run, plus a rolling sweep of all receipts.
/// </summary>
/// <remarks>
/// Counts are written back with guarded bulk updates, not a <c>$merge</c> into read_receipts: $merge into the collection
/// being aggregated is allowed (4.4+) but the manual warns it can revisit documents it moved (the Halloween problem);
/// the guard (<see cref="UnreadCountRefresh"/>, a compare-and-set on the <c>lastReadAt</c> and <c>unreadCount</c> read)
/// keeps a count made before the user read the channel, or before a new message bumped the live counter, from
/// overwriting the fresher value; and unchanged counts are not written at all.
/// </remarks>
public sealed partial class UnreadCountsJob(
    MongoCatalog catalog,
    JobStateStore states,
    IOptions<UnreadCountsParameters> parameters,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "unread-counts";

    /// <summary>Every 5 minutes (UTC).</summary>
    public const string DefaultCron = "0 0/5 * * * ?";

    private static readonly AggregateOptions Aggregate = new() { AllowDiskUse = true };
    private static readonly BulkWriteOptions Unordered = new() { IsOrdered = false };

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = parameters.Value;
        var now = UtcDays.Millis(time.GetUtcNow());
        var state = await states.ReadAsync(Name, cancellationToken).ConfigureAwait(false);
        var window = ChangeWindow.For(context.Window, state.Watermark, now, settings.Overlap, settings.FirstRunLookback);
        foreach (var count in new[] { "channels", "receiptsChecked", "receiptsUpdated", "receiptsSkipped", "swept" })
        {
            context.Add(count, 0);
        }

        var channels = new List<BsonValue>();
        using (var cursor = await catalog.Messages.AggregateAsync(
            PipelineDefinition<BsonDocument, BsonDocument>.Create(UnreadCountsPipelines.ChangedChannels(window)), Aggregate, cancellationToken).ConfigureAwait(false))
        {
            await cursor.ForEachAsync(document =>
            {
                if (document.GetValue("_id", BsonNull.Value) is { IsBsonNull: false } channel)
                {
                    channels.Add(channel);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        context.Add("channels", channels.Count);
        foreach (var batch in channels.Chunk(settings.ChannelsPerBatch))
        {
            await RefreshAsync(context, UnreadCountsPipelines.ForChannels(batch, settings.Cap), settings, cancellationToken).ConfigureAwait(false);
        }

        // The sweep catches drift no message write announces (a receipt written wrong by hand, a purge); operator runs skip it.
        var sweepAfter = state.SweepAfter;
        if (!window.Requested && settings.SweepSize > 0)
        {
            sweepAfter = await SweepAsync(context, state.SweepAfter, settings, cancellationToken).ConfigureAwait(false);
        }

        if (!window.Requested)
        {
            await states.SaveAsync(Name, new JobState(now, sweepAfter), now, cancellationToken).ConfigureAwait(false);
        }

        LogRefreshed(context.Logger, context.Counts["receiptsChecked"], context.Counts["receiptsUpdated"], channels.Count);
        return JobOutcome.Succeeded(
            $"checked {context.Counts["receiptsChecked"]} read receipts, updated {context.Counts["receiptsUpdated"]}") with
        {
            Window = window.ToJobWindow(now),
        };
    }

    /// <summary>Checks up to SweepSize receipts after <paramref name="after"/>; returns where the next run continues (null: from the start).</summary>
    private async Task<BsonValue?> SweepAsync(JobRunContext context, BsonValue? after, UnreadCountsParameters settings, CancellationToken cancellationToken)
    {
        var remaining = settings.SweepSize;
        while (remaining > 0)
        {
            var limit = Math.Min(remaining, settings.BatchSize);
            var (rows, last) = await RefreshAsync(context, UnreadCountsPipelines.ForSweep(after, limit, settings.Cap), settings, cancellationToken)
                .ConfigureAwait(false);
            context.Add("swept", rows);
            if (rows < limit)
            {
                return null; // reached the end: the next run starts over
            }

            after = last;
            remaining -= rows;
        }

        return after;
    }

    /// <summary>Runs one counting pipeline over read_receipts and writes the counts that changed; returns the rows seen and the last _id.</summary>
    private async Task<(int Rows, BsonValue? LastId)> RefreshAsync(
        JobRunContext context,
        BsonDocument[] pipeline,
        UnreadCountsParameters settings,
        CancellationToken cancellationToken)
    {
        var rows = 0;
        BsonValue? last = null;
        var updates = new List<UpdateOneModel<BsonDocument>>();
        using var cursor = await catalog.ReadReceipts.AggregateAsync(
            PipelineDefinition<BsonDocument, BsonDocument>.Create(pipeline), Aggregate, cancellationToken).ConfigureAwait(false);
        while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in cursor.Current)
            {
                rows++;
                last = row["_id"];
                if (UnreadCountRefresh.For(row, settings.Cap) is { } update)
                {
                    updates.Add(update);
                }
            }

            if (updates.Count >= settings.BatchSize)
            {
                await WriteAsync(context, updates, cancellationToken).ConfigureAwait(false);
            }
        }

        await WriteAsync(context, updates, cancellationToken).ConfigureAwait(false);
        context.Add("receiptsChecked", rows);
        return (rows, last);
    }

    private async Task WriteAsync(JobRunContext context, List<UpdateOneModel<BsonDocument>> updates, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var result = await JobWrites.Bounded(catalog.ReadReceipts).BulkWriteAsync(updates, Unordered, cancellationToken).ConfigureAwait(false);
        context.Add("receiptsUpdated", result.ModifiedCount);
        context.Add("receiptsSkipped", updates.Count - result.MatchedCount);
        updates.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "unread-counts checked {Checked} read receipts, updated {Updated} (channels with new messages: {Channels})")]
    private static partial void LogRefreshed(ILogger logger, long @checked, long updated, int channels);
}
