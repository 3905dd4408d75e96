using QuikApp.Workers.Fleet.Reporting;

namespace QuikApp.Workers.Fleet.Hosting;

/// <summary>
/// The workers as hosts in this process, one <see cref="WebApplication"/> each, sharing the run's embedded Kafka (and,
/// without MongoDB, its in-memory stores). The analytics worker runs only with MongoDB.
/// </summary>
internal sealed class InProcessFleet(FleetEnvironment environment, string runDirectory, InMemoryFleetStores? stores,
    Action<string, IServiceCollection>? configure = null) : IWorkerFleet
{
    private readonly List<WebApplication> _hosts = [];

    public string Description => "in this process";

    public IReadOnlyList<string> Workers { get; } = environment.HasMongo ? FleetWorkers.All : [FleetWorkers.Moderation, FleetWorkers.Files];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var worker in Workers)
        {
            var host = WorkerHostFactory.Build(worker, environment, runDirectory, stores, configure);
            _hosts.Add(host);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts another host of <paramref name="worker"/> beside the fleet's (a consumer joining its group: a rebalance);
    /// the caller stops and disposes it (leaving the group).
    /// </summary>
    public async Task<WebApplication> JoinAsync(string worker, CancellationToken cancellationToken)
    {
        var host = WorkerHostFactory.Build(worker, environment, runDirectory, stores, configure);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public IReadOnlyDictionary<string, double> PeakRssMiB() => new Dictionary<string, double> { ["fleet"] = MachineInfo.PeakRssMiB() };

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        _hosts.Clear();
    }
}
