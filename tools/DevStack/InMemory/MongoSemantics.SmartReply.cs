using MongoDB.Bson;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>MongoDB's behaviour on values, for the in-memory doubles (this part: what the smart-reply doubles need).</summary>
public static partial class MongoSemantics
{
    /// <summary>What <c>{ field: null }</c> matches: the field missing or holding null (MongoDB 7 also matches undefined).</summary>
    public static bool MatchesNull(BsonDocument document, string field)
    {
        ArgumentNullException.ThrowIfNull(document);
        return !document.TryGetValue(field, out var value) || value.IsBsonNull || value.IsBsonUndefined;
    }
}
