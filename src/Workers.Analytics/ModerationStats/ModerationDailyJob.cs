using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Merging;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.ModerationStats;

/// <summary>
/// moderation-daily: messages scored, flagged and blocked, reports opened and actioned, per workspace and UTC day, into
/// <c>QuikApp_analytics.moderation_daily</c>.
/// </summary>
/// <remarks>
/// A scheduled run recomputes the last <see cref="ModerationDailyParameters.Days"/> days, reaching further back to the
/// last successful run when the worker was down; <c>--from/--to</c> recomputes that window. Whole days are recomputed
/// (a result re-scored after an edit moves to the day it was re-scored, which an incremental count could not follow), then
/// the window's documents the $merge did not write are set to zero.
/// </remarks>
public sealed partial class ModerationDailyJob(
    MongoCatalog catalog,
    JobStateStore states,
    MergeTargetIndexes mergeTargets,
    IOptions<ModerationDailyParameters> parameters,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "moderation-daily";

    /// <summary>Every 30 minutes, at minute 4 and 34 (UTC).</summary>
    public const string DefaultCron = "0 4/30 * * * ?";

    public static readonly MongoCollectionRef Target = new(QuikAppDatabase.Analytics, MongoCatalog.Collections.ModerationDaily);

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = parameters.Value;
        var now = UtcDays.Millis(time.GetUtcNow());
        await mergeTargets.EnsureAsync(Target, cancellationToken).ConfigureAwait(false);
        var state = await states.ReadAsync(Name, cancellationToken).ConfigureAwait(false);
        var days = DaysToRecompute(context.Window, state.Watermark, now, settings.Days, settings.Overlap);

        await JobWrites.Bounded(catalog.AutoModResults).AggregateToCollectionAsync(
            PipelineDefinition<BsonDocument, BsonDocument>.Create(
                ModerationDailyPipelines.Recompute(days, now, catalog.DatabaseName(QuikAppDatabase.Analytics))),
            new AggregateOptions { AllowDiskUse = true },
            cancellationToken).ConfigureAwait(false);
        var zeroed = await JobWrites.Bounded(catalog.ModerationDaily).UpdateManyAsync(
            ModerationDailyPipelines.NotRecomputedFilter(days, now), ModerationDailyPipelines.ZeroUpdate(now), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        BsonDocument? unattributed;
        using (var cursor = await catalog.Reports.AggregateAsync(
            PipelineDefinition<BsonDocument, BsonDocument>.Create(ModerationDailyPipelines.UnattributedReports(days)), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            unattributed = await cursor.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }

        context.Add("days", days.Days);
        context.Add("zeroedDays", zeroed.ModifiedCount);
        context.Add("unattributedReports", unattributed?.GetValue("unattributed", 0).ToInt64() ?? 0);
        if (context.Window.IsEmpty)
        {
            await states.SaveAsync(Name, state with { Watermark = now }, now, cancellationToken).ConfigureAwait(false);
        }

        LogRecomputed(context.Logger, days.ToString(), context.Counts["unattributedReports"]);
        return JobOutcome.Succeeded($"recomputed {days}") with
        {
            Window = new JobWindow(new DateTimeOffset(days.Start, TimeSpan.Zero), new DateTimeOffset(days.End, TimeSpan.Zero)),
        };
    }

    /// <summary>
    /// The UTC days a run recomputes: a requested window as whole days (<c>--from</c> defaults to the scheduled span's start,
    /// <c>--to</c> to tomorrow); otherwise the last <paramref name="days"/> days through today, stretched back to the day of
    /// the last successful run (minus <paramref name="overlap"/>) when that is earlier.
    /// </summary>
    public static DayRange DaysToRecompute(JobWindow requested, DateTime? watermark, DateTime now, int days, TimeSpan overlap)
    {
        var today = UtcDays.StartOf(now);
        var tomorrow = today.AddDays(1);
        var recent = today.AddDays(-(days - 1));
        if (!requested.IsEmpty)
        {
            var start = requested.From is { } from ? UtcDays.StartOf(from) : recent;
            return new DayRange(start, requested.To is { } to ? UtcDays.EndOf(to) : tomorrow);
        }

        var since = watermark is { } last ? UtcDays.StartOf(UtcDays.AsUtc(last) - overlap) : recent;
        return new DayRange(since < recent ? since : recent, tomorrow);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "moderation-daily recomputed {Days} ({Unattributed} reports without a workspace)")]
    private static partial void LogRecomputed(ILogger logger, string days, long unattributed);
}
