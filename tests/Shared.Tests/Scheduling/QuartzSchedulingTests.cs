using Microsoft.Extensions.DependencyInjection;
using Quartz;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>
/// Real Quartz schedulers (in-memory store) running the leased job, with the lease in the in-memory store: what Quartz 4.7
/// does with misfires, and that replicas sharing one lease run each firing once.
/// </summary>
public sealed class QuartzSchedulingTests
{
    private const string EverySecond = "* * * * * ?";
    private const string Job = "daily-message-stats";

    [Fact(Timeout = 20_000)]
    public async Task InMemoryStore_TriggerStoredAfterItsSlotsPassed_DoesNotMisfireForThem()
    {
        // Why catch-up after downtime is ours to do: a fresh in-memory trigger starts from now, even told to start hours ago.
        using var harness = new SchedulingHarness(TimeProvider.System);
        var scheduler = await harness.Provider.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        var definition = harness.Provider.GetRequiredService<ScheduledJobCatalog>().Find(Job)!;
        var trigger = LeasedJobSchedule.BuildTrigger(definition).GetTriggerBuilder().StartAt(DateTimeOffset.UtcNow.AddDays(-3)).Build();

        await scheduler.ScheduleJob(LeasedJobSchedule.BuildJob(definition), trigger, new ScheduleJobOptions(), TestContext.Current.CancellationToken);

        var stored = await scheduler.GetTrigger(trigger.Key, TestContext.Current.CancellationToken);
        Assert.True(stored!.NextFireTimeUtc > DateTimeOffset.UtcNow);
        await scheduler.Shutdown(false, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task FireAndProceed_FiringsMissedWhileTheJobRan_RunOnceNotOncePerSlot()
    {
        using var harness = new SchedulingHarness(TimeProvider.System, settings: EverySecondSettings());
        var started = new System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset>();
        var unblocked = new TaskCompletionSource<DateTimeOffset>();
        harness.Probe.Behaviour = async (context, token) =>
        {
            started.Enqueue(DateTimeOffset.UtcNow);
            if (started.Count == 1)
            {
                // Hold the first run 6.2 s: six slots pass, and the oldest is later than the store's 5 s misfire threshold.
                await Task.Delay(TimeSpan.FromSeconds(6.2), token);
                unblocked.SetResult(DateTimeOffset.UtcNow);
            }

            return JobOutcome.Succeeded();
        };

        var scheduler = await StartAsync(harness);
        var end = await unblocked.Task;
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        await scheduler.Shutdown(true, TestContext.Current.CancellationToken);

        // IgnoreMisfires would now fire the six missed slots back to back; FireAndProceed fires once, then keeps the schedule.
        Assert.Equal(1, harness.Probe.Runs.Skip(1).Count(run => run.ScheduledFireTime < end));
        var slots = harness.Probe.Runs.Select(run => run.ScheduledFireTime!.Value).ToList();
        Assert.Equal(slots.Distinct().Order(), slots);
        Assert.InRange(slots.Count, 2, 5);
    }

    [Fact(Timeout = 30_000)]
    public async Task TwoSchedulers_SharingOneLease_RunEachFiringOnce()
    {
        var leases = new InMemoryLeaseStore(TimeProvider.System);
        var runs = new InMemoryJobRunStore();
        using var first = new SchedulingHarness(TimeProvider.System, leases, runs, EverySecondSettings());
        using var second = new SchedulingHarness(TimeProvider.System, leases, runs, EverySecondSettings());

        var schedulers = new[] { await StartAsync(first), await StartAsync(second) };
        await Task.Delay(TimeSpan.FromSeconds(4.5), TestContext.Current.CancellationToken);
        foreach (var scheduler in schedulers)
        {
            await scheduler.Shutdown(true, TestContext.Current.CancellationToken);
        }

        var slots = first.Probe.Runs.Concat(second.Probe.Runs).Select(run => run.ScheduledFireTime!.Value).ToList();
        Assert.InRange(slots.Count, 2, 6);
        Assert.Equal(slots.Count, slots.Distinct().Count());
        Assert.Equal(slots.Count, runs.Runs.Count);
        // Both replicas fired every slot; for each slot the one that lost the race was refused, not run.
        Assert.Contains(leases.Refusals, refusal => refusal.Job == Job);
        Assert.All(leases.Refusals, refusal => Assert.Contains(refusal.FireTime!.Value, slots));
    }

    [Fact(Timeout = 30_000)]
    public async Task Restart_AfterTheFleetMissedSlots_RunsOneCatchUpAcrossReplicas()
    {
        var leases = new InMemoryLeaseStore(TimeProvider.System);
        var runs = new InMemoryJobRunStore();
        var daily = JobCron.Parse("0 15 0 * * ?");
        var latestSlot = JobCron.LatestSlotAtOrBefore(daily, DateTimeOffset.UtcNow)!.Value;
        leases.Seed(new LeaseState(Job, "analytics/old#0", latestSlot.AddDays(-3), null, null, latestSlot.AddDays(-3)));
        using var first = new SchedulingHarness(TimeProvider.System, leases, runs);
        using var second = new SchedulingHarness(TimeProvider.System, leases, runs);

        // Both replicas come up and check for a missed slot before either runs it, so both queue a catch-up.
        await first.Registrar.StartAsync(TestContext.Current.CancellationToken);
        await second.Registrar.StartAsync(TestContext.Current.CancellationToken);
        var schedulers = new[] { await StartAsync(first, schedule: false), await StartAsync(second, schedule: false) };
        // Both replicas queued the catch-up: wait for one to run it and the other to be refused, then a little longer.
        while ((first.Probe.Runs.IsEmpty && second.Probe.Runs.IsEmpty) || leases.Refusals.Count == 0)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(0.5), TestContext.Current.CancellationToken);
        foreach (var scheduler in schedulers)
        {
            await scheduler.Shutdown(true, TestContext.Current.CancellationToken);
        }

        var run = Assert.Single(first.Probe.Runs.Concat(second.Probe.Runs));
        Assert.Equal(latestSlot, run.ScheduledFireTime);
        Assert.Equal(latestSlot, (await leases.ReadAsync(Job, TestContext.Current.CancellationToken))!.LastFireTime);
        Assert.Equal(LeaseVerdict.AlreadyFired, Assert.Single(leases.Refusals).Verdict);
    }

    private static Dictionary<string, string?> EverySecondSettings() => new() { [$"Scheduling:Jobs:{Job}:Cron"] = EverySecond };

    private static async Task<IScheduler> StartAsync(SchedulingHarness harness, bool schedule = true)
    {
        if (schedule)
        {
            await harness.Registrar.StartAsync(TestContext.Current.CancellationToken);
        }

        var scheduler = await harness.Provider.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        await scheduler.Start(TestContext.Current.CancellationToken);
        return scheduler;
    }
}
