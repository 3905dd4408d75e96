using QuikApp.Workers.Moderation.Policies;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>Policy overrides (<c>QuikApp_moderation.policies</c>) held in memory; <see cref="Fail"/> makes reads fail as an unreachable MongoDB would.</summary>
public sealed class InMemoryPolicyStore : IModerationPolicyStore
{
    public List<WorkspacePolicyOverride> Overrides { get; } = [];

    public bool Fail { get; set; }

    public Task<IReadOnlyList<WorkspacePolicyOverride>> LoadOverridesAsync(CancellationToken cancellationToken) =>
        Fail ? throw new TimeoutException("MongoDB did not answer (in-memory store)") : Task.FromResult<IReadOnlyList<WorkspacePolicyOverride>>([.. Overrides]);
}
