using System.Diagnostics;
using System.Globalization;
using QuikApp.Workers.Fleet.Bench;
using QuikApp.Workers.Fleet.Chaos;
using QuikApp.Workers.Fleet.CommandLine;
using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Driving;
using QuikApp.Workers.Fleet.Faults;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Fleet.Hosting.Remote;
using QuikApp.Workers.Fleet.Observation;
using QuikApp.Workers.Fleet.Progress;
using QuikApp.Workers.Fleet.Reporting;
using QuikApp.Workers.Fleet.Stack;
using QuikApp.Workers.Fleet.Upstream;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Running;

/// <summary>How a run ended: its exit code, and its report when it got that far.</summary>
internal sealed record FleetRunOutcome(int ExitCode, FleetReport? Report);

/// <summary>
/// One demo or bench run: the stack, the workers, the seeded workload produced as the upstream services would, a live
/// view until every effect is in (or the timeout), then the observations, the conservation check and the report.
/// </summary>
internal sealed class FleetRun(FleetOptions options, FleetOutput output, string? mongoUrl)
{
    /// <summary>The first line of a run without MongoDB: the one runtime use of in-memory stores is said before anything else.</summary>
    public const string NoMongoNotice = "no MongoDB: results are kept in memory for this run only; analytics jobs need MongoDB and are skipped";

    public const int UsageError = 2;
    public const int EnvironmentError = 3;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>A chaos scenario to play against this run (the <c>chaos</c> verb); null for demo and bench.</summary>
    public ChaosScenarioRun? Chaos { get; init; }

    public async Task<FleetRunOutcome> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (mongoUrl is null)
        {
            output.Line(NoMongoNotice);
            output.Line("(set MONGODB_URL to a MongoDB replica set to keep them there and run the analytics jobs too)");
        }

        var verb = options.Verb.ToString().ToLowerInvariant();
        var runDirectory = Path.GetFullPath(options.RunDirectory ?? Path.Join(".fleet", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{verb}"));
        Directory.CreateDirectory(runDirectory);
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var logs = WorkerLogRedirect.To(Path.Join(runDirectory, "workers.log"));

        FleetStack stack;
        try
        {
            stack = await FleetStack.StartAsync(runDirectory, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            output.Line($"error: {ex.Message}");
            output.Line("the demo needs clamd: tools/demo.sh installs it (as root or with sudo); by hand: sudo apt-get install clamav-daemon");
            return new FleetRunOutcome(EnvironmentError, null);
        }

        await using (stack)
        {
            output.Line(string.Create(CultureInfo.InvariantCulture,
                $"stack: embedded Kafka ({FleetStack.Brokers} brokers at {stack.Kafka.BootstrapServers}, {EventTopics.All.Count * 2} topics) · clamd on 127.0.0.1:{stack.Clamd.Port} (test signatures) · storage {stack.StorageRoot}"));
            output.Line($"logs: {logs.Path}" + (options.Processes ? $" (each worker process: {Path.Join(runDirectory, "logs")}/<worker>.log)" : ""));
            FleetReport report;
            try
            {
                report = await RunAsync(stack, runDirectory, startedAt, clock, cancellationToken);
            }
            catch (WorkerStartException ex)
            {
                output.Line($"error: {ex.Message}");
                return new FleetRunOutcome(EnvironmentError, null);
            }

            if (!options.Keep)
            {
                TryDelete(stack.StorageRoot);
            }

            foreach (var line in ReportText.Lines(report))
            {
                output.ReportLine(line);
            }

            var json = options.JsonPath ?? Path.Join(runDirectory, "report.json");
            await File.WriteAllTextAsync(json, ReportText.ToJson(report), cancellationToken);
            output.Line($"report: {Path.GetFullPath(json)}");
            return new FleetRunOutcome(report.ExitCode, report);
        }
    }

    private async Task<FleetReport> RunAsync(FleetStack stack, string runDirectory, DateTimeOffset startedAt, Stopwatch clock, CancellationToken cancellationToken)
    {
        var spec = WorkloadSpec.Create(options.Messages, options.Files, options.Seed, startedAt,
            // A real MongoDB keeps earlier runs: fresh ids (same shape) keep this run's documents apart.
            mongoUrl is null ? null : Random.Shared.Next());
        var workload = WorkloadGenerator.Generate(spec);
        var expected = ExpectedEffects.From(workload);
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"workload: seed {spec.Seed} · {workload.Events.Count:N0} records · {workload.Workspaces.Count} workspaces · {expected.Messages.Count:N0} messages · {expected.Files.Count:N0} uploads · {expected.Malformed} malformed"));

        var stores = mongoUrl is null ? new InMemoryFleetStores() : null;
        var environment = stack.Environment(mongoUrl);
        await using var mongo = mongoUrl is null ? null : FleetMongo.Connect(mongoUrl);
        // Workers in child processes without MongoDB reach this process's stores over loopback: the state outlives them.
        await using var served = options.Processes && stores is not null
            ? await RemoteStoreServer.StartAsync(stores, [FleetWorkers.Moderation, FleetWorkers.Files], cancellationToken)
            : null;
        await using IWorkerFleet fleet = options.Processes
            ? new ProcessFleet(environment, runDirectory, served?.Address)
            : new InProcessFleet(environment, runDirectory, stores, Chaos is null ? null : (worker, services) => Chaos.ConfigureWorker(worker, services, environment));
        await fleet.StartAsync(cancellationToken);
        output.Line($"workers: {string.Join(", ", fleet.Workers)} {fleet.Description}" + (served is null ? "" : $" · stores served to them at {served.Address}"));

        IUpstreamServices upstream = stores is not null ? new InMemoryUpstreamServices(stores, stack.StorageRoot) : new MongoUpstreamServices(mongo!.Catalog, stack.StorageRoot);
        IEffectSource effects = stores is not null ? new InMemoryEffectSource(stores) : new MongoEffectSource(mongo!.Catalog, [.. workload.Workspaces.Select(w => w.Id)]);
        var samples = new FileSamples(FleetStack.ClamdStreamMaxLength + 1);
        using var kafkaLog = new KafkaClientLog(Path.Join(runDirectory, "kafka-clients.log"));
        using var producer = new WorkloadProducer(stack.Kafka.BootstrapServers, upstream, samples, kafkaLog);
        using var lag = new ConsumerLag(stack.Kafka.BootstrapServers, kafkaLog);
        var topics = new TopicReader(stack.Kafka.BootstrapServers, kafkaLog);

        // A chaos scenario's timeline runs beside the workload from here; the run waits for it (every fault healed)
        // before its last wait for the effects.
        var faults = Chaos?.RunAsync(new FleetFaults(stack, fleet, stores), cancellationToken) ?? Task.CompletedTask;

        var timedOut = false;
        var view = output.Interactive && !options.Plain && output.Console is { } console
            ? (IProgressView)new LiveProgressView(console)
            : new PlainProgressView(output, options.Verb == FleetVerb.Bench ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(2));
        await view.RunAsync(async report =>
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Timeout);
            var monitor = new RunMonitor(workload, expected, producer.Log, effects, lag, topics, report);
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            var watcher = monitor.WatchAsync(Poll, watching.Token);
            try
            {
                var pacing = new ProducerPacing(options.Rate, options.MaxBacklog, async token => await effects.CountAsync(token) is var counts ? counts.MessagesScored + counts.FilesSettled : 0);
                if (options.Verb == FleetVerb.Bench)
                {
                    // Each pipeline is measured on a backlog of its own, as its baseline runs alone: the message traffic first, then the uploads.
                    await producer.ProduceAsync(workload.Events.Where(e => e is not UploadEvent && !IsFileDeletion(e)), pacing, deadline.Token);
                    await monitor.WaitAsync(m => m.LagByGroup.GetValueOrDefault(ConsumerLag.ModerationGroup, 1) == 0, deadline.Token);
                    await producer.ProduceAsync(workload.Uploads, pacing, deadline.Token);
                }
                else
                {
                    await producer.ProduceAsync(workload.Events.Where(e => !IsFileDeletion(e)), pacing, deadline.Token);
                }

                // Users delete files they have seen: the deletions go once the uploads have their outcome.
                await monitor.WaitAsync(m => m.Counts.FilesSettled >= expected.Files.Count, deadline.Token);
                await producer.ProduceAsync(workload.Events.Where(IsFileDeletion), new ProducerPacing(null, long.MaxValue, _ => Task.FromResult(0L)), deadline.Token);
                await faults.WaitAsync(deadline.Token);
                await monitor.WaitAsync(m => m.Lag == 0 && m.DeadLetters >= expected.Malformed && producer.Log.Acknowledged >= workload.Events.Count, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                timedOut = true;
            }
            finally
            {
                await watching.CancelAsync();
                await monitor.StopAsync(watcher);
            }
        });

        await faults; // a timed-out run still heals what its scenario broke before the workers stop

        // Whatever a straggling redelivery would add shows in this second.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var (results, files) = await effects.ReadAsync(cancellationToken);
        var observed = new Observations(results, files, topics.ReadDeadLetters(cancellationToken), topics.ReadDerived(cancellationToken),
            DerivativeScan.FilesWithDerivatives(stack.StorageRoot, workload.Uploads.Select(u => u.File)));
        var replyPairs = stores?.ReplyPairs.All.Count ?? 0;
        var analytics = mongoUrl is null
            ? new AnalyticsSummary("needs MongoDB (set MONGODB_URL)", [])
            : await AnalyticsJobs.RunOnceAsync(environment, runDirectory, cancellationToken);
        var memory = fleet.PeakRssMiB();
        await fleet.StopAsync(CancellationToken.None);

        var malformed = workload.Malformed.Select(m => producer.Log.Record(m.Sequence)?.Position).OfType<TopicPosition>().ToList();
        var rules = ConservationChecker.Check(expected, malformed, observed, copiesAllowed: Chaos is not null);
        var run = new RunSummary(options.Verb.ToString().ToLowerInvariant(), options.Command, options.Seed, options.Messages, options.Files,
            mongoUrl is null ? "in-memory stores (no MongoDB)" : "MongoDB", fleet.Description, MachineInfo.Describe(), startedAt, clock.Elapsed.TotalSeconds,
            runDirectory, timedOut);
        var inputs = new ReportInputs(run, workload, observed, producer.Log, rules, replyPairs,
            new MemorySummary(memory.Values.Sum(), memory), analytics);
        var report = FleetReportBuilder.Build(inputs);
        if (Chaos is not null)
        {
            return report with { Chaos = Chaos.Summary(ConservationChecker.Copies(observed)) };
        }

        if (options.Verb != FleetVerb.Bench)
        {
            return report;
        }

        output.Line("bench: measuring the baselines on the same data (workers stopped)");
        var baselines = await BenchBaselines.MeasureAsync(stack.Kafka.BootstrapServers, stack.Clamd.Port, FleetStack.ClamdStreamMaxLength,
            [.. workload.Uploads.Select(u => u.File)], samples, Path.Join(runDirectory, "baselines"), cancellationToken);
        TryDelete(Path.Join(runDirectory, "baselines"));
        return report with { Bench = BenchSummaries.From(report, baselines) };
    }

    private static bool IsFileDeletion(PlannedEvent planned) => planned is ContractEvent { AfterUploadsSettle: true };

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the user to look at or remove; the report does not depend on it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
