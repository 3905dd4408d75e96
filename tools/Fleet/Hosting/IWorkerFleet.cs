namespace QuikApp.Workers.Fleet.Hosting;

/// <summary>The fleet's running workers, in this process or as child processes.</summary>
internal interface IWorkerFleet : IAsyncDisposable
{
    /// <summary>Where the workers run, for the report: "in this process" or "as N processes".</summary>
    string Description { get; }

    IReadOnlyList<string> Workers { get; }

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the workers gracefully (consumers drain and commit), in the reverse order of starting.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Peak resident set per process in MiB, sampled while the workers ran (this process included).</summary>
    IReadOnlyDictionary<string, double> PeakRssMiB();
}
