namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>The engines running in this process, for readiness and diagnostics.</summary>
public sealed class ConsumerEngineRegistry
{
    private readonly List<Func<ConsumerEngineStatus>> _sources = [];
    private readonly Lock _gate = new();

    public void Register(Func<ConsumerEngineStatus> status)
    {
        lock (_gate)
        {
            _sources.Add(status);
        }
    }

    public IReadOnlyList<ConsumerEngineStatus> Snapshot()
    {
        lock (_gate)
        {
            return [.. _sources.Select(s => s())];
        }
    }
}
