using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>Binding and start-up validation of the "Scheduling" section, and what AddQuikAppScheduling registers.</summary>
public sealed class SchedulingOptionsTests
{
    [Fact]
    public void Bind_NothingConfigured_UsesTheDefaults()
    {
        using var provider = Services().BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SchedulingOptions>>().Value;
        var job = Assert.Single(provider.GetRequiredService<ScheduledJobCatalog>().Jobs);

        Assert.Equal(TimeSpan.FromMinutes(2), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RenewInterval);
        Assert.Equal(QuikAppDatabase.Analytics, options.Database);
        Assert.Equal("daily-message-stats", job.Name);
        Assert.Equal("0 15 0 * * ?", job.Cron);
        Assert.True(job.Enabled);
        Assert.Empty(job.Parameters.GetChildren());
    }

    [Fact]
    public void Bind_EverySetting_ReachesTheCatalog()
    {
        using var provider = Services(new()
        {
            ["Scheduling:LeaseDuration"] = "00:05:00",
            ["Scheduling:RenewInterval"] = "00:01:00",
            ["Scheduling:Jobs:daily-message-stats:Cron"] = "0 30 1 * * ?",
            ["Scheduling:Jobs:daily-message-stats:Enabled"] = "false",
            ["Scheduling:Jobs:daily-message-stats:Parameters:BatchSize"] = "500",
        }).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SchedulingOptions>>().Value;
        var job = provider.GetRequiredService<ScheduledJobCatalog>().Find("daily-message-stats")!;

        Assert.Equal(TimeSpan.FromMinutes(5), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RenewInterval);
        Assert.Equal("0 30 1 * * ?", job.Cron);
        Assert.False(job.Enabled);
        Assert.Equal(500, job.Parameters.GetValue<int>("BatchSize"));
    }

    [Theory]
    [InlineData("Scheduling:Jobs:daily-message-stats:Cron", "0 15 0 * *", "Scheduling:Jobs:daily-message-stats:Cron '0 15 0 * *' is not a valid Quartz cron expression")]
    [InlineData("Scheduling:Jobs:daily-mesage-stats:Cron", "0 0 1 * * ?", "Scheduling:Jobs:daily-mesage-stats configures a job this worker does not register (registered: daily-message-stats)")]
    [InlineData("Scheduling:RenewInterval", "00:01:30", "Scheduling:RenewInterval (00:01:30) must be at most half of Scheduling:LeaseDuration (00:02:00)")]
    [InlineData("Scheduling:LeaseDuration", "00:00:00", "Scheduling:LeaseDuration must be positive")]
    [InlineData("Scheduling:Database", "Files", "Scheduling:Database 'Files' has no job_runs index declared")]
    [InlineData("Scheduling:OperationTimeout", "00:00:45", "Scheduling:OperationTimeout (00:00:45) must be at most Scheduling:RenewInterval (00:00:30)")]
    [InlineData("Scheduling:OperationTimeout", "00:00:00", "Scheduling:OperationTimeout must be positive")]
    public void Validate_BadSetting_FailsNamingTheSetting(string key, string value, string expected)
    {
        using var provider = Services(new() { [key] = value }).BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SchedulingOptions>>().Value);

        Assert.Contains(failure.Failures, message => message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_JobWithoutDefaultOrConfiguredCron_FailsNamingTheSetting()
    {
        var services = Services();
        services.AddScheduledJob<ProbeJob>("files-stuck-pending");
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SchedulingOptions>>().Value);

        Assert.Contains("Scheduling:Jobs:files-stuck-pending:Cron is required", failure.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartAsync_BadCron_FailsStartUpNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200",
            ["Mongo:EnsureIndexesOnStart"] = "false",
            ["Scheduling:Jobs:daily-message-stats:Cron"] = "every day at 00:15",
        });
        builder.Services.AddQuikAppMongo(builder.Configuration, "analytics");
        builder.Services.AddSingleton<JobProbe>().AddScheduledJob<ProbeJob>("daily-message-stats", "0 15 0 * * ?").AddQuikAppScheduling();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Scheduling:Jobs:daily-message-stats:Cron", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Daily-Stats")]
    [InlineData("-stats")]
    [InlineData("daily stats")]
    [InlineData("")]
    public void AddScheduledJob_NameThatCannotBeALeaseId_IsRefused(string name)
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddScheduledJob<ProbeJob>(name, "0 15 0 * * ?"));
    }

    [Fact]
    public void AddScheduledJob_SameNameTwice_IsRefused()
    {
        var services = new ServiceCollection().AddScheduledJob<ProbeJob>("daily-message-stats", "0 15 0 * * ?");

        Assert.Throws<ArgumentException>(() => services.AddScheduledJob<ProbeJob>("daily-message-stats", "0 0 1 * * ?"));
    }

    [Fact]
    public void AddQuikAppScheduling_AddsTheSchedulingIndexOwnerAndTheRunJobVerb_Once()
    {
        var services = Services();
        services.AddMongoIndexBootstrap(IndexOwner.Analytics);
        services.AddQuikAppScheduling();
        using var provider = services.BuildServiceProvider();

        Assert.Equal([IndexOwner.Scheduling, IndexOwner.Analytics], provider.GetRequiredService<MongoIndexOwners>().Owners);
        Assert.Single(provider.GetServices<IWorkerCommand>(), command => command.Name == "run-job");
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType).ToList();
        Assert.Single(hosted, type => type == typeof(MongoIndexBootstrapService));
        Assert.Single(hosted, type => type == typeof(ScheduledJobRegistrar));
        // The registrar stores the triggers before Quartz's hosted service starts the scheduler.
        Assert.True(hosted.IndexOf(typeof(ScheduledJobRegistrar)) < hosted.FindIndex(type => type?.Name == "QuartzHostedService"));
        Assert.Contains(MongoIndexCatalog.OwnedBy([IndexOwner.Scheduling]), index => index.Collection == "job_runs");
    }

    [Fact]
    public void LeaseOwner_TwoProcessesOnOneInstance_AreDifferentOwners()
    {
        var first = LeaseOwner.For("analytics", "pod-a");
        var second = LeaseOwner.For("analytics", "pod-a");

        Assert.StartsWith("analytics/pod-a#", first.Value, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }

    internal static ServiceCollection Services(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200" };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddQuikAppMongo(configuration, "analytics");
        services.AddSingleton<JobProbe>();
        services.AddScheduledJob<ProbeJob>("daily-message-stats", defaultCron: "0 15 0 * * ?");
        services.AddQuikAppScheduling();
        return services;
    }
}
