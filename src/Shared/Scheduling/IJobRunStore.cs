using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Where runs are recorded: inserted when a run starts, updated when it ends. Runtime: <see cref="MongoJobRunStore"/>.</summary>
public interface IJobRunStore
{
    Task RecordStartAsync(JobRunStart start, CancellationToken cancellationToken);

    Task RecordFinishAsync(JobRunFinish finish, CancellationToken cancellationToken);
}

/// <summary>Job runs in <c>&lt;Scheduling:Database&gt;.job_runs</c>, indexed { job: 1, startedAt: -1 } (owner <see cref="IndexOwner.Scheduling"/>).</summary>
public sealed class MongoJobRunStore : IJobRunStore
{
    private readonly IMongoCollection<BsonDocument> _runs;

    public MongoJobRunStore(MongoCatalog catalog, IOptions<SchedulingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        // Bounded like the leases (wtimeout = Scheduling:OperationTimeout): recording a run must not hold the runner for ever.
        _runs = MongoOperationBounds.WithWriteTimeout(
            catalog.Collection<BsonDocument>(options.Value.Database, MongoCatalog.Collections.JobRuns), options.Value.OperationTimeout);
    }

    /// <summary>The handle every record goes through (its settings are what tests assert).</summary>
    internal IMongoCollection<BsonDocument> Runs => _runs;

    public Task RecordStartAsync(JobRunStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        return _runs.InsertOneAsync(start.ToDocument(), cancellationToken: cancellationToken);
    }

    public async Task RecordFinishAsync(JobRunFinish finish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finish);
        var result = await _runs.UpdateOneAsync(
            new BsonDocument(JobRunFields.Id, new BsonBinaryData(finish.RunId, GuidRepresentation.Standard)),
            finish.ToUpdate(),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.MatchedCount != 1)
        {
            throw new InvalidOperationException($"job_runs has no run {finish.RunId} to complete.");
        }
    }
}
