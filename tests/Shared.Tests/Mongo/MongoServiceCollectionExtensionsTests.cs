using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

public sealed class MongoServiceCollectionExtensionsTests
{
    [Fact]
    public void AddQuikAppMongo_ResolvesOneClientPerProcess_NamedForTheWorker()
    {
        using var provider = Provider().BuildServiceProvider();

        var first = provider.GetRequiredService<IMongoClient>();
        var second = provider.GetRequiredService<IMongoClient>();

        Assert.Same(first, second);
        Assert.Equal("quikapp-workers/files", first.Settings.ApplicationName);
    }

    [Fact]
    public void AddQuikAppMongo_Catalog_UsesTheConfiguredDatabaseNames()
    {
        using var provider = Provider(new() { ["Mongo:FilesDatabase"] = "QuikApp_files_eu" }).BuildServiceProvider();

        var catalog = provider.GetRequiredService<MongoCatalog>();

        Assert.Equal("QuikApp_files_eu.files", catalog.Files.CollectionNamespace.FullName);
        Assert.NotNull(provider.GetRequiredService<MongoIndexBootstrapper>());
    }

    [Fact]
    public void AddMongoHealthCheck_RegistersTheReadyCheck()
    {
        var services = Provider();
        services.AddHealthChecks().AddMongoHealthCheck();
        using var provider = services.BuildServiceProvider();

        var registrations = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Equal(["mongodb", "mongodb-required-indexes"], registrations.Select(registration => registration.Name));
        var registration = registrations.First();
        Assert.Contains("ready", registration.Tags);
        Assert.Equal(HealthStatus.Unhealthy, registration.FailureStatus);
        Assert.IsType<MongoHealthCheck>(registration.Factory(provider));
        // A worker whose required unique indexes are missing must not be ready.
        var required = registrations.Last();
        Assert.Contains("ready", required.Tags);
        Assert.Equal(HealthStatus.Unhealthy, required.FailureStatus);
        Assert.IsType<MongoRequiredIndexesHealthCheck>(required.Factory(provider));
    }

    [Fact(Timeout = 10_000)]
    public async Task AddMongoIndexBootstrap_EnsureIndexesOnStartOff_StartsWithoutTouchingMongoDb()
    {
        // Nothing listens at the configured address: touching MongoDB would fail this test.
        var services = Provider(new() { ["Mongo:EnsureIndexesOnStart"] = "false" }).AddMongoIndexBootstrap(IndexOwner.Files, IndexOwner.Files);
        using var provider = services.BuildServiceProvider();

        var service = Assert.IsType<MongoIndexBootstrapService>(Assert.Single(provider.GetServices<IHostedService>()));
        await service.StartAsync(TestContext.Current.CancellationToken);

        Assert.Null(service.LastReport);
        Assert.Equal([IndexOwner.Files], provider.GetRequiredService<MongoIndexOwners>().Owners);
    }

    private static ServiceCollection Provider(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddQuikAppMongo(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), "files");
        return services;
    }
}
