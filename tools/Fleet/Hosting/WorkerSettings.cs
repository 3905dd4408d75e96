using System.Globalization;
using QuikApp.Workers.Files;
using QuikApp.Workers.Files.Sweeping;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.Fleet.Hosting;

/// <summary>The three workers of the fleet, by the name each passes to <c>AddQuikAppWorkerDefaults</c>.</summary>
internal static class FleetWorkers
{
    public const string Moderation = "moderation";
    public const string Files = "files";
    public const string Analytics = "analytics";

    public static IReadOnlyList<string> All { get; } = [Moderation, Files, Analytics];
}

/// <summary>What every worker of one fleet run shares: the Kafka cluster, clamd, the storage root and, when set, MongoDB.</summary>
/// <param name="MongoUrl">Null: no MongoDB, the workers run on in-memory stores (their scheduled jobs are off).</param>
internal sealed record FleetEnvironment(
    string BootstrapServers,
    int ClamdPort,
    long ClamdStreamMaxLength,
    string StorageRoot,
    string? MongoUrl,
    string LogLevel = "Information")
{
    public bool HasMongo => MongoUrl is not null;
}

/// <summary>
/// The configuration a worker of the fleet starts with, as command-line overrides: what each worker's appsettings.json
/// holds (the fleet reads none) with the fleet's own Kafka, clamd, storage and MongoDB put in. Pure.
/// </summary>
internal static class WorkerSettings
{
    public const string OriginalsBucket = "quikapp-files";
    public const string DerivativesBucket = "quikapp-derivatives";
    public const string QuarantineBucket = "quikapp-quarantine";
    public const string CdnBaseUrl = "https://cdn.quikapp.dev/";

    /// <summary>A MongoDB that never answers, quickly: nothing in a fleet without MongoDB may reach for it, and if something does it fails fast.</summary>
    public const string NoMongo = "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300";

    /// <summary>A worker's scheduled jobs, which need MongoDB leases: off when the fleet runs without it.</summary>
    public static IReadOnlyList<string> LeasedJobs(string worker) => worker switch
    {
        FleetWorkers.Moderation => [ModerationRetrainingJob.Name, SmartReplySnapshotJob.Name],
        FleetWorkers.Files => [StuckFileSweeperJob.Name],
        _ => [],
    };

    public static string[] Arguments(string worker, FleetEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new List<string>
        {
            $"--Kafka:BootstrapServers={environment.BootstrapServers}",
            // The embedded brokers hold a rejoining member for session.timeout.ms - 1 s (docs/embedded-kafka.md).
            "--Kafka:SessionTimeoutMs=6000",
            "--Health:Port=0",
            "--Health:BindAddress=127.0.0.1",
            $"--Serilog:MinimumLevel:Default={environment.LogLevel}",
        };
        if (environment.MongoUrl is { } url)
        {
            settings.Add($"--Mongo:ConnectionString={url}");
        }
        else
        {
            settings.Add($"--Mongo:ConnectionString={NoMongo}");
            settings.Add("--Mongo:EnsureIndexesOnStart=false");
            settings.AddRange(LeasedJobs(worker).Select(job => $"--Scheduling:Jobs:{job}:Enabled=false"));
        }

        if (worker == FleetWorkers.Files)
        {
            settings.AddRange(
            [
                $"--Kafka:Consumers:{FilesWorker.ConsumerName}:MaxBatchSize=32",
                $"--Kafka:Consumers:{FilesWorker.ConsumerName}:HandlerTimeout=00:05:00",
                $"--Storage:Providers:Local:Root={environment.StorageRoot}",
                $"--Storage:AllowedBuckets:local:0={OriginalsBucket}",
                "--Storage:Derivatives:Provider=local",
                $"--Storage:Derivatives:Bucket={DerivativesBucket}",
                "--Storage:Derivatives:Prefix=thumbs",
                "--Storage:Quarantine:Provider=local",
                $"--Storage:Quarantine:Bucket={QuarantineBucket}",
                "--Storage:Quarantine:Prefix=quarantine",
                $"--Storage:CdnBaseUrl={CdnBaseUrl}",
                "--Files:Clamd:Host=127.0.0.1",
                $"--Files:Clamd:Port={environment.ClamdPort.ToString(CultureInfo.InvariantCulture)}",
                $"--Files:Clamd:MaxStreamLength={environment.ClamdStreamMaxLength.ToString(CultureInfo.InvariantCulture)}",
            ]);
        }

        return [.. settings];
    }
}
