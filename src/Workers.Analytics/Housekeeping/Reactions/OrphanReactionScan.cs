using MongoDB.Bson;

namespace QuikApp.Workers.Analytics.Housekeeping.Reactions;

/// <summary>The reactions of one scanned batch whose message does not exist, and where the scan goes on from.</summary>
/// <param name="OrphanIds">Reactions to delete.</param>
/// <param name="MissingMessageIds">The messages they point at, none of which exists.</param>
/// <param name="ResumeAfter">The last scanned reaction id, or null when the pass reached its end (the next run starts over).</param>
internal sealed record OrphanBatchResult(IReadOnlyList<BsonValue> OrphanIds, IReadOnlyList<BsonValue> MissingMessageIds, ObjectId? ResumeAfter);

/// <summary>
/// orphan-reactions as pure logic: a resumable pass over <c>reactions</c> in <c>_id</c> order, an anti-join of each batch's
/// message ids against <c>messages</c>, and the guarded delete.
/// </summary>
/// <remarks>
/// An anti-join by ids rather than <c>$lookup</c>: both are in QuikApp_messages, but the batch is small and the lookup of
/// its distinct message ids is one <c>_id $in</c> query on the primary, which is what decides existence here — a lagging
/// secondary would report a new message missing and get its reactions deleted.
/// </remarks>
internal static class OrphanReactionScan
{
    public const string StateId = "orphan-reactions";

    public static BsonDocument Projection { get; } = new() { { "_id", 1 }, { "messageId", 1 } };

    public static BsonDocument Sort { get; } = new("_id", 1);

    /// <summary>
    /// Reactions after <paramref name="after"/> (the previous batch's last) and created before <paramref name="before"/>:
    /// younger reactions are left to a later pass (grace period), read by the <c>_id</c> index.
    /// </summary>
    public static BsonDocument Batch(ObjectId? after, ObjectId before)
    {
        var range = new BsonDocument();
        if (after is { } last)
        {
            range.Add("$gt", last);
        }

        range.Add("$lt", before);
        return new BsonDocument("_id", range);
    }

    /// <summary>The smallest ObjectId of a second: reactions whose id is below it were created before <paramref name="time"/>.</summary>
    public static ObjectId Floor(DateTimeOffset time)
    {
        var seconds = checked((uint)time.ToUnixTimeSeconds());
        var bytes = new byte[12];
        bytes[0] = (byte)(seconds >> 24);
        bytes[1] = (byte)(seconds >> 16);
        bytes[2] = (byte)(seconds >> 8);
        bytes[3] = (byte)seconds;
        return new ObjectId(bytes);
    }

    /// <summary>The distinct message ids a batch of reactions points at (reactions without one are not judged).</summary>
    public static IReadOnlyList<BsonValue> MessageIdsOf(IReadOnlyList<BsonDocument> reactions)
    {
        ArgumentNullException.ThrowIfNull(reactions);
        return [.. reactions.Select(MessageIdOf).OfType<BsonValue>().Distinct()];
    }

    /// <summary>Which reactions of the batch are orphans, given the message ids that exist; and where the next batch starts.</summary>
    public static OrphanBatchResult Judge(IReadOnlyList<BsonDocument> reactions, IReadOnlyCollection<BsonValue> existingMessageIds, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(reactions);
        ArgumentNullException.ThrowIfNull(existingMessageIds);
        var existing = existingMessageIds as ISet<BsonValue> ?? existingMessageIds.ToHashSet();
        var orphans = reactions.Where(reaction => MessageIdOf(reaction) is { } messageId && !existing.Contains(messageId)).ToList();
        var resumeAfter = reactions.Count >= batchSize && reactions[^1]["_id"] is BsonObjectId last ? last.Value : (ObjectId?)null;
        return new OrphanBatchResult(
            [.. orphans.Select(reaction => reaction["_id"])],
            [.. orphans.Select(reaction => MessageIdOf(reaction)!).Distinct()],
            resumeAfter);
    }

    /// <summary>The delete, re-checking the message id: a reaction moved to another message meanwhile is not deleted.</summary>
    public static BsonDocument DeleteFilter(OrphanBatchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new BsonDocument
        {
            { "_id", new BsonDocument("$in", new BsonArray(result.OrphanIds)) },
            { "messageId", new BsonDocument("$in", new BsonArray(result.MissingMessageIds)) },
        };
    }

    private static BsonValue? MessageIdOf(BsonDocument reaction) =>
        reaction.GetValue("messageId", BsonNull.Value) is { IsBsonNull: false } messageId ? messageId : null;
}
