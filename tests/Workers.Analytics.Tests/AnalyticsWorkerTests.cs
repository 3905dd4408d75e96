using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Tests;

/// <summary>The worker's host as Program.cs builds it: its jobs, their schedules and parameters, its indexes and verbs.</summary>
public sealed class AnalyticsWorkerTests
{
    private static WebApplication Build(Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200",
            ["Mongo:EnsureIndexesOnStart"] = "false",
            ["Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["Health:Port"] = "0",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddQuikAppWorkerDefaults("analytics");
        builder.AddAnalyticsWorker();
        return builder.Build();
    }

    [Fact]
    public void AddAnalyticsWorker_RegistersTheFourJobsWithTheirDefaultCrons()
    {
        using var app = Build();

        var jobs = app.Services.GetRequiredService<ScheduledJobCatalog>().Jobs;

        Assert.Equal(
            [
                ("counter-reconciliation", "0 7 * * * ?"),
                ("daily-message-stats", "0 1/15 * * * ?"),
                ("moderation-daily", "0 4/30 * * * ?"),
                ("unread-counts", "0 0/5 * * * ?"),
            ],
            jobs.Select(job => (job.Name, job.Cron)));
        Assert.All(jobs, job => Assert.True(job.Enabled));
    }

    [Theory]
    [InlineData(DailyMessageStatsJob.Name, typeof(DailyMessageStatsJob))]
    [InlineData(UnreadCountsJob.Name, typeof(UnreadCountsJob))]
    [InlineData(CounterReconciliationJob.Name, typeof(CounterReconciliationJob))]
    [InlineData(ModerationDailyJob.Name, typeof(ModerationDailyJob))]
    public void JobName_ResolvesItsJobFromAFreshScope(string name, Type type)
    {
        using var app = Build();
        using var scope = app.Services.CreateScope();

        Assert.IsType(type, scope.ServiceProvider.GetRequiredKeyedService<IScheduledJob>(name));
    }

    [Theory]
    [InlineData(DailyMessageStatsJob.Name, "2024-01-20T12:00:30Z", "2024-01-20T12:01:00Z", "2024-01-20T12:16:00Z")]
    [InlineData(UnreadCountsJob.Name, "2024-01-20T12:00:30Z", "2024-01-20T12:05:00Z", "2024-01-20T12:10:00Z")]
    [InlineData(CounterReconciliationJob.Name, "2024-01-20T12:00:30Z", "2024-01-20T12:07:00Z", "2024-01-20T13:07:00Z")]
    [InlineData(ModerationDailyJob.Name, "2024-01-20T12:00:30Z", "2024-01-20T12:04:00Z", "2024-01-20T12:34:00Z")]
    public void Trigger_DefaultCron_FiresOnItsUtcSlotsAndOnceAfterAMisfire(string name, string after, string first, string second)
    {
        using var app = Build();
        var definition = app.Services.GetRequiredService<ScheduledJobCatalog>().Find(name)!;

        var trigger = Assert.IsAssignableFrom<ICronTrigger>(LeasedJobSchedule.BuildTrigger(definition));
        var next = definition.Schedule.GetNextValidTimeAfter(Instant(after))!.Value;

        Assert.Equal(definition.Cron, trigger.CronExpressionString);
        Assert.Equal(TimeZoneInfo.Utc, trigger.TimeZone);
        Assert.Equal(CronTriggerMisfireInstruction.FireAndProceed, trigger.MisfireInstruction);
        Assert.Equal(Instant(first), next);
        Assert.Equal(Instant(second), definition.Schedule.GetNextValidTimeAfter(next));
    }

    private static DateTimeOffset Instant(string value) => DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Configuration_CronEnabledAndParameters_OverrideTheDefaults()
    {
        using var app = Build(new()
        {
            ["Scheduling:Jobs:unread-counts:Cron"] = "0 0/10 * * * ?",
            ["Scheduling:Jobs:moderation-daily:Enabled"] = "false",
            ["Scheduling:Jobs:unread-counts:Parameters:Cap"] = "100",
            ["Scheduling:Jobs:daily-message-stats:Parameters:Overlap"] = "00:10:00",
        });
        var catalog = app.Services.GetRequiredService<ScheduledJobCatalog>();

        Assert.Equal("0 0/10 * * * ?", catalog.Find(UnreadCountsJob.Name)!.Cron);
        Assert.False(catalog.Find(ModerationDailyJob.Name)!.Enabled);
        Assert.Equal(100, app.Services.GetRequiredService<IOptions<UnreadCountsParameters>>().Value.Cap);
        Assert.Equal(TimeSpan.FromMinutes(10), app.Services.GetRequiredService<IOptions<DailyMessageStatsParameters>>().Value.Overlap);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartAsync_BadCron_FailsStartUpNamingTheKey()
    {
        await using var app = Build(new() { ["Scheduling:Jobs:unread-counts:Cron"] = "every 5 minutes" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Scheduling:Jobs:unread-counts:Cron 'every 5 minutes' is not a valid Quartz cron expression", failure.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartAsync_BadParameter_FailsStartUpNamingTheKey()
    {
        await using var app = Build(new() { ["Scheduling:Jobs:daily-message-stats:Parameters:ClausesPerBatch"] = "0" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Scheduling:Jobs:daily-message-stats:Parameters:ClausesPerBatch must be between 1 and 1000 (got 0)", failure.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartAsync_SettingsForAJobTheWorkerDoesNotHave_FailsNamingIt()
    {
        await using var app = Build(new() { ["Scheduling:Jobs:daily-messages-stats:Cron"] = "0 0 * * * ?" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Scheduling:Jobs:daily-messages-stats configures a job this worker does not register", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexes_TheWorkerBuildsItsOwnAndTheSchedulingOnes_NotTheMessageServices()
    {
        using var app = Build();

        var owners = app.Services.GetRequiredService<MongoIndexOwners>().Owners;

        Assert.Contains(IndexOwner.Analytics, owners);
        Assert.Contains(IndexOwner.Scheduling, owners);
        Assert.DoesNotContain(IndexOwner.MessageService, owners);
    }

    [Fact]
    public void Indexes_WhenAsked_AlsoTheMessageServices()
    {
        using var app = Build(new() { [AnalyticsWorker.EnsureMessageServiceIndexesKey] = "true" });

        Assert.Contains(IndexOwner.MessageService, app.Services.GetRequiredService<MongoIndexOwners>().Owners);
    }

    [Fact]
    public void Verbs_RunJobAndEnsureIndexes_AreAvailable()
    {
        using var app = Build();

        var verbs = app.Services.GetServices<IWorkerCommand>().Select(command => command.Name).ToList();

        Assert.Contains("run-job", verbs);
        Assert.Contains("ensure-indexes", verbs);
    }
}
