namespace QuikApp.Workers.Moderation.Learning;

/// <summary>What a rollback did: the model withdrawn, and the model of that kind promoted now (null: workers go back to their start-up model).</summary>
public sealed record RollbackResult(ModelKind Kind, string? Withdrawn, string? NowPromoted);

/// <summary>
/// Withdraws the kind's promoted model and restores the one it replaced: the previous model is promoted again (so it
/// is the newest promoted, and the current one is retired by that promotion), then the current one is marked rejected,
/// so neither a rerun of its training window nor a later rollback brings it back. With no previous model, workers fall
/// back to the model they started with (the bundled spam model; no learnt toxicity model). Workers follow within
/// <see cref="LearningOptions.ReloadInterval"/>.
/// </summary>
public sealed class ModelRollback(IModelRegistry registry, TimeProvider time)
{
    public async Task<RollbackResult> RollBackAsync(ModelKind kind, CancellationToken cancellationToken)
    {
        var current = await registry.NewestPromotedAsync(kind, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return new RollbackResult(kind, null, null);
        }

        var now = time.GetUtcNow();
        var previous = await registry.NewestRetiredAsync(kind, cancellationToken).ConfigureAwait(false);
        // Restore first: between the two steps workers see the previous model as the newest promoted, never nothing.
        if (previous is not null)
        {
            await registry.PromoteAsync(previous.Id, kind, now, cancellationToken).ConfigureAwait(false);
        }

        await registry.WithdrawAsync(current.Id, now, cancellationToken).ConfigureAwait(false);
        var promoted = await registry.NewestPromotedAsync(kind, cancellationToken).ConfigureAwait(false);
        return new RollbackResult(kind, current.Id, promoted?.Id);
    }
}
