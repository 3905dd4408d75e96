using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Merging;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.MessageStats;

/// <summary>
/// daily-message-stats: messages and distinct posting users per workspace and UTC day, into
/// <c>QuikApp_analytics.daily_message_stats</c>; incremental by default, a full recompute of a window with <c>--from/--to</c>.
/// </summary>
/// <remarks>
/// A scheduled run recomputes only the (workspace, day) groups holding a message written since the last successful run
/// (minus <see cref="DailyMessageStatsParameters.Overlap"/>), found through <c>updatedAt</c>; a backfill recomputes every
/// workspace over the window. Each batch is one $merge (idempotent: a rerun writes the same figures), then the targeted
/// days the $merge did not write — every message of the day deleted — are set to zero.
/// </remarks>
public sealed partial class DailyMessageStatsJob(
    MongoCatalog catalog,
    JobStateStore states,
    MergeTargetIndexes mergeTargets,
    IOptions<DailyMessageStatsParameters> parameters,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "daily-message-stats";

    /// <summary>Every 15 minutes, at minute 1, 16, 31 and 46 (UTC).</summary>
    public const string DefaultCron = "0 1/15 * * * ?";

    public static readonly MongoCollectionRef Target = new(QuikAppDatabase.Analytics, MongoCatalog.Collections.DailyMessageStats);

    private static readonly AggregateOptions Aggregate = new() { AllowDiskUse = true };

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = parameters.Value;
        var now = UtcDays.Millis(time.GetUtcNow());
        await mergeTargets.EnsureAsync(Target, cancellationToken).ConfigureAwait(false);

        if (!context.Window.IsEmpty)
        {
            return await BackfillAsync(context, settings, now, cancellationToken).ConfigureAwait(false);
        }

        var state = await states.ReadAsync(Name, cancellationToken).ConfigureAwait(false);
        var window = ChangeWindow.For(context.Window, state.Watermark, now, settings.Overlap, settings.FirstRunLookback);
        var changed = new List<(BsonValue, DateTime)>();
        using (var cursor = await catalog.Messages.AggregateAsync(
            PipelineDefinition<BsonDocument, BsonDocument>.Create(DailyMessageStatsPipelines.ChangedDays(window)), Aggregate, cancellationToken).ConfigureAwait(false))
        {
            await cursor.ForEachAsync(document =>
            {
                if (DayTargets.ChangedDay(document) is { } day)
                {
                    changed.Add(day);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        var clauses = DayTargets.FromChangedDays(changed);
        await RecomputeAsync(context, clauses, settings, now, cancellationToken).ConfigureAwait(false);
        await states.SaveAsync(Name, state with { Watermark = now }, now, cancellationToken).ConfigureAwait(false);

        var message = $"recomputed {DayTargets.DayCount(clauses)} workspace-days with messages written since {window.Since:O}";
        return JobOutcome.Succeeded(message) with { Window = window.ToJobWindow(now) };
    }

    private async Task<JobOutcome> BackfillAsync(JobRunContext context, DailyMessageStatsParameters settings, DateTime now, CancellationToken cancellationToken)
    {
        if (context.Window.From is not { } from)
        {
            return JobOutcome.Failed($"{Name}: a backfill needs --from (the first UTC day to recompute); --to defaults to tomorrow.");
        }

        var window = BackfillDays(from, context.Window.To, now);

        // Workspaces with messages, and workspaces with stats (whose messages may all be gone): both DISTINCT_SCANs of an index.
        var workspaces = new List<BsonValue>();
        foreach (var (collection, field) in new[] { (catalog.Messages, "workspaceId"), (catalog.DailyMessageStats, "workspaceId") })
        {
            using var cursor = await collection.DistinctAsync<BsonValue>(field, FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            workspaces.AddRange(await cursor.ToListAsync(cancellationToken).ConfigureAwait(false));
        }

        var clauses = DayTargets.ForBackfill(workspaces, window);
        await RecomputeAsync(context, clauses, settings, now, cancellationToken).ConfigureAwait(false);
        return JobOutcome.Succeeded($"recomputed {window} for {clauses.Count} workspaces") with
        {
            Window = new JobWindow(new DateTimeOffset(window.Start, TimeSpan.Zero), new DateTimeOffset(window.End, TimeSpan.Zero)),
        };
    }

    /// <summary>The whole UTC days of a backfill: from the day of --from up to --to (exclusive), or through today.</summary>
    public static DayRange BackfillDays(DateTimeOffset from, DateTimeOffset? to, DateTime now)
    {
        var start = UtcDays.StartOf(from);
        return new DayRange(start, to is { } until ? UtcDays.EndOf(until) : UtcDays.StartOf(now).AddDays(1));
    }

    private async Task RecomputeAsync(
        JobRunContext context,
        IReadOnlyList<WorkspaceDays> clauses,
        DailyMessageStatsParameters settings,
        DateTime now,
        CancellationToken cancellationToken)
    {
        context.Add("workspaceDays", DayTargets.DayCount(clauses));
        context.Add("workspaces", clauses.Select(clause => clause.WorkspaceId).Distinct().Count());
        context.Add("zeroedDays", 0);
        var analytics = catalog.DatabaseName(QuikAppDatabase.Analytics);
        foreach (var batch in clauses.Chunk(settings.ClausesPerBatch))
        {
            await JobWrites.Bounded(catalog.Messages).AggregateToCollectionAsync(
                PipelineDefinition<BsonDocument, BsonDocument>.Create(DailyMessageStatsPipelines.Recompute(batch, now, analytics)),
                Aggregate,
                cancellationToken).ConfigureAwait(false);
            var zeroed = await JobWrites.Bounded(catalog.DailyMessageStats).UpdateManyAsync(
                DailyMessageStatsPipelines.NotRecomputedFilter(batch, now),
                DailyMessageStatsPipelines.ZeroUpdate(now),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            context.Add("batches");
            context.Add("zeroedDays", zeroed.ModifiedCount);
        }

        LogRecomputed(context.Logger, DayTargets.DayCount(clauses), clauses.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "daily-message-stats recomputed {WorkspaceDays} workspace-days in {Clauses} clauses")]
    private static partial void LogRecomputed(ILogger logger, long workspaceDays, int clauses);
}
