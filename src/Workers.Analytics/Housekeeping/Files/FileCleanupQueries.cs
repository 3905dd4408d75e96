using MongoDB.Bson;

namespace QuikApp.Workers.Analytics.Housekeeping.Files;

/// <summary>Why a file was claimed, as stored in <c>housekeeping.reason</c>.</summary>
internal enum FileCleanupReason
{
    /// <summary><c>expiresAt</c> has passed or is within the lead time.</summary>
    Expired,

    /// <summary><c>deleted: true</c> for longer than the retention.</summary>
    SoftDeleted,
}

/// <summary>
/// The filters and updates of expired-files, as BSON (pure; compared with the intended documents in tests).
/// </summary>
/// <remarks>
/// A claim moves <c>expiresAt</c> into <c>housekeeping.expiresAt</c> and unsets it: a document without the indexed field
/// is never expired by the TTL monitor, so from the claim on the document (and with it the only record of where the
/// objects are) stays until this job has deleted the objects. <c>housekeeping.dueAt</c> is when the file may go: its
/// <c>expiresAt</c> for an expiring file (claimed up to the lead time early, deleted on time), the claim time for a
/// soft-deleted one.
/// </remarks>
internal static class FileCleanupQueries
{
    public const string Marker = "housekeeping";
    public const string ClaimedAt = "housekeeping.claimedAt";
    public const string DueAt = "housekeeping.dueAt";
    public const string Refused = "housekeeping.refused";

    /// <summary>What the deletion needs of a claimed document.</summary>
    public static BsonDocument Projection { get; } = new()
    {
        { "_id", 1 },
        { "fileId", 1 },
        { "workspaceId", 1 },
        { "storage", 1 },
        { "processing.derivatives", 1 },
        { Marker, 1 },
    };

    /// <summary>Unclaimed files expiring before <paramref name="now"/> + lead time (served by the TTL index on expiresAt).</summary>
    public static BsonDocument Expiring(DateTime now, TimeSpan leadTime) =>
        new("expiresAt", new BsonDocument("$lt", now + leadTime));

    /// <summary>Unclaimed files soft-deleted before <paramref name="now"/> − retention (served by the partial index on deletedAt).</summary>
    public static BsonDocument SoftDeleted(DateTime now, TimeSpan retention) => new()
    {
        { "deleted", true },
        { "deletedAt", new BsonDocument("$lt", now - retention) },
        { ClaimedAt, new BsonDocument("$exists", false) },
    };

    /// <summary>The candidates of one claim batch, re-checked so a file changed since it was read is not claimed.</summary>
    public static BsonDocument ClaimFilter(IEnumerable<BsonValue> ids, BsonDocument candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var filter = new BsonDocument("_id", new BsonDocument("$in", new BsonArray(ids)));
        filter.AddRange(candidates);
        return filter;
    }

    /// <summary>
    /// The claim, an update pipeline: stamp <c>housekeeping</c> (claim time, run, reason, due time, the original expiresAt),
    /// then unset <c>expiresAt</c>.
    /// </summary>
    public static BsonArray ClaimUpdate(FileCleanupReason reason, DateTime now, Guid runId)
    {
        BsonValue dueAt = reason == FileCleanupReason.Expired ? "$expiresAt" : now;
        var marker = new BsonDocument
        {
            { "claimedAt", now },
            { "runId", new BsonBinaryData(runId, GuidRepresentation.Standard) },
            { "reason", new BsonDocument("$literal", WireName(reason)) },
            { "dueAt", dueAt },
            // A missing expiresAt evaluates to missing, and $set leaves the field out.
            { "expiresAt", "$expiresAt" },
        };
        return
        [
            new BsonDocument("$set", new BsonDocument(Marker, marker)),
            new BsonDocument("$unset", "expiresAt"),
        ];
    }

    /// <summary>
    /// Claimed files whose time has come: due, not refused, and still out of the TTL index (a file whose expiresAt was set
    /// again after the claim — renewed upstream — is not due; it is claimed anew when it comes close again).
    /// </summary>
    public static BsonDocument Due(DateTime now) => new()
    {
        // $exists spelled out: the partial index on housekeeping.dueAt is filtered on it.
        { DueAt, new BsonDocument { { "$exists", true }, { "$lte", now } } },
        { "expiresAt", new BsonDocument("$exists", false) },
        { Refused, new BsonDocument("$exists", false) },
    };

    /// <summary>The documents of a processed batch whose objects are gone; still due, or they are left alone.</summary>
    public static BsonDocument DeleteFilter(IEnumerable<BsonValue> ids, DateTime now)
    {
        var filter = new BsonDocument("_id", new BsonDocument("$in", new BsonArray(ids)));
        filter.AddRange(Due(now));
        return filter;
    }

    /// <summary>Marks a file whose original this worker may not delete; it stays, for an operator, and is not retried.</summary>
    public static BsonDocument RefuseUpdate(string reason, DateTime now) => new(
        "$set",
        new BsonDocument
        {
            { Refused, reason },
            { "housekeeping.refusedAt", now },
        });

    public static string WireName(FileCleanupReason reason) => reason switch
    {
        FileCleanupReason.Expired => "expired",
        FileCleanupReason.SoftDeleted => "soft-deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
