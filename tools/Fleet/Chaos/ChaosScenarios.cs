using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Embedded;

namespace QuikApp.Workers.Fleet.Chaos;

/// <summary>
/// A way to break the fleet on purpose while a workload runs, after which the conservation check must still pass.
/// </summary>
/// <param name="Processes">Whether the workers must run as child processes (a SIGKILL needs a process to kill).</param>
/// <param name="FaultableStorage">Whether the files worker's object storage is wrapped so the timeline can make it fail.</param>
/// <param name="NeedsInMemoryStores">Whether the scenario drives the in-memory stores (skipped with MongoDB).</param>
/// <param name="Timeline">Injects and heals the faults, in seconds from the start of production; must leave everything healed.</param>
/// <param name="Rate">The pace of production when the scenario needs the workload to last longer than the default's 7 s.</param>
/// <param name="Felt">What the workers' logs must show for the fault to have met them (<see cref="ChaosEvidence"/>), and its description.</param>
internal sealed record ChaosScenario(
    string Name,
    string Description,
    bool Processes,
    bool FaultableStorage,
    bool NeedsInMemoryStores,
    Func<ChaosContext, CancellationToken, Task> Timeline,
    (string Description, Func<IReadOnlyDictionary<string, int>, bool> Holds) Felt,
    double? Rate = null);

/// <summary>
/// The scenarios of <c>fleet chaos</c>, in the order they run. Faults start 1.5 s into production (about 450 events
/// in at the chaos pace) and heal while the workload is still being produced, so every fault meets work in flight.
/// </summary>
internal static class ChaosScenarios
{
    public const double FaultStart = 1.5;
    public const double Outage = 5;

    public static IReadOnlyList<ChaosScenario> All { get; } =
    [
        new("broker-down", "one broker of three down for 5 s (its partitions' leader: leadership does not move in the mock)",
            Processes: false, FaultableStorage: false, NeedsInMemoryStores: false, BrokerDownAsync,
            KafkaFelt),
        new("all-brokers-down", "all three brokers down for 5 s, then back",
            Processes: false, FaultableStorage: false, NeedsInMemoryStores: false, AllBrokersDownAsync,
            KafkaFelt),
        new("request-errors", "Produce and OffsetCommit requests fail with retriable errors and dropped connections, twice",
            Processes: false, FaultableStorage: false, NeedsInMemoryStores: false, RequestErrorsAsync,
            KafkaFelt),
        new("worker-killed", "each worker process killed with SIGKILL mid-batch, restarted 1.5 s later, twice",
            Processes: true, FaultableStorage: false, NeedsInMemoryStores: false, WorkersKilledAsync,
            ("each worker's consumer started three times (two restarts)", e => e.Count(ChaosEvidence.Started) >= 6)),
        new("clamd-restart", "clamd killed, restarted on its port 5 s later",
            Processes: false, FaultableStorage: false, NeedsInMemoryStores: false, ClamdRestartAsync,
            RetriesFelt),
        new("storage-failing", "the files worker's object storage fails every call for 5 s",
            Processes: false, FaultableStorage: true, NeedsInMemoryStores: false, StorageFailingAsync,
            RetriesFelt),
        new("rebalance", "a second moderation and files consumer join the groups, consume, then leave",
            Processes: false, FaultableStorage: false, NeedsInMemoryStores: false, RebalanceAsync,
            ("partitions revoked and assigned again", e => e.Count(ChaosEvidence.Revoked) > 0 && e.Count(ChaosEvidence.Assigned) > 2),
            // The embedded group coordinator takes about session.timeout.ms (6 s) to settle a join: production lasts ~14 s.
            Rate: 150),
        new("store-errors", "the next 20 moderation and 5 file-document writes fail as an unreachable MongoDB's would",
            Processes: false, FaultableStorage: false, NeedsInMemoryStores: true, StoreErrorsAsync,
            RetriesFelt),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];

    private static (string, Func<IReadOnlyDictionary<string, int>, bool>) KafkaFelt =>
        ("Kafka client errors logged by the workers (connections, produce, commit)",
            e => e.Count(ChaosEvidence.KafkaError, ChaosEvidence.ProducerError, ChaosEvidence.Librdkafka) > 0);

    private static (string, Func<IReadOnlyDictionary<string, int>, bool>) RetriesFelt =>
        ("handler failures retried with the partition paused", e => e.Count(ChaosEvidence.Retrying) > 0);

    private static Task BrokerDownAsync(ChaosContext context, CancellationToken cancellationToken) =>
        BrokersDownAsync(context, [2], cancellationToken);

    private static Task AllBrokersDownAsync(ChaosContext context, CancellationToken cancellationToken) =>
        BrokersDownAsync(context, [.. Enumerable.Range(1, context.Faults.Kafka.BrokerCount)], cancellationToken);

    private static async Task BrokersDownAsync(ChaosContext context, int[] brokers, CancellationToken cancellationToken)
    {
        var kafka = context.Faults.Kafka;
        var which = brokers.Length == 1 ? $"broker {brokers[0]}" : $"brokers {brokers[0]}–{brokers[^1]}";
        await context.At(FaultStart, cancellationToken).ConfigureAwait(false);
        foreach (var broker in brokers)
        {
            kafka.SetBrokerDown(broker);
        }

        context.Record($"{which} down");
        await context.At(FaultStart + Outage, CancellationToken.None).ConfigureAwait(false);
        foreach (var broker in brokers)
        {
            kafka.SetBrokerUp(broker);
        }

        context.Record($"{which} up");
    }

    private static async Task RequestErrorsAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var kafka = context.Faults.Kafka;
        ErrorCode[] produce = [ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut, ErrorCode.Local_Transport, ErrorCode.NotLeaderForPartition, ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut];
        ErrorCode[] commit = [ErrorCode.RequestTimedOut, ErrorCode.GroupLoadInProgress, ErrorCode.Local_Transport, ErrorCode.NotCoordinatorForGroup, ErrorCode.RequestTimedOut, ErrorCode.GroupLoadInProgress];
        foreach (var at in new[] { FaultStart, FaultStart + 3 })
        {
            await context.At(at, cancellationToken).ConfigureAwait(false);
            kafka.PushRequestErrors(KafkaApiKey.Produce, produce);
            kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, commit);
            context.Record($"next {produce.Length} Produce requests fail ({string.Join(", ", produce)}); next {commit.Length} OffsetCommit requests fail ({string.Join(", ", commit)})");
        }

        // Errors no request consumed (e.g. nothing committed meanwhile) must not leak into the check's own reads.
        await context.At(FaultStart + Outage, CancellationToken.None).ConfigureAwait(false);
        kafka.ClearRequestErrors(KafkaApiKey.Produce);
        kafka.ClearRequestErrors(KafkaApiKey.OffsetCommit);
        context.Record("injected errors cleared");
    }

    private static async Task WorkersKilledAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var fleet = context.Faults.Workers as ProcessFleet ?? throw new InvalidOperationException("worker-killed needs the workers as processes");
        foreach (var at in new[] { FaultStart, FaultStart + 4 })
        {
            await context.At(at, cancellationToken).ConfigureAwait(false);
            foreach (var worker in fleet.Workers)
            {
                var pid = fleet.ProcessId(worker);
                fleet.Kill(worker);
                context.Record(string.Create(CultureInfo.InvariantCulture, $"{worker} worker (pid {pid}) killed with SIGKILL"));
            }

            await context.At(at + 1.5, CancellationToken.None).ConfigureAwait(false);
            foreach (var worker in fleet.Workers)
            {
                var started = Stopwatch.StartNew();
                await fleet.RestartAsync(worker).WaitAsync(TimeSpan.FromMinutes(2), CancellationToken.None).ConfigureAwait(false);
                context.Record(string.Create(CultureInfo.InvariantCulture, $"{worker} worker restarted (pid {fleet.ProcessId(worker)}, up in {started.Elapsed.TotalSeconds:N1} s)"));
            }
        }
    }

    private static async Task ClamdRestartAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var clamd = context.Faults.Clamd;
        await context.At(FaultStart, cancellationToken).ConfigureAwait(false);
        var pid = clamd.ProcessId;
        await clamd.StopAsync().ConfigureAwait(false);
        context.Record(string.Create(CultureInfo.InvariantCulture, $"clamd (pid {pid}) killed"));
        await context.At(FaultStart + Outage, CancellationToken.None).ConfigureAwait(false);
        await clamd.RestartAsync(CancellationToken.None).ConfigureAwait(false);
        context.Record(string.Create(CultureInfo.InvariantCulture, $"clamd restarted on port {clamd.Port} (pid {clamd.ProcessId}, PONG after {clamd.StartupTime.TotalSeconds:N1} s)"));
    }

    private static async Task StorageFailingAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var storage = context.Run.Storage(FleetWorkers.Files);
        await context.At(FaultStart, cancellationToken).ConfigureAwait(false);
        storage.FailFor(TimeSpan.FromSeconds(Outage));
        context.Record("object storage fails every call (IOException)");
        await context.At(FaultStart + Outage, CancellationToken.None).ConfigureAwait(false);
        storage.Heal();
        context.Record("object storage answers again");
    }

    private static async Task RebalanceAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var fleet = context.Faults.Workers as InProcessFleet ?? throw new InvalidOperationException("rebalance joins consumers in this process");
        await context.At(FaultStart, cancellationToken).ConfigureAwait(false);
        var joined = new List<(string Worker, WebApplication Host)>();
        try
        {
            foreach (var worker in new[] { FleetWorkers.Moderation, FleetWorkers.Files })
            {
                joined.Add((worker, await fleet.JoinAsync(worker, cancellationToken).ConfigureAwait(false)));
                context.Record($"a second {worker} worker joins its consumer group");
            }

            // It has joined when the group gave it partitions; then it consumes a while before it leaves.
            foreach (var (worker, host) in joined)
            {
                var partitions = await AssignedAsync(host, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                context.Record($"the second {worker} worker was assigned {partitions} partitions");
            }

            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (worker, host) in joined)
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await host.DisposeAsync().ConfigureAwait(false);
                context.Record($"the second {worker} worker left (stopped gracefully: drained, committed)");
            }
        }
    }

    private static async Task<int> AssignedAsync(WebApplication host, TimeSpan patience, CancellationToken cancellationToken)
    {
        var registry = host.Services.GetRequiredService<ConsumerEngineRegistry>();
        var waited = Stopwatch.StartNew();
        while (registry.Snapshot().Sum(s => s.AssignedPartitions) is var partitions && partitions == 0)
        {
            if (waited.Elapsed > patience)
            {
                throw new TimeoutException($"the joining consumer got no partitions within {patience.TotalSeconds:N0} s");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return registry.Snapshot().Sum(s => s.AssignedPartitions);
    }

    private static async Task StoreErrorsAsync(ChaosContext context, CancellationToken cancellationToken)
    {
        var stores = context.Faults.Stores ?? throw new InvalidOperationException("store-errors drives the in-memory stores");
        await context.At(FaultStart, cancellationToken).ConfigureAwait(false);
        stores.Results.FailNext(20);
        stores.Files.FailNext(5);
        context.Record("the next 20 auto_mod_results writes and 5 files writes time out");
    }
}
