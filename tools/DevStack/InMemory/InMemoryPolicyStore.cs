using MongoDB.Bson;
using QuikApp.Workers.Moderation.Policies;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// Policy overrides (<c>QuikApp_moderation.policies</c>) held in memory; <see cref="Fail"/> makes reads fail as an
/// unreachable MongoDB would. Raw documents (<see cref="Seed"/>) are read as the MongoDB store reads them: the query is
/// <c>{ workspaceId: { $exists: true } }</c> (an explicit null exists) and the store's parser skips what is not shaped
/// as documented.
/// </summary>
public sealed class InMemoryPolicyStore : IModerationPolicyStore
{
    private readonly List<BsonDocument> _documents = [];

    public List<WorkspacePolicyOverride> Overrides { get; } = [];

    public bool Fail { get; set; }

    /// <summary>Inserts a raw policy document as an operator writes it; dates are kept to the millisecond.</summary>
    public void Seed(BsonDocument raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        lock (_documents)
        {
            _documents.Add(InMemoryReportStore.Stored(raw));
        }
    }

    public Task<IReadOnlyList<WorkspacePolicyOverride>> LoadOverridesAsync(CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new TimeoutException("MongoDB did not answer (in-memory store)");
        }

        lock (_documents)
        {
            var seeded = _documents.Where(d => d.Contains("workspaceId")).Select(MongoModerationPolicyStore.Parse).OfType<WorkspacePolicyOverride>();
            return Task.FromResult<IReadOnlyList<WorkspacePolicyOverride>>([.. Overrides, .. seeded]);
        }
    }
}
