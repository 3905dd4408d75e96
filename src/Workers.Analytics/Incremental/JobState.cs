using MongoDB.Bson;

namespace QuikApp.Workers.Analytics.Incremental;

/// <summary>
/// What an incremental job remembers between runs, one document per job in <c>QuikApp_analytics.job_state</c>:
/// <c>{ _id: "&lt;job&gt;", watermark: ISODate, sweepAfter: &lt;_id&gt; | null, updatedAt: ISODate }</c>.
/// </summary>
/// <param name="Watermark">
/// When the last successful incremental run started (UTC, whole milliseconds): the next run looks at what changed since
/// then, minus an overlap. Null before the first successful run.
/// </param>
/// <param name="SweepAfter">Where the rolling full check stopped (the last <c>_id</c> it checked); null to start from the beginning.</param>
public sealed record JobState(DateTime? Watermark, BsonValue? SweepAfter)
{
    public static readonly JobState Empty = new(null, null);

    /// <summary>The stored document for <paramref name="job"/>, stamped <paramref name="updatedAt"/>.</summary>
    public BsonDocument ToDocument(string job, DateTime updatedAt) => new()
    {
        { "_id", job },
        { "watermark", Watermark is { } watermark ? new BsonDateTime(UtcDays.AsUtc(watermark)) : BsonNull.Value },
        { "sweepAfter", SweepAfter ?? BsonNull.Value },
        { "updatedAt", new BsonDateTime(UtcDays.AsUtc(updatedAt)) },
    };

    /// <summary>Reads a stored document; a missing one (or missing fields) means "never ran".</summary>
    public static JobState From(BsonDocument? document)
    {
        if (document is null)
        {
            return Empty;
        }

        var watermark = document.TryGetValue("watermark", out var value) && value is BsonDateTime date ? date.ToUniversalTime() : (DateTime?)null;
        var sweepAfter = document.TryGetValue("sweepAfter", out var after) && !after.IsBsonNull ? after : null;
        return new JobState(watermark, sweepAfter);
    }
}
