using MongoDB.Bson;

namespace QuikApp.Workers.Analytics.Housekeeping.Reactions;

/// <summary>The reactions of one scanned batch whose message does not exist, and where the scan goes on from.</summary>
/// <param name="OrphanIds">Reactions to delete.</param>
/// <param name="MissingMessageIds">The messages they point at, none of which exists.</param>
/// <param name="ResumeAfter">The last scanned reaction id, or null when the pass reached its end (the next run starts over).</param>
internal sealed record OrphanBatchResult(IReadOnlyList<BsonValue> OrphanIds, IReadOnlyList<BsonValue> MissingMessageIds, ObjectId? ResumeAfter)
{
    /// <summary>Reactions whose messageId is an ObjectId (the type of <c>messages._id</c>): only these were judged.</summary>
    public int Judged { get; init; }

    /// <summary>Reactions whose messageId is of another BSON type (a string, a number...): never judged, never deleted.</summary>
    public int SkippedOtherType { get; init; }
}

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

    /// <summary>
    /// The distinct message ids a batch of reactions points at, only those of <c>messages._id</c>'s type (ObjectId).
    /// </summary>
    /// <remarks>
    /// <c>$in</c> compares within a BSON type only: a string "65a4..." never matches the ObjectId 65a4..., so a message id
    /// of another type would come back "missing" and its reaction would be deleted although its message exists. Such
    /// reactions are not judged at all (and are counted), rather than guessed at by converting their ids.
    /// </remarks>
    public static IReadOnlyList<BsonValue> MessageIdsOf(IReadOnlyList<BsonDocument> reactions)
    {
        ArgumentNullException.ThrowIfNull(reactions);
        return [.. reactions.Select(MessageIdOf).OfType<BsonObjectId>().Distinct()];
    }

    /// <summary>
    /// Whether a batch's orphans are too many to be believed: more than <paramref name="maxRatio"/> of the judged reactions
    /// of a batch of at least <paramref name="minJudged"/>. Orphans are rare (a message hard-deleted upstream, a reaction
    /// racing the retention cascade); half a batch of them means the anti-join is wrong (ids of an unexpected shape, a
    /// restored or half-migrated messages collection), so nothing is deleted and the run fails for an operator to look.
    /// </summary>
    public static bool IsImplausible(OrphanBatchResult result, double maxRatio, int minJudged)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Judged >= minJudged && result.Judged > 0 && result.OrphanIds.Count > maxRatio * result.Judged;
    }

    /// <summary>Which reactions of the batch are orphans, given the message ids that exist; and where the next batch starts.</summary>
    public static OrphanBatchResult Judge(IReadOnlyList<BsonDocument> reactions, IReadOnlyCollection<BsonValue> existingMessageIds, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(reactions);
        ArgumentNullException.ThrowIfNull(existingMessageIds);
        var existing = existingMessageIds as ISet<BsonValue> ?? existingMessageIds.ToHashSet();
        var judged = reactions.Where(reaction => MessageIdOf(reaction) is BsonObjectId).ToList();
        var orphans = judged.Where(reaction => !existing.Contains(MessageIdOf(reaction)!)).ToList();
        var resumeAfter = reactions.Count >= batchSize && reactions[^1]["_id"] is BsonObjectId last ? last.Value : (ObjectId?)null;
        return new OrphanBatchResult(
            [.. orphans.Select(reaction => reaction["_id"])],
            [.. orphans.Select(reaction => MessageIdOf(reaction)!).Distinct()],
            resumeAfter)
        {
            Judged = judged.Count,
            SkippedOtherType = reactions.Count(reaction => MessageIdOf(reaction) is { } id && id is not BsonObjectId),
        };
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
