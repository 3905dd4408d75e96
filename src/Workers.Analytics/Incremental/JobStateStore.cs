using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Incremental;

/// <summary>Reads and saves <see cref="JobState"/> in <c>QuikApp_analytics.job_state</c> (by <c>_id</c>; no other index).</summary>
/// <remarks>Reads go to the primary (as every catalog handle does): a job must see the watermark its own previous run saved.</remarks>
public sealed class JobStateStore(MongoCatalog catalog)
{
    private readonly IMongoCollection<BsonDocument> _states = JobWrites.Bounded(catalog.JobState);

    public async Task<JobState> ReadAsync(string job, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        var document = await _states.Find(new BsonDocument("_id", job)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return JobState.From(document);
    }

    /// <summary>Saves the state once a run has succeeded; a failed run keeps the previous one, so the next run redoes its work.</summary>
    public Task SaveAsync(string job, JobState state, DateTime updatedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        ArgumentNullException.ThrowIfNull(state);
        return _states.ReplaceOneAsync(
            new BsonDocument("_id", job),
            state.ToDocument(job, updatedAt),
            new ReplaceOptions { IsUpsert = true },
            cancellationToken);
    }
}
