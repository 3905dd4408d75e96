using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Scoring.Toxicity;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>Registers learning from moderators: the retraining job, the model registry and stores, and the promoted-model watcher.</summary>
public static class LearningRegistration
{
    /// <summary>
    /// Adds the <c>moderation-retraining</c> job (and scheduling itself), <see cref="LearningOptions"/> validated at start,
    /// the MongoDB stores, the learnt toxicity model's holder, the <see cref="PromotedModelWatcher"/> and the <c>rollback-model</c> verb. Needs the
    /// scoring services (<c>AddScoring</c>) and MongoDB. Register it before the message consumer, so promoted models are
    /// loaded before the first message is scored.
    /// </summary>
    public static IServiceCollection AddModerationLearning(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LearningOptions>().BindConfiguration(LearningOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LearningOptions>, LearningOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<ToxicityModelHolder>();
        services.TryAddSingleton<IModerationReportStore, MongoModerationReportStore>();
        services.TryAddSingleton<IMessageContentStore, MongoMessageContentStore>();
        services.TryAddSingleton<ITrainingSetStore, MongoTrainingSetStore>();
        services.TryAddSingleton<IModelRegistry, MongoModelRegistry>();
        services.TryAddSingleton<IModelFileStore, GridFsModelFileStore>();
        services.TryAddSingleton<CandidatePublisher>();
        services.TryAddSingleton<PromotedModelSync>();
        services.TryAddSingleton<ModelRollback>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkerCommand, RollbackModelCommand>());
        services.AddHostedService<PromotedModelWatcher>();

        services.AddScheduledJob<ModerationRetrainingJob>(ModerationRetrainingJob.Name, ModerationRetrainingJob.DefaultCron);
        services.AddQuikAppScheduling();
        return services;
    }
}
