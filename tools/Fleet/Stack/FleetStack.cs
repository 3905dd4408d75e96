using QuikApp.Workers.DevStack.Clamd;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Kafka.Embedded;

namespace QuikApp.Workers.Fleet.Stack;

/// <summary>
/// What the workers run on, started once per run: the embedded Kafka (three brokers, the contract's topics with their
/// production partition counts and their <c>.dlq</c> topics), clamd as a child process with the repository's test
/// signatures, and local-disk object storage under the run directory. MongoDB is not part of it: MONGODB_URL or nothing.
/// </summary>
internal sealed class FleetStack : IAsyncDisposable
{
    public const int Brokers = 3;

    /// <summary>clamd's StreamMaxLength for the fleet: above the largest picture of the workload, small enough that a file too large to scan is cheap to make.</summary>
    public const long ClamdStreamMaxLength = 4L * 1024 * 1024;

    private FleetStack(string runDirectory, EmbeddedKafkaCluster kafka, ClamdProcess clamd, string storageRoot)
    {
        RunDirectory = runDirectory;
        Kafka = kafka;
        Clamd = clamd;
        StorageRoot = storageRoot;
    }

    public string RunDirectory { get; }

    /// <summary>The embedded cluster: fault injection (brokers down, request errors, leaders) goes through it.</summary>
    public EmbeddedKafkaCluster Kafka { get; }

    /// <summary>The clamd child process: it can be killed and restarted on its port.</summary>
    public ClamdProcess Clamd { get; }

    /// <summary>The local provider's root: buckets are its subdirectories.</summary>
    public string StorageRoot { get; }

    /// <exception cref="InvalidOperationException">clamd is not installed or does not start (the message says what to do).</exception>
    public static async Task<FleetStack> StartAsync(string runDirectory, CancellationToken cancellationToken)
    {
        var kafka = EmbeddedKafkaCluster.Start(Brokers);
        try
        {
            KafkaConnection.CreateContractTopics(kafka);
            var clamd = await ClamdProcess.StartAsync(new ClamdProcessOptions
            {
                StreamMaxLength = ClamdStreamMaxLength,
                MaxScanSize = 4 * ClamdStreamMaxLength,
                // The bench scans the same files again as a baseline: remembered clean hashes would flatter it.
                DisableCache = true,
                WorkingDirectory = runDirectory,
            }, cancellationToken).ConfigureAwait(false);
            var storage = Directory.CreateDirectory(Path.Join(runDirectory, "storage")).FullName;
            foreach (var bucket in new[] { WorkerSettings.OriginalsBucket, WorkerSettings.DerivativesBucket, WorkerSettings.QuarantineBucket })
            {
                Directory.CreateDirectory(Path.Join(storage, bucket));
            }

            return new FleetStack(runDirectory, kafka, clamd, storage);
        }
        catch
        {
            kafka.Dispose();
            throw;
        }
    }

    public FleetEnvironment Environment(string? mongoUrl, string logLevel = "Information") =>
        new(Kafka.BootstrapServers, Clamd.Port, ClamdStreamMaxLength, StorageRoot, mongoUrl, logLevel);

    public async ValueTask DisposeAsync()
    {
        await Clamd.DisposeAsync().ConfigureAwait(false);
        Kafka.Dispose();
    }
}
