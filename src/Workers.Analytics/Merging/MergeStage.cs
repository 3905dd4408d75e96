using MongoDB.Bson;

namespace QuikApp.Workers.Analytics.Merging;

/// <summary>Renders the <c>$merge</c> stage the aggregation jobs end with (pure).</summary>
/// <remarks>
/// Facts from the manual (https://www.mongodb.com/docs/v7.0/reference/operator/aggregation/merge/) this relies on:
/// <list type="bullet">
/// <item><c>into: { db, coll }</c> may name another database (the jobs read QuikApp_messages / QuikApp_moderation and
/// write QuikApp_analytics).</item>
/// <item><c>on</c> needs a unique, non-partial index whose keys are exactly the <c>on</c> fields, and for an existing output
/// collection it must exist beforehand; for a collection that does not exist yet <c>on</c> can only be <c>_id</c>. Hence
/// <see cref="MergeTargetIndexes"/> creates the target's unique index before the first $merge.</item>
/// <item>The <c>on</c> fields may not be null or arrays in a result document: the pipelines drop groups without a workspace.</item>
/// <item>A result with an <c>_id</c> different from the matched document's is an error under replace/merge; the
/// pipelines <c>$project</c> <c>_id: 0</c> so the matched document keeps its own.</item>
/// </list>
/// <c>whenMatched: "replace"</c> because each output document is wholly computed by its job: a replaced document
/// carries no stale field from an older shape. Reruns write the same figures (only <c>computedAt</c> moves), which is what
/// makes the jobs idempotent.
/// </remarks>
public static class MergeStage
{
    public static BsonDocument Into(string database, string collection, params string[] on)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        if (on.Length == 0)
        {
            throw new ArgumentException("$merge needs its on fields.", nameof(on));
        }

        return new BsonDocument("$merge", new BsonDocument
        {
            { "into", new BsonDocument { { "db", database }, { "coll", collection } } },
            { "on", new BsonArray(on) },
            { "whenMatched", "replace" },
            { "whenNotMatched", "insert" },
        });
    }
}
