using QuikApp.Workers.DevStack.Clamd;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Fleet.Stack;
using QuikApp.Workers.Shared.Kafka.Embedded;

namespace QuikApp.Workers.Fleet.Faults;

/// <summary>
/// Everything a <c>chaos</c> scenario can break on purpose, handed to its timeline once the workers run
/// (<see cref="Chaos.ChaosScenarioRun.RunAsync"/>, docs/fleet.md "Chaos"): the embedded brokers, the clamd process,
/// the workers (their processes with --processes, their in-memory stores without MongoDB). Object storage is made
/// faultable with <see cref="FaultableObjectStore.Install"/> in <see cref="Chaos.ChaosScenarioRun.ConfigureWorker"/>.
/// </summary>
internal sealed class FleetFaults(FleetStack stack, IWorkerFleet workers, InMemoryFleetStores? stores)
{
    /// <summary><c>SetBrokerDown/Up</c>, <c>SetPartitionLeader</c>, <c>PushRequestErrors</c> (docs/embedded-kafka.md).</summary>
    public EmbeddedKafkaCluster Kafka => stack.Kafka;

    /// <summary><c>StopAsync</c> kills clamd; <c>RestartAsync</c> brings it back on the same port.</summary>
    public ClamdProcess Clamd => stack.Clamd;

    /// <summary>The workers: a <see cref="ProcessFleet"/> can kill and restart one; an <see cref="InProcessFleet"/> exposes its hosts.</summary>
    public IWorkerFleet Workers => workers;

    /// <summary>Without MongoDB: the stores, whose <c>FailNext(n)</c> makes the next writes fail as an unreachable MongoDB would.</summary>
    public InMemoryFleetStores? Stores => stores;
}
