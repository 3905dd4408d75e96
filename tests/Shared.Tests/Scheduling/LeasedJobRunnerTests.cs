using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Metrics;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>One run under the lease, with the in-memory stores and a fake clock: records, outcomes, renewal and loss.</summary>
public sealed class LeasedJobRunnerTests
{
    private const string Job = "daily-message-stats";
    private static readonly DateTimeOffset Slot = SchedulingHarness.Start;

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_ScheduledFiring_RunsRecordsAndReleases()
    {
        using var harness = new SchedulingHarness();

        var result = await harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);

        Assert.Equal(JobRunStatus.Succeeded, result.Status);
        Assert.Equal(12, result.Counts["fixed"]);
        var context = Assert.Single(harness.Probe.Runs);
        Assert.Equal(result.RunId, context.RunId);
        Assert.Equal(Slot, context.ScheduledFireTime);
        Assert.True(context.Window.IsEmpty);
        var (start, finish) = Assert.Single(harness.Runs.Runs.Values);
        Assert.Equal((Job, JobRunTrigger.Schedule, Slot, harness.Owner), (start.Job, start.Trigger, start.ScheduledFireTime, start.Owner));
        Assert.Equal(JobRunStatus.Succeeded, finish!.Status);
        Assert.Equal("fixed 12", finish.Message);
        var lease = await harness.Leases.ReadAsync(Job, TestContext.Current.CancellationToken);
        Assert.Equal(Slot, lease!.LastFireTime);
        Assert.Equal(harness.Time.GetUtcNow(), lease.LockedUntil);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_SameSlotAgainAfterTheRunEnded_IsNotRun()
    {
        using var harness = new SchedulingHarness();
        await harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);
        harness.FakeTime.Advance(TimeSpan.FromSeconds(3));

        var second = await harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);

        Assert.False(second.LeaseAcquired);
        Assert.Null(second.RunId);
        Assert.Contains("already ran", second.Message, StringComparison.Ordinal);
        Assert.Single(harness.Probe.Runs);
        Assert.Single(harness.Runs.Runs);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_LeaseHeldByAnotherReplica_DoesNotRunOrRecord()
    {
        using var harness = new SchedulingHarness();
        harness.Leases.Seed(new LeaseState(Job, "analytics/pod-b#2", Slot.AddMinutes(1), Slot, Slot, Slot.AddDays(-1)));

        var result = await harness.Runner.RunAsync(Cli(default), TestContext.Current.CancellationToken);

        Assert.False(result.LeaseAcquired);
        Assert.Contains("lease held by analytics/pod-b#2", result.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Probe.Runs);
        Assert.Empty(harness.Runs.Runs);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_CliWindow_ReachesTheJobAndTheRecord()
    {
        using var harness = new SchedulingHarness();
        var window = new JobWindow(Slot.AddDays(-2).AddMinutes(-15), Slot.AddMinutes(-15));

        var result = await harness.Runner.RunAsync(Cli(window), TestContext.Current.CancellationToken);

        Assert.Equal(window, Assert.Single(harness.Probe.Runs).Window);
        Assert.Equal(JobRunTrigger.Cli, Assert.Single(harness.Runs.Runs.Values).Start.Trigger);
        Assert.Equal(window, result.Window);
        Assert.Null((await harness.Leases.ReadAsync(Job, TestContext.Current.CancellationToken))!.LastFireTime);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_JobThrows_RecordsFailedWithARedactedError()
    {
        using var harness = new SchedulingHarness();
        harness.Probe.Behaviour = (context, _) =>
        {
            context.Add("read", 3);
            throw new InvalidOperationException("cannot reach mongodb://quikapp:s3cret@db:27017/QuikApp_analytics");
        };

        var result = await harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);

        Assert.Equal(JobRunStatus.Failed, result.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, result.Error!.Type);
        Assert.DoesNotContain("s3cret", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("mongodb://***@db:27017", result.Error.Message, StringComparison.Ordinal);
        var finish = Assert.Single(harness.Runs.Runs.Values).Finish!;
        Assert.Equal(JobRunStatus.Failed, finish.Status);
        Assert.Equal(3, finish.Counts["read"]);
        Assert.Equal(harness.Time.GetUtcNow(), (await harness.Leases.ReadAsync(Job, TestContext.Current.CancellationToken))!.LockedUntil);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_EachRunItHeld_IsCountedByJobStatusAndTrigger()
    {
        using var harness = new SchedulingHarness();
        await using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var runner = ActivatorUtilities.CreateInstance<LeasedJobRunner>(harness.Provider, new WorkerMetrics(meters.GetRequiredService<IMeterFactory>()));
        var counted = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WorkerMetrics.MeterName && instrument.Name == "quikapp.jobs.runs")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            counted.Add((value, copy));
        });
        listener.Start();
        harness.Probe.Behaviour = (_, _) => throw new InvalidOperationException("boom");

        await runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);
        await runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken); // same slot: not run, not counted

        var (value, tags) = Assert.Single(counted);
        Assert.Equal(1, value);
        Assert.Equal(Job, tags["job"]);
        Assert.Equal("failed", tags["status"]);
        Assert.Equal("schedule", tags["trigger"]);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_JobSkipsAndReportsItsWindow_IsRecordedAsSkippedWithThatWindow()
    {
        using var harness = new SchedulingHarness();
        var covered = new JobWindow(Slot.AddDays(-1).AddMinutes(-15), Slot.AddMinutes(-15));
        harness.Probe.Behaviour = (_, _) => Task.FromResult(JobOutcome.Skipped("no messages") with { Window = covered, Counts = new Dictionary<string, long> { ["days"] = 0 } });

        var result = await harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);

        Assert.Equal(JobRunStatus.Skipped, result.Status);
        Assert.Equal(covered, result.Window);
        Assert.Equal(0, result.Counts["days"]);
        Assert.Equal(covered, Assert.Single(harness.Runs.Runs.Values).Finish!.Window);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_LongRun_RenewalKeepsTheLeasePastItsFirstExpiry()
    {
        using var harness = new SchedulingHarness();
        var release = new TaskCompletionSource();
        harness.Probe.Behaviour = async (_, token) =>
        {
            await release.Task.WaitAsync(token);
            return JobOutcome.Succeeded();
        };
        var run = harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);

        // Five renewals: 150 s, past the 120 s the acquisition granted.
        for (var i = 1; i <= 5; i++)
        {
            harness.FakeTime.Advance(TimeSpan.FromSeconds(30));
            await WaitUntilAsync(async () => (await harness.Leases.ReadAsync(Job, TestContext.Current.CancellationToken))!.RenewedAt == harness.Time.GetUtcNow());
        }

        var lease = await harness.Leases.ReadAsync(Job, TestContext.Current.CancellationToken);
        Assert.Equal(Slot.AddSeconds(150) + TimeSpan.FromMinutes(2), lease!.LockedUntil);
        var rival = await harness.Leases.TryAcquireAsync(new LeaseRequest(Job, "analytics/pod-b#2", TimeSpan.FromMinutes(2), null), TestContext.Current.CancellationToken);
        Assert.Equal(LeaseVerdict.HeldByOther, rival.Verdict);

        release.SetResult();
        Assert.Equal(JobRunStatus.Succeeded, (await run).Status);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_RenewalFindsAnotherOwner_CancelsTheJobAndRecordsLostLease()
    {
        using var harness = new SchedulingHarness();
        var started = new TaskCompletionSource();
        harness.Probe.Behaviour = async (_, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return JobOutcome.Succeeded();
        };
        var run = harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);
        await started.Task;

        // An operator (or a replica with a badly skewed clock) took the lease over.
        harness.Leases.Seed(new LeaseState(Job, "analytics/pod-b#2", Slot.AddMinutes(5), Slot, Slot, Slot));
        harness.FakeTime.Advance(TimeSpan.FromSeconds(30));
        var result = await run;

        Assert.Equal(JobRunStatus.LostLease, result.Status);
        Assert.Equal(JobRunStatus.LostLease, Assert.Single(harness.Runs.Runs.Values).Finish!.Status);
        Assert.Equal("analytics/pod-b#2", (await harness.Leases.ReadAsync(Job, TestContext.Current.CancellationToken))!.Owner);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_RenewalsFailUntilTheLeaseExpires_CancelsTheJob()
    {
        using var harness = new SchedulingHarness();
        var started = new TaskCompletionSource();
        harness.Probe.Behaviour = async (_, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return JobOutcome.Succeeded();
        };
        var run = harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);
        await started.Task;
        harness.Leases.RenewFailure = new TimeoutException("MongoDB did not answer");

        for (var i = 0; i < 4 && !run.IsCompleted; i++)
        {
            harness.FakeTime.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(run, Task.Delay(200, TestContext.Current.CancellationToken));
        }

        var result = await run;
        Assert.Equal(JobRunStatus.LostLease, result.Status);
        Assert.True(harness.Time.GetUtcNow() >= Slot.AddMinutes(2));
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_RenewalHangsPastTheLease_CancelsTheJobAtLockedUntil()
    {
        // On the old heartbeat a renewal that never answered kept the run going past lockedUntil, when another replica
        // may already hold the lease: two holders.
        using var harness = new SchedulingHarness();
        var started = new TaskCompletionSource();
        harness.Probe.Behaviour = async (_, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return JobOutcome.Succeeded();
        };
        var run = harness.Runner.RunAsync(Scheduled(Slot), TestContext.Current.CancellationToken);
        await started.Task;
        harness.Leases.RenewHangs = true;

        for (var i = 0; i < 8 && !run.IsCompleted; i++)
        {
            harness.FakeTime.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(run, Task.Delay(200, TestContext.Current.CancellationToken));
        }

        var result = await run;
        Assert.Equal(JobRunStatus.LostLease, result.Status);
        Assert.True(harness.Time.GetUtcNow() >= Slot.AddMinutes(2));
        Assert.True(harness.Time.GetUtcNow() < Slot.AddMinutes(2).AddSeconds(30));
    }

    private static JobRunRequest Scheduled(DateTimeOffset slot) => new(Job, JobRunTrigger.Schedule, slot, default);

    private static JobRunRequest Cli(JobWindow window) => new(Job, JobRunTrigger.Cli, null, window);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail("condition not met within 2 s");
    }
}
