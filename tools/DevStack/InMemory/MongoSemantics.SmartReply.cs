using MongoDB.Bson;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>MongoDB's behaviour on values, for the in-memory doubles (this part: what the smart-reply doubles need).</summary>
/// <remarks>
/// Named apart from the shared members of <c>MongoSemantics.cs</c> (another part, written in parallel):
/// <see cref="StoredAsBsonDate"/> is the same rule as its <c>Millis</c>; the smart-reply doubles can move to that one
/// once both parts are merged.
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
}
