namespace QuikApp.Workers.Moderation.Policies;

/// <summary>One workspace's overrides; a check left null keeps the fleet's thresholds.</summary>
public sealed record WorkspacePolicyOverride(
    Guid WorkspaceId,
    CheckThresholds? Profanity,
    CheckThresholds? Spam,
    CheckThresholds? Toxicity,
    DateTimeOffset UpdatedAt);

/// <summary>Reads the per-workspace policy overrides (<c>QuikApp_moderation.policies</c>).</summary>
public interface IModerationPolicyStore
{
    Task<IReadOnlyList<WorkspacePolicyOverride>> LoadOverridesAsync(CancellationToken cancellationToken);
}
