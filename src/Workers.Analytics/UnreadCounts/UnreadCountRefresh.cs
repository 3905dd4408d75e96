using MongoDB.Bson;
using MongoDB.Driver;

namespace QuikApp.Workers.Analytics.UnreadCounts;

/// <summary>Decides, per counted receipt, whether read_receipts.unreadCount needs writing, and renders the guarded write (pure).</summary>
public static class UnreadCountRefresh
{
    /// <summary>
    /// Whether the stored count differs from the computed one. At the cap both mean "cap or more": a stored 1003 (the
    /// message-service kept counting) and a computed 1000 agree, so the job does not fight the live counter.
    /// </summary>
    public static bool NeedsWrite(BsonValue? stored, long computed, int cap)
    {
        if (stored is null || !stored.IsNumeric)
        {
            return true;
        }

        var current = stored.ToInt64();
        return current != computed && !(computed >= cap && current >= cap);
    }

    /// <summary>
    /// The write for one output row of <see cref="UnreadCountsPipelines.CountUnread"/>, or null when the stored count is right.
    /// The filter repeats the <c>lastReadAt</c> the count was made against and the <c>unreadCount</c> that was read beside
    /// it (compare-and-set): when the user read the channel meanwhile (the message-service moved lastReadAt and reset the
    /// count) or a new message bumped the live counter, the update matches nothing and the fresher value stays. Without
    /// the second guard a count made just before a message arrived would set a badge back by one.
    /// </summary>
    public static UpdateOneModel<BsonDocument>? For(BsonDocument row, int cap)
    {
        ArgumentNullException.ThrowIfNull(row);
        var computed = row.GetValue("unreadCount", 0).ToInt32();
        if (!NeedsWrite(row.GetValue("storedUnreadCount", BsonNull.Value) is { IsBsonNull: false } stored ? stored : null, computed, cap))
        {
            return null;
        }

        var filter = new BsonDocument
        {
            { "_id", row["_id"] },
            { "lastReadAt", row.GetValue("lastReadAt", BsonNull.Value) },
            // Missing in the row means missing (or null) in the receipt: { unreadCount: null } matches exactly those.
            { "unreadCount", row.GetValue("storedUnreadCount", BsonNull.Value) },
        };
        return new UpdateOneModel<BsonDocument>(filter, new BsonDocument("$set", new BsonDocument("unreadCount", computed)));
    }
}
