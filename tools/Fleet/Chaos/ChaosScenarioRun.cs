using System.Diagnostics;
using QuikApp.Workers.Fleet.Faults;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Fleet.Reporting;

namespace QuikApp.Workers.Fleet.Chaos;

/// <summary>
/// One scenario played against one fleet run: it prepares the workers (<see cref="ConfigureWorker"/>), runs its
/// timeline beside the workload (<see cref="RunAsync"/>), and logs each fault as it is injected or healed. The
/// timeline never throws: a step that fails is logged as such and fails the scenario.
/// </summary>
internal sealed class ChaosScenarioRun(ChaosScenario scenario)
{
    private readonly List<InjectedFault> _log = [];
    private readonly Stopwatch _clock = new();
    private readonly Dictionary<string, FaultableObjectStore> _storage = new(StringComparer.Ordinal);

    /// <summary>A step of the timeline threw (the fault could not be injected or healed).</summary>
    public bool TimelineFailed { get; private set; }

    public IReadOnlyList<InjectedFault> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>The files worker's object storage, faultable, when the scenario asked for it.</summary>
    public FaultableObjectStore Storage(string worker) => _storage[worker];

    /// <summary>Called for each worker host before it starts (in this process).</summary>
    public void ConfigureWorker(string worker, IServiceCollection services, FleetEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (scenario.FaultableStorage && worker == FleetWorkers.Files)
        {
            _storage[worker] = FaultableObjectStore.Install(services, environment.StorageRoot);
        }
    }

    public async Task RunAsync(FleetFaults faults, CancellationToken cancellationToken)
    {
        _clock.Restart();
        try
        {
            await scenario.Timeline(new ChaosContext(this, faults), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record("stopped: the run was cancelled");
        }
        catch (Exception ex)
        {
            TimelineFailed = true;
            Record($"timeline failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Notes what was just done, at the time since the timeline started.</summary>
    public void Record(string what)
    {
        lock (_log)
        {
            _log.Add(new InjectedFault(Math.Round(_clock.Elapsed.TotalSeconds, 1), what));
        }
    }

    /// <summary>Waits until <paramref name="seconds"/> after the timeline started.</summary>
    public Task At(double seconds, CancellationToken cancellationToken) =>
        TimeSpan.FromSeconds(seconds) - _clock.Elapsed is var wait && wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;

    public ChaosSummary Summary((int Derived, int DeadLetters) copies) =>
        new(scenario.Name, scenario.Description, Log, copies.Derived, copies.DeadLetters);
}

/// <summary>What a scenario's timeline gets: the fault handles of <see cref="FleetFaults"/>, the log and the clock.</summary>
internal sealed class ChaosContext(ChaosScenarioRun run, FleetFaults faults)
{
    public FleetFaults Faults => faults;

    public ChaosScenarioRun Run => run;

    public Task At(double seconds, CancellationToken cancellationToken) => run.At(seconds, cancellationToken);

    public void Record(string what) => run.Record(what);
}
