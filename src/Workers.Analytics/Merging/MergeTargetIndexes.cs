using System.Collections.Concurrent;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Merging;

/// <summary>
/// Makes sure a $merge target has its unique <c>on</c> index before a job merges into it, once per process.
/// </summary>
/// <remarks>
/// The worker builds its indexes at start (Mongo:EnsureIndexesOnStart), but <c>run-job</c> starts no hosted service and an
/// operator may have switched start-up bootstrapping off; without the index $merge fails ("Cannot find index to verify
/// that join fields will be unique"). createIndexes on an existing identical index is a no-op, so this is cheap, and two
/// callers racing both ensuring it is harmless.
/// </remarks>
public sealed class MergeTargetIndexes(MongoIndexBootstrapper bootstrapper)
{
    private readonly ConcurrentDictionary<MongoCollectionRef, bool> _ensured = new();

    /// <summary>The unique index <c>$merge</c> needs on <paramref name="target"/>, as declared in <see cref="MongoIndexCatalog"/>.</summary>
    public static MongoIndexDefinition For(MongoCollectionRef target) =>
        MongoIndexCatalog.All.Single(index => index.CollectionRef == target && index.Owner == IndexOwner.Analytics && index.Unique);

    public async Task EnsureAsync(MongoCollectionRef target, CancellationToken cancellationToken)
    {
        if (_ensured.ContainsKey(target))
        {
            return;
        }

        var report = await bootstrapper.EnsureAsync([For(target)], cancellationToken).ConfigureAwait(false);
        if (report.HasConflicts)
        {
            throw new InvalidOperationException(
                $"Cannot $merge into {target.Collection}: its unique index conflicts with an existing one ({string.Join("; ", report.Conflicts)}).");
        }

        _ensured.TryAdd(target, true);
    }
}
