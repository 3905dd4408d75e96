using MongoDB.Bson;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>MongoDB's behaviour on values, for the in-memory doubles (this part: the TTL monitor).</summary>
public static partial class MongoSemantics
{
    /// <summary>
    /// Whether the TTL monitor deletes a document whose indexed field holds <paramref name="field"/> under an index with
    /// <paramref name="expireAfter"/>, at <paramref name="now"/>: a date expires at date + expireAfter; an array of values
    /// at its earliest date; anything else (missing, null, a string, a number) never expires (manual, "TTL Indexes").
    /// </summary>
    /// <remarks>The real monitor runs every 60 s and may lag behind under load; a double runs it when a test says so.</remarks>
    public static bool TtlExpired(BsonValue? field, TimeSpan expireAfter, DateTimeOffset now)
    {
        var earliest = field switch
        {
            BsonDateTime date => date.ToUniversalTime(),
            BsonArray array => array.OfType<BsonDateTime>().Select(d => d.ToUniversalTime()).DefaultIfEmpty(DateTime.MaxValue).Min(),
            _ => DateTime.MaxValue,
        };
        return earliest != DateTime.MaxValue && new DateTimeOffset(earliest, TimeSpan.Zero) + expireAfter <= now;
    }
}
