using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Reconciliation;

/// <summary>
/// counter-reconciliation: repairs drift between a message's denormalised counters and their sources —
/// <c>reactions</c>/<c>reactionCount</c> against the reactions collection, <c>replyCount</c>/<c>lastReplyAt</c> against the
/// thread's undeleted replies — and reports how many it checked and fixed.
/// </summary>
/// <remarks>
/// Which messages a run checks: those written since the last run (and, for a written reply, its parent), those with a
/// reaction inserted since, and the next <see cref="CounterReconciliationParameters.SweepSize"/> messages of a rolling
/// sweep by <c>_id</c> (so every message is checked now and then, including drift that left no trace). A requested
/// window (<c>run-job --from/--to</c>) checks what was written in it, without the sweep. Drift is rare, so each fix is its
/// own guarded update (<see cref="CounterDrift"/>), which also lets the counts say exactly what was fixed.
/// </remarks>
public sealed partial class CounterReconciliationJob(
    MongoCatalog catalog,
    JobStateStore states,
    IOptions<CounterReconciliationParameters> parameters,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "counter-reconciliation";

    /// <summary>Hourly, at minute 7 (UTC).</summary>
    public const string DefaultCron = "0 7 * * * ?";

    /// <summary>The server's code for a cursor it no longer has (timed out, or killed).</summary>
    internal const int CursorNotFoundCode = 43;

    private static readonly AggregateOptions Aggregate = new() { AllowDiskUse = true };

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = parameters.Value;
        var now = UtcDays.Millis(time.GetUtcNow());
        var state = await states.ReadAsync(Name, cancellationToken).ConfigureAwait(false);
        var window = ChangeWindow.For(context.Window, state.Watermark, now, settings.Overlap, settings.FirstRunLookback);
        foreach (var count in new[] { "reactionsChecked", "reactionsFixed", "threadsChecked", "threadsFixed", "skippedConcurrent", "swept" })
        {
            context.Add(count, 0);
        }

        var batch = new CandidateBatch(settings.BatchSize);

        // Candidates are read to the end first, then checked: a cursor left open while each batch is checked and fixed
        // idles on the server between getMores, and a long window outlived the cursor timeout (CursorNotFound, every run
        // again, since a failed run keeps its watermark and the next window is longer still). Only ids are kept, which the
        // batch keeps for the whole run anyway to check each message once.
        List<BsonValue> changed;
        try
        {
            changed = await ReadCandidatesAsync(window, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoException ex) when (IsCursorNotFound(ex))
        {
            LogCursorLost(context.Logger, CursorNotFoundCode);
            return JobOutcome.Failed("a candidate cursor was dropped by the server (CursorNotFound); nothing was saved, the next run reads the window again");
        }

        foreach (var id in changed)
        {
            await AddAsync(context, batch, id, cancellationToken).ConfigureAwait(false);
        }

        var sweepAfter = state.SweepAfter;
        if (!window.Requested && settings.SweepSize > 0)
        {
            var swept = await catalog.Messages.Find(ReconciliationQueries.SweepAfter(state.SweepAfter))
                .Project(ReconciliationQueries.CandidateProjection)
                .Sort(new BsonDocument("_id", 1))
                .Limit(settings.SweepSize)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var message in swept)
            {
                await AddAsync(context, batch, message["_id"], cancellationToken).ConfigureAwait(false);
            }

            context.Add("swept", swept.Count);
            sweepAfter = swept.Count < settings.SweepSize ? null : swept[^1]["_id"];
        }

        await CheckAsync(context, batch.Drain(), cancellationToken).ConfigureAwait(false);
        if (!window.Requested)
        {
            await states.SaveAsync(Name, new JobState(now, sweepAfter), now, cancellationToken).ConfigureAwait(false);
        }

        var counts = context.Counts;
        LogReconciled(context.Logger, counts["reactionsFixed"], counts["reactionsChecked"], counts["threadsFixed"], counts["threadsChecked"]);
        return JobOutcome.Succeeded(
            $"fixed reactions on {counts["reactionsFixed"]} of {counts["reactionsChecked"]} messages and replies on {counts["threadsFixed"]} of {counts["threadsChecked"]} threads") with
        {
            Window = window.ToJobWindow(now),
        };
    }

    /// <summary>
    /// Whether the server dropped a cursor we were reading (code 43): a getMore over OP_MSG fails as a command error, older
    /// paths as <see cref="MongoCursorNotFoundException"/>. Not transient in the retry sense: the same read will be dropped
    /// again if it is as slow, so the run fails, keeps its watermark and says why.
    /// </summary>
    internal static bool IsCursorNotFound(Exception exception) => exception switch
    {
        MongoCursorNotFoundException => true,
        MongoCommandException command => command.Code == CursorNotFoundCode,
        _ => false,
    };

    /// <summary>Messages written in the window (and a written reply's parent), then messages with a reaction inserted in it.</summary>
    private async Task<List<BsonValue>> ReadCandidatesAsync(ChangeWindow window, CancellationToken cancellationToken)
    {
        var ids = new List<BsonValue>();
        using (var cursor = await catalog.Messages.Find(ReconciliationQueries.ChangedMessages(window))
            .Project(ReconciliationQueries.CandidateProjection).ToCursorAsync(cancellationToken).ConfigureAwait(false))
        {
            await cursor.ForEachAsync(message =>
            {
                ids.Add(message["_id"]);
                if (!CounterDrift.IsTopLevel(message))
                {
                    ids.Add(message["threadId"]);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        // Reactions inserted in the window, whether or not their message was updated alongside.
        using (var cursor = await catalog.Reactions.Find(ReconciliationQueries.NewReactions(window))
            .Project(new BsonDocument("messageId", 1)).ToCursorAsync(cancellationToken).ConfigureAwait(false))
        {
            await cursor.ForEachAsync(reaction =>
            {
                if (reaction.GetValue("messageId", BsonNull.Value) is { IsBsonNull: false } messageId)
                {
                    ids.Add(messageId);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        return ids;
    }

    private async Task AddAsync(JobRunContext context, CandidateBatch batch, BsonValue id, CancellationToken cancellationToken)
    {
        if (batch.Add(id) is { } full)
        {
            await CheckAsync(context, full, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the batch's messages and the truth about their reactions and threads, and fixes what drifted.</summary>
    private async Task CheckAsync(JobRunContext context, IReadOnlyList<BsonValue> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var messages = await catalog.Messages.Find(ReconciliationQueries.Messages(ids))
            .Project(ReconciliationQueries.MessageProjection).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (messages.Count == 0)
        {
            return;
        }

        var reactions = new Dictionary<BsonValue, ReactionTally>();
        using (var cursor = await catalog.Reactions.AggregateAsync(
            PipelineDefinition<BsonDocument, BsonDocument>.Create(ReconciliationQueries.ReactionTruth([.. messages.Select(m => m["_id"])])),
            Aggregate, cancellationToken).ConfigureAwait(false))
        {
            await cursor.ForEachAsync(row => reactions[row["_id"]] = ReactionTally.FromTruth(row), cancellationToken).ConfigureAwait(false);
        }

        var parents = messages.Where(CounterDrift.IsTopLevel).Select(message => message["_id"]).ToList();
        var threads = new Dictionary<BsonValue, ThreadTally>();
        if (parents.Count > 0)
        {
            using var cursor = await catalog.Messages.AggregateAsync(
                PipelineDefinition<BsonDocument, BsonDocument>.Create(ReconciliationQueries.ThreadTruth(parents)), Aggregate, cancellationToken).ConfigureAwait(false);
            await cursor.ForEachAsync(row => threads[row["_id"]] = ThreadTally.FromTruth(row), cancellationToken).ConfigureAwait(false);
        }

        context.Add("reactionsChecked", messages.Count);
        context.Add("threadsChecked", parents.Count);
        foreach (var message in messages)
        {
            var id = message["_id"];
            var thread = CounterDrift.IsTopLevel(message) ? threads.GetValueOrDefault(id, ThreadTally.None) : null;
            if (CounterDrift.Evaluate(message, reactions.GetValueOrDefault(id, ReactionTally.None), thread) is not { } fix)
            {
                continue;
            }

            // Guarded on updatedAt (see CounterDrift): matching nothing means the message changed meanwhile.
            var result = await JobWrites.Bounded(catalog.Messages).UpdateOneAsync(fix.Filter, fix.Update, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.MatchedCount == 0)
            {
                context.Add("skippedConcurrent");
                continue;
            }

            if (fix.ReactionsDrifted)
            {
                context.Add("reactionsFixed");
            }

            if (fix.ThreadDrifted)
            {
                context.Add("threadsFixed");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "counter-reconciliation lost a candidate cursor (code {Code}); the run fails and the next one reads the window again")]
    private static partial void LogCursorLost(ILogger logger, int code);

    [LoggerMessage(Level = LogLevel.Information, Message = "counter-reconciliation fixed reactions on {ReactionsFixed}/{ReactionsChecked} messages, replies on {ThreadsFixed}/{ThreadsChecked} threads")]
    private static partial void LogReconciled(ILogger logger, long reactionsFixed, long reactionsChecked, long threadsFixed, long threadsChecked);
}

/// <summary>Collects candidate message ids, each once per run, and hands them out in batches.</summary>
internal sealed class CandidateBatch(int size)
{
    private readonly HashSet<BsonValue> _seen = [];
    private List<BsonValue> _pending = [];

    /// <summary>Adds an id; returns a full batch to check when this one filled it, otherwise null.</summary>
    public IReadOnlyList<BsonValue>? Add(BsonValue id)
    {
        if (!_seen.Add(id))
        {
            return null;
        }

        _pending.Add(id);
        return _pending.Count >= size ? Drain() : null;
    }

    /// <summary>What is left.</summary>
    public IReadOnlyList<BsonValue> Drain()
    {
        var batch = _pending;
        _pending = [];
        return batch;
    }
}
