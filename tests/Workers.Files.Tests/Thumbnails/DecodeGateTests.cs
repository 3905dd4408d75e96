using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

public sealed class DecodeGateTests
{
    [Fact(Timeout = 30_000)]
    public async Task RunAsync_MoreWorkThanSlots_NeverRunsMoreThanTheSlotsAtOnce()
    {
        using var gate = new DecodeGate(2);
        var running = 0;
        var mostAtOnce = 0;

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => gate.RunAsync(token =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            Thread.Sleep(30);
            Interlocked.Decrement(ref running);
            return now;
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(2, mostAtOnce);
        Assert.Equal(0, gate.Running);
    }

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_CancelledWhileWaitingForASlot_ThrowsAndLeavesTheSlotsFree()
    {
        using var gate = new DecodeGate(1);
        using var release = new ManualResetEventSlim();
        var holder = gate.RunAsync(token => release.Wait(TimeSpan.FromSeconds(20), token), TestContext.Current.CancellationToken);
        using var cancellation = new CancellationTokenSource();

        var waiting = gate.RunAsync(_ => true, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.Set();
        await holder;
        Assert.Equal(0, gate.Running);
        Assert.True(await gate.RunAsync(_ => true, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_WorkThrows_FreesTheSlot()
    {
        using var gate = new DecodeGate(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync<int>(_ => throw new InvalidOperationException(), TestContext.Current.CancellationToken));

        Assert.Equal(0, gate.Running);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
