using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Incremental;

/// <summary>The handle every analytics job writes through: the catalog's (primary reads), with w:majority bounded by a wtimeout.</summary>
/// <remarks>
/// Without wtimeout a w:majority write waits for ever while a majority of voting members is unreachable, and the job holds
/// its lease (renewed all the while) doing nothing. With it the write fails with a write concern error after
/// <see cref="WriteConcernTimeout"/>; the run fails and keeps its previous state (watermark, cursor), and the next run
/// redoes the work. That is safe because every job write is idempotent: guarded updates that match nothing the second
/// time, <c>$merge</c> of recomputed documents, deletes by id (see <see cref="MongoOperationBounds"/>).
/// </remarks>
public static class JobWrites
{
    /// <summary>How long a job's write waits for a majority of voting members to acknowledge it.</summary>
    public static readonly TimeSpan WriteConcernTimeout = TimeSpan.FromSeconds(60);

    public static IMongoCollection<BsonDocument> Bounded(IMongoCollection<BsonDocument> collection) =>
        MongoOperationBounds.WithWriteTimeout(collection, WriteConcernTimeout);
}
