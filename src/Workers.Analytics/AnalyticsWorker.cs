using Microsoft.Extensions.DependencyInjection.Extensions;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Merging;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Analytics.Parameters;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics;

/// <summary>Registers the analytics worker: its scheduled jobs with their default crons and parameters, and its indexes.</summary>
public static class AnalyticsWorker
{
    /// <summary>
    /// Set to true to also build the seed's QuikApp_messages indexes (owner MessageService) at start: for development and
    /// test environments where no message-service built them. Off by default (see docs/analytics.md, "Indexes").
    /// </summary>
    public const string EnsureMessageServiceIndexesKey = "Analytics:EnsureMessageServiceIndexes";

    public static IHostApplicationBuilder AddAnalyticsWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Before the scheduler: hosted services start in order, so the $merge targets exist before the first firing.
        services.AddMongoIndexBootstrap(builder.Configuration.GetValue<bool>(EnsureMessageServiceIndexesKey)
            ? [IndexOwner.Analytics, IndexOwner.MessageService]
            : [IndexOwner.Analytics]);
        services.TryAddSingleton<JobStateStore>();
        services.TryAddSingleton<MergeTargetIndexes>();

        // One line per job: its name (the lease _id and the Scheduling:Jobs:<name> key), default cron and parameters.
        services.AddAnalyticsJob<DailyMessageStatsJob, DailyMessageStatsParameters>(DailyMessageStatsJob.Name, DailyMessageStatsJob.DefaultCron);
        services.AddAnalyticsJob<UnreadCountsJob, UnreadCountsParameters>(UnreadCountsJob.Name, UnreadCountsJob.DefaultCron);
        services.AddAnalyticsJob<CounterReconciliationJob, CounterReconciliationParameters>(CounterReconciliationJob.Name, CounterReconciliationJob.DefaultCron);
        services.AddAnalyticsJob<ModerationDailyJob, ModerationDailyParameters>(ModerationDailyJob.Name, ModerationDailyJob.DefaultCron);

        services.AddQuikAppScheduling();
        return builder;
    }

    /// <summary>Registers a scheduled job and its parameters section (validated at start, naming the key on a bad value).</summary>
    public static IServiceCollection AddAnalyticsJob<TJob, TParameters>(this IServiceCollection services, string name, string defaultCron)
        where TJob : class, IScheduledJob
        where TParameters : class, IJobParameters, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScheduledJob<TJob>(name, defaultCron);
        services.AddJobParameters<TParameters>(name);
        return services;
    }
}
