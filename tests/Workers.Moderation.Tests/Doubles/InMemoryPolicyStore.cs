using QuikApp.Workers.Moderation.Policies;

namespace QuikApp.Workers.Moderation.Tests.Doubles;

/// <summary>Policy overrides held in memory for tests.</summary>
internal sealed class InMemoryPolicyStore : IModerationPolicyStore
{
    public List<WorkspacePolicyOverride> Overrides { get; } = [];

    public bool Fail { get; set; }

    public Task<IReadOnlyList<WorkspacePolicyOverride>> LoadOverridesAsync(CancellationToken cancellationToken) =>
        Fail ? throw new TimeoutException("MongoDB did not answer (test double)") : Task.FromResult<IReadOnlyList<WorkspacePolicyOverride>>([.. Overrides]);
}
