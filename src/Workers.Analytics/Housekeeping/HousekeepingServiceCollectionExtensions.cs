using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Analytics.Housekeeping.Files;
using QuikApp.Workers.Analytics.Housekeeping.IndexUsage;
using QuikApp.Workers.Analytics.Housekeeping.Messages;
using QuikApp.Workers.Analytics.Housekeeping.Reactions;
using QuikApp.Workers.Analytics.Housekeeping.State;
using QuikApp.Workers.Analytics.Housekeeping.Ttl;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Analytics.Housekeeping;

/// <summary>Registers TTL housekeeping: its options, object storage, its indexes and its five scheduled jobs.</summary>
public static class HousekeepingServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="HousekeepingOptions"/> (section "Housekeeping"), adds object storage (idempotent),
    /// the <see cref="IndexOwner.Housekeeping"/> indexes to this worker's index bootstrap, and the jobs ttl-indexes,
    /// expired-files, message-retention, orphan-reactions and index-usage-report with their default crons
    /// (<c>Scheduling:Jobs:&lt;name&gt;:Cron</c> overrides, <c>…:Enabled=false</c> switches one off). Needs
    /// <c>AddQuikAppMongo</c> (part of the worker defaults). Calling it twice is harmless.
    /// </summary>
    public static IServiceCollection AddHousekeeping(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(HousekeepingMarker)))
        {
            return services;
        }

        services.AddSingleton<HousekeepingMarker>();
        services.AddOptions<HousekeepingOptions>()
            .Bind(configuration.GetSection(HousekeepingOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HousekeepingOptions>, HousekeepingOptionsValidator>());

        services.AddQuikAppObjectStorage(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HousekeepingStateStore>();

        // Before the scheduler starts: the scans' partial indexes exist before the first firing.
        services.AddMongoIndexBootstrap(IndexOwner.Housekeeping);

        services.AddScheduledJob<TtlIndexesJob>(TtlIndexesJob.Name, TtlIndexesJob.DefaultCron);
        services.AddScheduledJob<ExpiredFilesJob>(ExpiredFilesJob.Name, ExpiredFilesJob.DefaultCron);
        services.AddScheduledJob<MessageRetentionJob>(MessageRetentionJob.Name, MessageRetentionJob.DefaultCron);
        services.AddScheduledJob<OrphanReactionsJob>(OrphanReactionsJob.Name, OrphanReactionsJob.DefaultCron);
        services.AddScheduledJob<IndexUsageReportJob>(IndexUsageReportJob.Name, IndexUsageReportJob.DefaultCron);
        services.AddQuikAppScheduling();
        return services;
    }

    private sealed class HousekeepingMarker;
}
