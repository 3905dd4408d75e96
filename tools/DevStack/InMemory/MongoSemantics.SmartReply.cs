using MongoDB.Bson;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>MongoDB's behaviour on values, for the in-memory doubles (this part: what the smart-reply doubles need).</summary>
/// <remarks>
/// Named apart from the shared members of <c>MongoSemantics.cs</c> (another part), which may define the same rules
/// under other names; the smart-reply doubles can move to those once both exist.
/// </remarks>
public static partial class MongoSemantics
{
    /// <summary>
    /// The date MongoDB stores (and compares) for <paramref name="value"/>: a BSON date holds milliseconds since the
    /// epoch, and the driver drops the sub-millisecond ticks, in stored values and in query bounds alike.
    /// </summary>
    public static DateTimeOffset StoredAsBsonDate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    /// <summary>What <c>{ field: null }</c> matches: the field missing or holding null (MongoDB 7 also matches undefined).</summary>
    public static bool MatchesNull(BsonDocument document, string field)
    {
        ArgumentNullException.ThrowIfNull(document);
        return !document.TryGetValue(field, out var value) || value.IsBsonNull || value.IsBsonUndefined;
    }

    /// <summary>
    /// Query equality (<c>{ field: value }</c>, an <c>$in</c> member) on scalar values: type-bracketed, so a string never
    /// equals an ObjectId (even its own hex) and a UUID never equals its string, while numbers compare by value across
    /// int, long and double.
    /// </summary>
    public static bool QueryEquals(BsonValue stored, BsonValue queried)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(queried);
        if (stored.IsNumeric && queried.IsNumeric)
        {
            return stored.IsDecimal128 || queried.IsDecimal128
                ? stored.ToDecimal128() == queried.ToDecimal128()
                : stored.IsDouble || queried.IsDouble ? stored.ToDouble() == queried.ToDouble() : stored.ToInt64() == queried.ToInt64();
        }

        return stored.BsonType == queried.BsonType && stored.Equals(queried);
    }

    /// <summary>What <c>{ field: { $in: values } }</c> matches for a scalar field (arrays are not needed here).</summary>
    public static bool MatchesIn(BsonDocument document, string field, IEnumerable<BsonValue> values)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(values);
        var stored = document.GetValue(field, BsonNull.Value);
        return document.Contains(field)
            ? values.Any(v => QueryEquals(stored, v))
            : values.Any(v => v.IsBsonNull); // a missing field matches null
    }
}
