using MongoDB.Bson;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>One batch's changes to the pairs: what to remove and what to write.</summary>
/// <param name="Upserts">Pairs to write (by <c>_id</c>).</param>
/// <param name="RemoveContaining">Remove every pair whose <c>messageIds</c> holds one of these messages…</param>
/// <param name="RemoveIds">…and every pair with one of these ids; in both cases except the pairs in <paramref name="Upserts"/>.</param>
public sealed record ReplyPairChanges(
    IReadOnlyList<ReplyPair> Upserts,
    IReadOnlyCollection<ObjectId> RemoveContaining,
    IReadOnlyCollection<string> RemoveIds)
{
    public bool IsEmpty => Upserts.Count == 0 && RemoveContaining.Count == 0 && RemoveIds.Count == 0;
}

/// <summary>How many pairs a snapshot holds, in all and per kind.</summary>
public sealed record ReplyPairCounts(long Pairs, long Thread, long Quick)
{
    public static ReplyPairCounts Zero { get; } = new(0, 0, 0);
}

/// <summary>The part of a pair that is exported for training: its kind, context and reply (no ids of any kind).</summary>
public sealed record SnapshotPair(ReplyPairKind Kind, IReadOnlyList<ReplyContextLine> Context, string Reply);

/// <summary>Stores the smart-reply training pairs (<c>QuikApp_smartreply.reply_pairs</c>).</summary>
public interface ISmartReplyPairStore
{
    /// <summary>
    /// Applies one batch's changes in one write: removals first, then upserts by <c>_id</c>. A pair written again with the
    /// same messages, context and reply keeps its <c>builtAt</c>, so a redelivered event changes nothing; a changed pair
    /// gets the new <c>builtAt</c> (and so leaves every snapshot taken before the change).
    /// </summary>
    /// <returns>How many pairs were removed.</returns>
    Task<long> ApplyAsync(ReplyPairChanges changes, CancellationToken cancellationToken);

    /// <summary>Removes every pair that contains one of the messages (as context or reply). Idempotent.</summary>
    /// <returns>How many pairs were removed.</returns>
    Task<long> DeleteContainingAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken);

    /// <summary>The reply message ids of the pairs that contain one of the messages, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ObjectId>> FindReplyIdsContainingAsync(IReadOnlyCollection<ObjectId> messageIds, int limit, CancellationToken cancellationToken);

    /// <summary>Counts the pairs built at or before <paramref name="cutoff"/>.</summary>
    Task<ReplyPairCounts> CountAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>Streams the pairs built at or before <paramref name="cutoff"/>, in a stable order (builtAt, then id).</summary>
    IAsyncEnumerable<SnapshotPair> StreamAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
