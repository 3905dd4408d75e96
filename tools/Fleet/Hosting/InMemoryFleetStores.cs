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
internal sealed class InMemoryFleetStores : IFleetStores
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

    // Each worker's store interfaces and which of this run's stores serves each.
    private static readonly Dictionary<string, (Type Contract, Func<InMemoryFleetStores, object> Store)[]> Table = new(StringComparer.Ordinal)
    {
        [FleetWorkers.Moderation] =
        [
            (typeof(IAutoModerationResultStore), s => s.Results),
            // auto_mod_results is one collection: the smart-reply observer reads what the handler wrote.
            (typeof(IModerationActions), s => s.Results),
            (typeof(IModerationPolicyStore), s => s.Policies),
            (typeof(IMessageHistory), s => s.History),
            (typeof(ISmartReplyPairStore), s => s.ReplyPairs),
            (typeof(ISmartReplySnapshotStore), s => s.ReplySnapshots),
            (typeof(IModerationReportStore), s => s.Reports),
            (typeof(IMessageContentStore), s => s.MessageContents),
            (typeof(ITrainingSetStore), s => s.TrainingSets),
            (typeof(IModelRegistry), s => s.Models),
            (typeof(IModelFileStore), s => s.ModelFiles),
        ],
        [FleetWorkers.Files] = [(typeof(IFileDocumentStore), s => s.Files)],
    };

    /// <summary>The store interfaces of <paramref name="worker"/> that a run without MongoDB provides.</summary>
    public static IReadOnlyList<Type> Contracts(string worker) => [.. Entries(worker).Select(e => e.Contract)];

    /// <summary>The store each of <paramref name="worker"/>'s store interfaces resolves to in this run.</summary>
    /// <remarks>One table for both ways of using them: in this process (<see cref="ReplaceStores"/>) and over loopback
    /// HTTP for workers in child processes (<see cref="Remote.RemoteStoreServer"/>, <see cref="Remote.RemoteFleetStores"/>).</remarks>
    public IReadOnlyList<(Type Contract, object Store)> For(string worker) => [.. Entries(worker).Select(e => (e.Contract, e.Store(this)))];

    /// <summary>Puts this run's stores in place of the worker's MongoDB ones (nothing the worker resolves may reach for MongoDB).</summary>
    public void ReplaceStores(string worker, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var (contract, store) in For(worker))
        {
            services.Replace(ServiceDescriptor.Singleton(contract, store));
        }
    }

    private static (Type Contract, Func<InMemoryFleetStores, object> Store)[] Entries(string worker) =>
        Table.TryGetValue(worker, out var entries)
            ? entries
            : throw new ArgumentException($"the {worker} worker needs MongoDB: it has no in-memory stores", nameof(worker));
}
