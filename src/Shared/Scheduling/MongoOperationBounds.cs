using MongoDB.Driver;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Bounds how long a catalog handle's writes wait for their write concern, keeping every other setting (the primary reads above all).</summary>
/// <remarks>
/// The client writes with w:majority and no wtimeout: with a majority of voting members unreachable such a write waits
/// for ever. <c>wtimeout</c> ends that wait with a write concern error (<see cref="MongoWriteConcernException"/>); the write
/// has then been applied on the primary but is not known to be majority-committed, and may yet be rolled back. So every
/// bounded write here is one whose repetition is harmless (guarded updates, upserts of the same values, deletes by id),
/// and a caller treats the error as "not known to have happened". Server selection is bounded by the client
/// (<c>Mongo:ServerSelectionTimeout</c>), and callers pass a cancellation token for the rest. (The driver's client-side
/// operation timeout, <c>timeoutMS</c>, is not a public collection setting in the 3.x driver this project uses.)
/// </remarks>
public static class MongoOperationBounds
{
    public static IMongoCollection<TDocument> WithWriteTimeout<TDocument>(IMongoCollection<TDocument> collection, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return collection.WithWriteConcern(collection.Settings.WriteConcern.With(wTimeout: timeout));
    }
}
