using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping;

/// <summary>What AddHousekeeping registers, the Housekeeping options' defaults and binding, and start-up validation naming the key.</summary>
public sealed class HousekeepingRegistrationTests
{
    [Fact]
    public void Options_NothingConfigured_AreTheDocumentedDefaults()
    {
        using var provider = Services().BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HousekeepingOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(15), options.FileExpiryLeadTime);
        Assert.Equal(TimeSpan.FromDays(30), options.FileSoftDeleteRetention);
        Assert.Equal(TimeSpan.FromDays(30), options.MessageRetention);
        Assert.Equal(TimeSpan.FromHours(1), options.OrphanGracePeriod);
        Assert.Equal((500, 20, 10), (options.BatchSize, options.MaxBatchesPerRun, options.SlowOpsLimit));
        Assert.Equal(TimeSpan.FromHours(24), options.SlowOpsWindow);
        Assert.Equal((604_800, 86_400), (options.FilesExpireAfterSeconds, options.TempUploadsExpireAfterSeconds));
        Assert.Equal(["thumbnail", "preview"], options.EffectiveDerivativeVariants);
        Assert.Equal(["webp"], options.EffectiveDerivativeExtensions);
    }

    [Fact]
    public void Options_Configured_ReplaceTheDefaults()
    {
        using var provider = Services(new()
        {
            ["Housekeeping:MessageRetention"] = "90.00:00:00",
            ["Housekeeping:BatchSize"] = "100",
            ["Housekeeping:TempUploadsExpireAfterSeconds"] = "3600",
            ["Housekeeping:DerivativeVariants:0"] = "small",
        }).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HousekeepingOptions>>().Value;

        Assert.Equal(TimeSpan.FromDays(90), options.MessageRetention);
        Assert.Equal(100, options.BatchSize);
        Assert.Equal(3600, options.TempUploadsExpireAfterSeconds);
        Assert.Equal(["small"], options.EffectiveDerivativeVariants);
    }

    [Theory]
    [InlineData("Housekeeping:FileExpiryLeadTime", "00:00:00", "Housekeeping:FileExpiryLeadTime must be positive")]
    [InlineData("Housekeeping:MessageRetention", "-1.00:00:00", "Housekeeping:MessageRetention must be positive")]
    [InlineData("Housekeeping:BatchSize", "0", "Housekeeping:BatchSize must be between 1 and 10000 (got 0)")]
    [InlineData("Housekeeping:OrphanImplausibleRatio", "0", "Housekeeping:OrphanImplausibleRatio must be above 0 and at most 1 (got 0)")]
    [InlineData("Housekeeping:OrphanImplausibleRatio", "1.5", "Housekeeping:OrphanImplausibleRatio must be above 0 and at most 1 (got 1.5)")]
    [InlineData("Housekeeping:OrphanImplausibleMinBatch", "0", "Housekeeping:OrphanImplausibleMinBatch must be between 1 and 10000 (got 0)")]
    [InlineData("Housekeeping:BatchSize", "20000", "Housekeeping:BatchSize must be between 1 and 10000 (got 20000)")]
    [InlineData("Housekeeping:MaxBatchesPerRun", "0", "Housekeeping:MaxBatchesPerRun must be between 1")]
    [InlineData("Housekeeping:SlowOpsLimit", "0", "Housekeeping:SlowOpsLimit must be between 1 and 1000")]
    [InlineData("Housekeeping:FilesExpireAfterSeconds", "-1", "Housekeeping:FilesExpireAfterSeconds must be between 86400 and 2147483647 (got -1)")]
    // The seed's 0 is refused: the TTL on files.expiresAt is a backstop behind expired-files, never the expiry.
    [InlineData("Housekeeping:FilesExpireAfterSeconds", "0", "Housekeeping:FilesExpireAfterSeconds must be between 86400 and 2147483647 (got 0)")]
    [InlineData("Housekeeping:OrphanGracePeriod", "-00:01:00", "Housekeeping:OrphanGracePeriod must not be negative")]
    [InlineData("Housekeeping:DerivativeVariants:0", "Big Thumb", "Housekeeping:DerivativeVariants 'Big Thumb' must be")]
    [InlineData("Housekeeping:DerivativeExtensions:0", "we.bp", "Housekeeping:DerivativeExtensions 'we.bp' must be")]
    public void Validate_BadSetting_FailsNamingTheSetting(string key, string value, string expected)
    {
        using var provider = Services(new() { [key] = value }).BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HousekeepingOptions>>().Value);

        Assert.Contains(failure.Failures, message => message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AddHousekeeping_RegistersTheFiveJobsWithTheirDefaultCrons()
    {
        using var provider = Services().BuildServiceProvider();

        var jobs = provider.GetRequiredService<ScheduledJobCatalog>().Jobs.ToDictionary(job => job.Name, job => job.Cron);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["ttl-indexes"] = "0 5 3 * * ?",
                ["expired-files"] = "0 0/10 * * * ?",
                ["message-retention"] = "0 20 * * * ?",
                ["orphan-reactions"] = "0 35 3 * * ?",
                ["index-usage-report"] = "0 50 23 * * ?",
            },
            jobs);
        using var scope = provider.CreateScope();
        Assert.All(jobs.Keys, name => Assert.NotNull(scope.ServiceProvider.GetRequiredKeyedService<IScheduledJob>(name)));
    }

    [Fact]
    public void AddHousekeeping_ConfiguredCron_OverridesTheDefault()
    {
        using var provider = Services(new() { ["Scheduling:Jobs:expired-files:Cron"] = "0 0/5 * * * ?" }).BuildServiceProvider();

        Assert.Equal("0 0/5 * * * ?", provider.GetRequiredService<ScheduledJobCatalog>().Find("expired-files")!.Cron);
    }

    [Fact]
    public void AddHousekeeping_TwiceAndAfterObjectStorage_RegistersEverythingOnce()
    {
        var services = Services();
        services.AddQuikAppObjectStorage(Configuration([]));
        services.AddHousekeeping(Configuration([]));
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(ObjectStorage));
        Assert.Equal(5, provider.GetRequiredService<ScheduledJobCatalog>().Jobs.Count);
        Assert.Contains(IndexOwner.Housekeeping, provider.GetRequiredService<MongoIndexOwners>().Owners);
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationType == typeof(MongoIndexBootstrapService));
    }

    [Fact(Timeout = 30_000)]
    public async Task StartAsync_BadHousekeepingSetting_FailsStartUpNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200",
            ["Mongo:EnsureIndexesOnStart"] = "false",
            ["Housekeeping:BatchSize"] = "0",
        });
        builder.Services.AddQuikAppMongo(builder.Configuration, "analytics");
        builder.Services.AddHousekeeping(builder.Configuration);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Housekeeping:BatchSize", failure.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Mongo:ConnectionString", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200");
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static ServiceCollection Services(Dictionary<string, string?>? settings = null)
    {
        var configuration = Configuration(settings ?? []);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddQuikAppMongo(configuration, "analytics");
        services.AddHousekeeping(configuration);
        return services;
    }
}
