using MongoDB.Bson;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>What the moderation doubles need of MongoDB's behaviour (the shared members live in MongoSemantics.cs).</summary>
public static partial class MongoSemantics
{
    /// <summary>
    /// An instant as MongoDB stores and returns it: a BSON date keeps whole milliseconds (the driver truncates the ticks
    /// below). Named apart from the shared helper so the two partial files never clash.
    /// </summary>
    public static DateTimeOffset ModerationStoredDate(DateTimeOffset at) =>
        new(at.UtcTicks - ((at.UtcTicks - DateTime.UnixEpoch.Ticks) % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    /// <inheritdoc cref="ModerationStoredDate(DateTimeOffset)"/>
    public static DateTimeOffset? ModerationStoredDate(DateTimeOffset? at) => at is { } value ? ModerationStoredDate(value) : null;

    /// <summary>
    /// Equality as a MongoDB query filter applies it to one field (<c>{ field: value }</c>, or one member of <c>$in</c>):
    /// values of different BSON types never match (a string "65a…" is not an ObjectId), except numbers, which compare by
    /// value across int, long, double and decimal.
    /// </summary>
    public static bool ModerationFilterEquals(BsonValue stored, BsonValue wanted)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(wanted);
        if (stored.IsNumeric && wanted.IsNumeric)
        {
            return stored.ToDecimal128().Equals(wanted.ToDecimal128());
        }

        return stored.BsonType == wanted.BsonType && stored.Equals(wanted);
    }

    /// <summary>The BSON date a field holds, or null when it is missing, null or of another type (a range filter on a date ignores those).</summary>
    public static DateTimeOffset? ModerationDateField(BsonDocument document, string field)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.GetValue(field, BsonNull.Value) is BsonDateTime at ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero) : null;
    }

    /// <summary>A duplicate-key write error as the driver reports a single insert's (code 11000).</summary>
    public static InvalidOperationException ModerationDuplicateKey(string collection, string index, BsonValue key) =>
        new($"E11000 duplicate key error collection: {collection} index: {index} dup key: {{ {key} }} (in-memory store)");
}
