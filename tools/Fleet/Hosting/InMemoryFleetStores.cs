using Microsoft.Extensions.DependencyInjection.Extensions;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.Fleet.Hosting;

/// <summary>
/// The stores of a fleet run without MongoDB, shared by the workers and the fleet (which writes what the upstream
/// services would and reads the effects). The only runtime use of the in-memory stores: they keep MongoDB's semantics
/// (newer wins, idempotent upserts, guards) but live as long as this process.
/// </summary>
internal sealed class InMemoryFleetStores
{
    public InMemoryAutoModerationResultStore Results { get; } = new();

    public InMemoryMessageHistory History { get; } = new();

    public InMemorySmartReplyPairStore ReplyPairs { get; } = new();

    public InMemorySmartReplySnapshotStore ReplySnapshots { get; } = new();

    public InMemoryPolicyStore Policies { get; } = new();

    public InMemoryReportStore Reports { get; } = new([]);

    public InMemoryMessageStore MessageContents { get; } = new([]);

    public InMemoryTrainingSetStore TrainingSets { get; } = new();

    public InMemoryModelRegistry Models { get; } = new();

    public InMemoryModelFileStore ModelFiles { get; } = new();

    public InMemoryFileDocumentStore Files { get; } = new();

    /// <summary>Puts this run's stores in place of the worker's MongoDB ones (nothing the worker resolves may reach for MongoDB).</summary>
    public void ReplaceStores(string worker, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        switch (worker)
        {
            case FleetWorkers.Moderation:
                services.Replace(ServiceDescriptor.Singleton<IAutoModerationResultStore>(Results));
                // auto_mod_results is one collection: the smart-reply observer reads what the handler wrote.
                services.Replace(ServiceDescriptor.Singleton<IModerationActions>(Results));
                services.Replace(ServiceDescriptor.Singleton<IModerationPolicyStore>(Policies));
                services.Replace(ServiceDescriptor.Singleton<IMessageHistory>(History));
                services.Replace(ServiceDescriptor.Singleton<ISmartReplyPairStore>(ReplyPairs));
                services.Replace(ServiceDescriptor.Singleton<ISmartReplySnapshotStore>(ReplySnapshots));
                services.Replace(ServiceDescriptor.Singleton<IModerationReportStore>(Reports));
                services.Replace(ServiceDescriptor.Singleton<IMessageContentStore>(MessageContents));
                services.Replace(ServiceDescriptor.Singleton<ITrainingSetStore>(TrainingSets));
                services.Replace(ServiceDescriptor.Singleton<IModelRegistry>(Models));
                services.Replace(ServiceDescriptor.Singleton<IModelFileStore>(ModelFiles));
                break;
            case FleetWorkers.Files:
                services.Replace(ServiceDescriptor.Singleton<IFileDocumentStore>(Files));
                break;
            default:
                throw new ArgumentException($"the {worker} worker needs MongoDB: it has no in-memory stores", nameof(worker));
        }
    }
}
