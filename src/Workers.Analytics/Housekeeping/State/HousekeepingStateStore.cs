using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Housekeeping.State;

/// <summary>
/// <c>QuikApp_analytics.housekeeping_state</c>: one small document per job that needs to resume where its last run stopped,
/// <c>{ _id: &lt;job&gt;, after: &lt;last id done&gt; | null, updatedAt }</c>.
/// </summary>
public sealed class HousekeepingStateStore(MongoCatalog catalog)
{
    public const string CollectionName = "housekeeping_state";

    private IMongoCollection<BsonDocument> States =>
        JobWrites.Bounded(catalog.Collection<BsonDocument>(QuikAppDatabase.Analytics, CollectionName));

    /// <summary>The id the job's scan goes on after, or null to start from the beginning.</summary>
    public async Task<ObjectId?> ReadCursorAsync(string job, CancellationToken cancellationToken)
    {
        var state = await States.Find(new BsonDocument("_id", job)).FirstOrDefaultAsync(cancellationToken);
        return state?.GetValue("after", BsonNull.Value) is BsonObjectId after ? after.Value : null;
    }

    /// <summary>Saves where the scan goes on (null: the pass is complete, start over next time).</summary>
    public Task SaveCursorAsync(string job, ObjectId? after, DateTime now, CancellationToken cancellationToken) =>
        States.UpdateOneAsync(
            new BsonDocument("_id", job),
            new BsonDocument("$set", new BsonDocument
            {
                { "after", after is { } id ? id : BsonNull.Value },
                { "updatedAt", now },
            }),
            new UpdateOptions { IsUpsert = true },
            cancellationToken);
}
