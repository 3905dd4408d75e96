using System.Collections.Concurrent;
using MongoDB.Bson;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Testing.Scheduling;

/// <summary>
/// Job-run records in memory, for tests without MongoDB. Besides the records it keeps each run's document as MongoDB would
/// (the inserted document with the finish's <c>$set</c> applied; BSON dates, so milliseconds): held to
/// <see cref="MongoJobRunStore"/> by the job-run store specification.
/// </summary>
public sealed class InMemoryJobRunStore : IJobRunStore
{
    private readonly Lock _lock = new();

    public ConcurrentDictionary<Guid, (JobRunStart Start, JobRunFinish? Finish)> Runs { get; } = new();

    /// <summary>The job_runs documents by run id, as MongoDB would hold them.</summary>
    public ConcurrentDictionary<Guid, BsonDocument> Documents { get; } = new();

    /// <summary>A copy of the run's document, as a read from MongoDB returns one; null when the run was never recorded.</summary>
    public BsonDocument? Read(Guid runId)
    {
        lock (_lock)
        {
            return Documents.TryGetValue(runId, out var document) ? document.DeepClone().AsBsonDocument : null;
        }
    }

    public Task RecordStartAsync(JobRunStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        lock (_lock)
        {
            // The run id is job_runs' _id: a second insert is a duplicate key (E11000) in MongoDB.
            if (!Runs.TryAdd(start.RunId, (start, null)))
            {
                throw new InvalidOperationException($"E11000 duplicate key: run {start.RunId} recorded twice");
            }

            Documents[start.RunId] = start.ToDocument();
        }

        return Task.CompletedTask;
    }

    public Task RecordFinishAsync(JobRunFinish finish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finish);
        lock (_lock)
        {
            if (!Runs.TryGetValue(finish.RunId, out var run))
            {
                throw new InvalidOperationException($"job_runs has no run {finish.RunId} to complete.");
            }

            Runs[finish.RunId] = (run.Start, finish);
            var document = Documents[finish.RunId];
            foreach (var element in finish.ToUpdate()["$set"].AsBsonDocument)
            {
                document[element.Name] = element.Value;
            }
        }

        return Task.CompletedTask;
    }
}
