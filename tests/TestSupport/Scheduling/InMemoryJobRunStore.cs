using System.Collections.Concurrent;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Testing.Scheduling;

/// <summary>Job-run records in memory, for tests without MongoDB.</summary>
public sealed class InMemoryJobRunStore : IJobRunStore
{
    public ConcurrentDictionary<Guid, (JobRunStart Start, JobRunFinish? Finish)> Runs { get; } = new();

    public Task RecordStartAsync(JobRunStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (!Runs.TryAdd(start.RunId, (start, null)))
        {
            throw new InvalidOperationException($"run {start.RunId} recorded twice");
        }

        return Task.CompletedTask;
    }

    public Task RecordFinishAsync(JobRunFinish finish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finish);
        Runs.AddOrUpdate(finish.RunId, _ => throw new InvalidOperationException($"run {finish.RunId} was never started"), (_, run) => (run.Start, finish));
        return Task.CompletedTask;
    }
}
