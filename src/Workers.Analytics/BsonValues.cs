using MongoDB.Bson;

namespace QuikApp.Workers.Analytics;

/// <summary>Small BSON constructors the pipeline builders share, so every stage renders values the same way.</summary>
public static class BsonValues
{
    /// <summary>A UTC BSON date (an unspecified Kind is taken as UTC).</summary>
    public static BsonDateTime Date(DateTime instant) => new(Incremental.UtcDays.AsUtc(instant));

    /// <summary>A UUID as the contract stores it: BSON binary subtype 4.</summary>
    public static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    /// <summary><c>{ $dateTrunc: { date: &lt;field&gt;, unit: "day", timezone: "UTC" } }</c>: the UTC day a date falls in (MongoDB 5.0+).</summary>
    public static BsonDocument DayOf(string fieldPath) => new("$dateTrunc", new BsonDocument
    {
        { "date", fieldPath },
        { "unit", "day" },
        { "timezone", "UTC" },
    });

    /// <summary><c>{ $dateToString: { format: "%Y-%m-%d", date: &lt;expr&gt; } }</c>: the seed's day label (UTC unless told otherwise).</summary>
    public static BsonDocument DayLabel(BsonValue date) => new("$dateToString", new BsonDocument
    {
        { "format", "%Y-%m-%d" },
        { "date", date },
    });

    /// <summary>Sorts BSON values the way the server's <c>$sort</c> does for same-typed values (for stable test output and batches).</summary>
    public static int Compare(BsonValue? left, BsonValue? right) =>
        left is null ? (right is null ? 0 : -1) : right is null ? 1 : left.CompareTo(right);
}
