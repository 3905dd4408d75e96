using Microsoft.Extensions.DependencyInjection.Extensions;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>Registers smart-reply training sets: the moderation observer, its stores, options, the snapshot job and the export verb.</summary>
public static class SmartReplyRegistration
{
    /// <summary>
    /// Adds <see cref="SmartReplyTrainingObserver"/> to the moderation handler's observers, the MongoDB stores it needs,
    /// <see cref="SmartReplyOptions"/> (validated at start), the <c>smart-reply-snapshot</c> job (with the scheduling it
    /// needs) and the <c>export-training-set</c> verb. Needs the moderation worker's scoring and policies. Calling it twice is harmless.
    /// </summary>
    public static IServiceCollection AddSmartReplyTraining(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(SmartReplyTrainingMarker)))
        {
            return services;
        }

        services.AddSingleton<SmartReplyTrainingMarker>();
        services.AddOptions<SmartReplyOptions>().BindConfiguration(SmartReplyOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Problem() is null, $"{SmartReplyOptions.SectionName}:MinCharacters must not exceed {SmartReplyOptions.SectionName}:MaxCharacters.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMessageHistory, MongoMessageHistory>();
        services.TryAddSingleton<IModerationActions, MongoModerationActions>();
        services.TryAddSingleton<ISmartReplyPairStore, MongoSmartReplyPairStore>();
        services.TryAddSingleton<ISmartReplySnapshotStore, MongoSmartReplySnapshotStore>();
        services.TryAddSingleton<MessageActionResolver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageModerationObserver, SmartReplyTrainingObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkerCommand, ExportTrainingSetCommand>());

        services.AddScheduledJob<SmartReplySnapshotJob>(SmartReplySnapshotJob.Name, SmartReplySnapshotJob.DefaultCron);
        // The moderation worker schedules nothing else; wiring scheduling here keeps the worker's registration one line.
        services.AddQuikAppScheduling();
        return services;
    }

    private sealed class SmartReplyTrainingMarker;
}
