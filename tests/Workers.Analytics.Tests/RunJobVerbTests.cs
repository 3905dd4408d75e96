using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.Tests.Dataset;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests;

/// <summary>
/// <c>run-job</c> through the worker's own wiring on a real MongoDB 7: the job runs under its lease and leaves its record in
/// job_runs. Skipped with the lane's reason where no MongoDB is reachable.
/// </summary>
public sealed class RunJobVerbTests(MongoTestLane lane)
{
    [Fact(Timeout = 120_000)]
    public async Task RunJob_DailyMessageStatsWithAWindow_BackfillsAndRecordsTheRunInJobRuns()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var mongo = world.Scope.CreateOptions();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = mongo.ConnectionString,
            ["Mongo:ReadPreference"] = "primary",
            ["Mongo:EnsureIndexesOnStart"] = "false",
            ["Mongo:MessagesDatabase"] = mongo.MessagesDatabase,
            ["Mongo:ModerationDatabase"] = mongo.ModerationDatabase,
            ["Mongo:AnalyticsDatabase"] = mongo.AnalyticsDatabase,
            ["Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["Health:Port"] = "0",
        });
        builder.AddQuikAppWorkerDefaults("analytics");
        builder.AddAnalyticsWorker();
        await using var app = builder.Build();
        var verb = app.Services.GetServices<IWorkerCommand>().Single(command => command.Name == "run-job");

        var exit = await verb.RunAsync(app.Services, [DailyMessageStatsJob.Name, "--from", "2024-01-15", "--to", "2024-01-21"], TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        var record = await world.Catalog.JobRuns.Find(new BsonDocument("job", DailyMessageStatsJob.Name)).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("succeeded", record["status"].AsString);
        Assert.Equal("cli", record["trigger"].AsString);
        Assert.Equal(new DateTime(2024, 1, 15, 0, 0, 0, DateTimeKind.Utc), record["window"]["from"].ToUniversalTime());
        Assert.Equal(new DateTime(2024, 1, 21, 0, 0, 0, DateTimeKind.Utc), record["window"]["to"].ToUniversalTime());
        Assert.Equal(18, record["counts"]["workspaceDays"].ToInt64());
        var stats = await world.Catalog.DailyMessageStats.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(world.Data.ExpectedDailyStats().Count, stats);
    }
}
