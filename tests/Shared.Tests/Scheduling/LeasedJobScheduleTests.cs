using Microsoft.Extensions.DependencyInjection;
using Quartz;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>The Quartz job and trigger built for a scheduled job, inspected without running them.</summary>
public sealed class LeasedJobScheduleTests
{
    [Fact]
    public void BuildTrigger_IsAUtcCronTriggerThatFiresOnceAfterMisfires()
    {
        var trigger = LeasedJobSchedule.BuildTrigger(Definition());

        var cron = Assert.IsAssignableFrom<ICronTrigger>(trigger);
        Assert.Equal("0 15 0 * * ?", cron.CronExpressionString);
        Assert.Equal(TimeZoneInfo.Utc, cron.TimeZone);
        Assert.Equal(CronTriggerMisfireInstruction.FireAndProceed, cron.MisfireInstruction);
        Assert.Equal((int)CronTriggerMisfireInstruction.FireAndProceed, trigger.MisfireInstructionCode);
        Assert.Equal(new TriggerKey("daily-message-stats", "quikapp-scheduling"), trigger.Key);
        Assert.Equal(new JobKey("daily-message-stats", "quikapp-scheduling"), trigger.JobKey);
    }

    [Fact]
    public void BuildJob_IsTheLeasedJobWithConcurrentExecutionDisallowed()
    {
        var job = LeasedJobSchedule.BuildJob(Definition());

        Assert.Equal(typeof(LeasedQuartzJob), job.JobType.Type);
        Assert.True(job.ConcurrentExecutionDisallowed);
        Assert.Equal(new JobKey("daily-message-stats", "quikapp-scheduling"), job.Key);
    }

    [Fact(Timeout = 20_000)]
    public async Task Registrar_StoresTheTriggerWithItsInstructionAndNextSlot()
    {
        using var harness = new SchedulingHarness(TimeProvider.System);
        var scheduler = await harness.Provider.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);

        await harness.Registrar.StartAsync(TestContext.Current.CancellationToken);

        var stored = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(new TriggerKey("daily-message-stats", LeasedJobSchedule.Group), TestContext.Current.CancellationToken));
        Assert.Equal(CronTriggerMisfireInstruction.FireAndProceed, stored.MisfireInstruction);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(JobCron.LatestSlotAtOrBefore(JobCron.Parse("0 15 0 * * ?"), now)!.Value.AddDays(1), stored.NextFireTimeUtc);
        Assert.True((await scheduler.GetJobDetail(LeasedJobSchedule.JobKeyFor("daily-message-stats"), TestContext.Current.CancellationToken))!.ConcurrentExecutionDisallowed);
        await scheduler.Shutdown(false, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 20_000)]
    public async Task Registrar_DisabledJob_IsNotScheduled()
    {
        using var harness = new SchedulingHarness(TimeProvider.System, settings: new() { ["Scheduling:Jobs:daily-message-stats:Enabled"] = "false" });
        var scheduler = await harness.Provider.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);

        await harness.Registrar.StartAsync(TestContext.Current.CancellationToken);

        Assert.Null(await scheduler.GetTrigger(new TriggerKey("daily-message-stats", LeasedJobSchedule.Group), TestContext.Current.CancellationToken));
        await scheduler.Shutdown(false, TestContext.Current.CancellationToken);
    }

    private static ScheduledJobDefinition Definition() =>
        new("daily-message-stats", "0 15 0 * * ?", JobCron.Parse("0 15 0 * * ?"), true, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
}
