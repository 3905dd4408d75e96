namespace QuikApp.Workers.Shared.Mongo;

/// <summary>
/// Open while every required index this worker owns (<see cref="MongoIndexDefinition.Required"/>) is in place; closed while
/// one is missing or conflicting. Consumers wait on it before they start (<see cref="WaitAsync"/>), and the readiness check
/// reports why it is closed (<see cref="MongoRequiredIndexesHealthCheck"/>).
/// </summary>
/// <remarks>
/// Open by default: a worker without the index bootstrap (or with Mongo:EnsureIndexesOnStart off, where an operator builds
/// the indexes) is not held back. <see cref="MongoIndexBootstrapService"/> closes it when its start-up run leaves a required
/// index unsatisfied and opens it once a retry has built it.
/// </remarks>
public sealed class MongoRequiredIndexGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _opened = NewOpened(completed: true);
    private IReadOnlyList<IndexBootstrapResult> _unsatisfied = [];

    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _opened.Task.IsCompleted;
            }
        }
    }

    /// <summary>The required indexes that are not in place (empty when open).</summary>
    public IReadOnlyList<IndexBootstrapResult> Unsatisfied
    {
        get
        {
            lock (_lock)
            {
                return _unsatisfied;
            }
        }
    }

    /// <summary>Completes when the gate is open (at once if it is).</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task opened;
        lock (_lock)
        {
            opened = _opened.Task;
        }

        return opened.WaitAsync(cancellationToken);
    }

    /// <summary>Closes the gate for these unsatisfied required indexes; an empty list opens it.</summary>
    public void Set(IReadOnlyList<IndexBootstrapResult> unsatisfied)
    {
        ArgumentNullException.ThrowIfNull(unsatisfied);
        lock (_lock)
        {
            _unsatisfied = unsatisfied;
            if (unsatisfied.Count == 0)
            {
                _opened.TrySetResult();
            }
            else if (_opened.Task.IsCompleted)
            {
                _opened = NewOpened(completed: false);
            }
        }
    }

    private static TaskCompletionSource NewOpened(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }
}
