using MongoDB.Bson;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>What the moderation doubles need of MongoDB's behaviour (the shared members live in MongoSemantics.cs).</summary>
public static partial class MongoSemantics
{
    /// <summary>The BSON date a field holds, or null when it is missing, null or of another type (a range filter on a date ignores those).</summary>
    public static DateTimeOffset? ModerationDateField(BsonDocument document, string field)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.GetValue(field, BsonNull.Value) is BsonDateTime at ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero) : null;
    }
}
