using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Moderation.Policies;

/// <summary>
/// The policy a message is judged under: the fleet's thresholds, overridden per workspace by
/// <c>QuikApp_moderation.policies</c>. Overrides are cached and re-read every <see cref="ModerationPolicyOptions.RefreshInterval"/>
/// so scoring never waits on MongoDB; until the first read succeeds the fleet's thresholds apply.
/// </summary>
public sealed partial class ModerationPolicyProvider(
    IModerationPolicyStore store,
    IOptions<ModerationPolicyOptions> options,
    ILogger<ModerationPolicyProvider> logger) : BackgroundService
{
    private readonly ModerationPolicy _fleet = options.Value.ToPolicy();
    private volatile FrozenDictionary<Guid, ModerationPolicy> _overrides = FrozenDictionary<Guid, ModerationPolicy>.Empty;

    /// <summary>The fleet-wide policy (no workspace override).</summary>
    public ModerationPolicy Fleet => _fleet;

    public int OverrideCount => _overrides.Count;

    public ModerationPolicy For(Guid? workspaceId) =>
        workspaceId is { } id && _overrides.TryGetValue(id, out var policy) ? policy : _fleet;

    /// <summary>Re-reads the overrides now; a malformed override is skipped with a warning, the rest apply.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var loaded = await store.LoadOverridesAsync(cancellationToken).ConfigureAwait(false);
        var policies = new Dictionary<Guid, ModerationPolicy>();
        foreach (var o in loaded)
        {
            var policy = new ModerationPolicy(
                o.Profanity ?? _fleet.Profanity,
                o.Spam ?? _fleet.Spam,
                o.Toxicity ?? _fleet.Toxicity,
                string.Create(CultureInfo.InvariantCulture, $"workspace:{o.WorkspaceId}@{o.UpdatedAt:O}"));
            var problems = policy.Problems().ToList();
            if (problems.Count > 0)
            {
                LogInvalidOverride(o.WorkspaceId, string.Join("; ", problems));
                continue;
            }

            policies[o.WorkspaceId] = policy;
        }

        _overrides = policies.ToFrozenDictionary();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep judging with the last overrides read; MongoDB's own health check reports the outage.
                LogRefreshFailed(ex);
            }

            try
            {
                await Task.Delay(options.Value.RefreshInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring the moderation policy of workspace {WorkspaceId}: {Problems}")]
    private partial void LogInvalidOverride(Guid workspaceId, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the moderation policies; keeping the previous ones")]
    private partial void LogRefreshFailed(Exception exception);
}
