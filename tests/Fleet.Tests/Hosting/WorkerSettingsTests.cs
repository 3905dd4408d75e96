using QuikApp.Workers.Fleet.Hosting;

namespace QuikApp.Workers.Fleet.Tests.Hosting;

/// <summary>The settings each worker of the fleet starts with.</summary>
public sealed class WorkerSettingsTests
{
    private static readonly FleetEnvironment NoMongo = new("127.0.0.1:9092,127.0.0.1:9093", 3310, 4_194_304, "/runs/a/storage", null);

    [Fact]
    public void Arguments_WithoutMongo_PointAtNoMongoTurnIndexesAndTheWorkersLeasedJobsOff()
    {
        var files = WorkerSettings.Arguments(FleetWorkers.Files, NoMongo);
        var moderation = WorkerSettings.Arguments(FleetWorkers.Moderation, NoMongo);

        Assert.Contains($"--Mongo:ConnectionString={WorkerSettings.NoMongo}", files);
        Assert.Contains("--Mongo:EnsureIndexesOnStart=false", files);
        Assert.Contains("--Scheduling:Jobs:files-stuck-sweeper:Enabled=false", files);
        Assert.DoesNotContain(files, a => a.Contains("moderation-retraining", StringComparison.Ordinal));
        Assert.Contains("--Scheduling:Jobs:moderation-retraining:Enabled=false", moderation);
        Assert.Contains("--Scheduling:Jobs:smart-reply-snapshot:Enabled=false", moderation);
    }

    [Fact]
    public void Arguments_WithMongo_UseItAndKeepTheSchedules()
    {
        var arguments = WorkerSettings.Arguments(FleetWorkers.Analytics, NoMongo with { MongoUrl = "mongodb://db:27017/?replicaSet=rs0" });

        Assert.Contains("--Mongo:ConnectionString=mongodb://db:27017/?replicaSet=rs0", arguments);
        Assert.DoesNotContain(arguments, a => a.StartsWith("--Scheduling", StringComparison.Ordinal) || a.StartsWith("--Mongo:EnsureIndexes", StringComparison.Ordinal));
    }

    [Fact]
    public void Arguments_Files_PointAtTheRunsClamdAndStorage()
    {
        var arguments = WorkerSettings.Arguments(FleetWorkers.Files, NoMongo);

        Assert.Contains("--Kafka:BootstrapServers=127.0.0.1:9092,127.0.0.1:9093", arguments);
        Assert.Contains("--Files:Clamd:Port=3310", arguments);
        Assert.Contains("--Files:Clamd:MaxStreamLength=4194304", arguments);
        Assert.Contains("--Storage:Providers:Local:Root=/runs/a/storage", arguments);
        Assert.Contains("--Storage:AllowedBuckets:local:0=quikapp-files", arguments);
        Assert.Contains("--Health:Port=0", arguments);
    }

    [Fact]
    public void WorkerVerbArguments_RoundTripThroughTheChildsCommandLine()
    {
        var written = WorkerVerbArguments.For(FleetWorkers.Files, NoMongo, "/runs/a").Skip(1).ToList();

        var read = WorkerVerbArguments.Parse(written, "mongodb://db:27017", out var error);

        Assert.Null(error);
        Assert.Equal(new WorkerVerbArguments(FleetWorkers.Files, NoMongo with { MongoUrl = "mongodb://db:27017" }, "/runs/a"), read);
    }

    [Fact]
    public void WorkerVerbArguments_WithoutMongo_CarryTheFleetsStores()
    {
        var stores = new Uri("http://127.0.0.1:41234/");
        var written = WorkerVerbArguments.For(FleetWorkers.Moderation, NoMongo, "/runs/a", stores).Skip(1).ToList();

        var read = WorkerVerbArguments.Parse(written, null, out var error);

        Assert.Null(error);
        Assert.Equal(new WorkerVerbArguments(FleetWorkers.Moderation, NoMongo, "/runs/a", stores), read);
    }

    [Fact]
    public void WorkerVerbArguments_WithNeitherMongoNorStores_AreRefusedSayingWhy()
    {
        var written = WorkerVerbArguments.For(FleetWorkers.Files, NoMongo, "/runs/a").Skip(1).ToList();

        Assert.Null(WorkerVerbArguments.Parse(written, null, out var error));
        Assert.Contains("needs MONGODB_URL, or --stores", error, StringComparison.Ordinal);
    }
}
