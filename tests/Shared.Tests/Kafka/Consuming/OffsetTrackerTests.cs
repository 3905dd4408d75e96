using Confluent.Kafka;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Shared.Tests.Kafka.Consuming;

public class OffsetTrackerTests
{
    [Fact]
    public void Committable_NothingCompleted_IsUnset()
    {
        var tracker = new OffsetTracker();
        tracker.Begin(10);
        tracker.Begin(11);

        Assert.Equal(Offset.Unset, tracker.Committable);
    }

    [Fact]
    public void Committable_AllCompletedInOrder_IsOnePastTheLast()
    {
        var tracker = new OffsetTracker();
        foreach (var offset in new long[] { 10, 11, 12 })
        {
            tracker.Begin(offset);
        }

        foreach (var offset in new long[] { 10, 11, 12 })
        {
            Assert.True(tracker.Complete(offset));
        }

        Assert.Equal(new Offset(13), tracker.Committable);
        Assert.Equal(0, tracker.InFlightCount);
    }

    [Fact]
    public void Committable_LaterOffsetCompletesFirst_NeverPassesTheEventStillInFlight()
    {
        var tracker = new OffsetTracker();
        foreach (var offset in new long[] { 5, 6, 7, 8 })
        {
            tracker.Begin(offset);
        }

        tracker.Complete(7);
        tracker.Complete(8);
        Assert.Equal(new Offset(5), tracker.Committable);

        tracker.Complete(5);
        Assert.Equal(new Offset(6), tracker.Committable);

        tracker.Complete(6);
        Assert.Equal(new Offset(9), tracker.Committable);
    }

    [Fact]
    public void Committable_GapsInOffsets_SkipsOffsetsThatWereNeverFetched()
    {
        // Compacted topics and transaction markers leave holes: 3 and 4 were never delivered.
        var tracker = new OffsetTracker();
        tracker.Begin(2);
        tracker.Begin(5);
        tracker.Complete(2);
        Assert.Equal(new Offset(5), tracker.Committable);

        tracker.Complete(5);
        Assert.Equal(new Offset(6), tracker.Committable);
    }

    [Fact]
    public void Complete_OffsetNotInFlight_ReturnsFalseAndChangesNothing()
    {
        var tracker = new OffsetTracker();
        tracker.Begin(1);
        tracker.Complete(1);

        Assert.False(tracker.Complete(1));
        Assert.False(tracker.Complete(42));
        Assert.Equal(new Offset(2), tracker.Committable);
    }

    [Fact]
    public void Begin_NegativeOffset_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OffsetTracker().Begin(-1));
    }

    [Fact]
    public async Task Committable_ConcurrentOutOfOrderCompletion_IsAlwaysBelowEveryInFlightOffset()
    {
        var tracker = new OffsetTracker();
        const int count = 20_000;
        for (var i = 0; i < count; i++)
        {
            tracker.Begin(i);
        }

        var completed = new bool[count];
        var order = Enumerable.Range(0, count).OrderBy(_ => Random.Shared.Next()).ToArray();
        var violations = 0;
        var done = false;
        var observer = Task.Run(() =>
        {
            while (!Volatile.Read(ref done))
            {
                var committable = tracker.Committable;
                if (committable == Offset.Unset || committable.Value == 0)
                {
                    continue;
                }

                // Every offset below the committable one must already be complete.
                var probe = Random.Shared.Next((int)committable.Value);
                if (!Volatile.Read(ref completed[probe]))
                {
                    Interlocked.Increment(ref violations);
                }
            }
        }, TestContext.Current.CancellationToken);

        Parallel.ForEach(order, offset =>
        {
            Volatile.Write(ref completed[offset], true);
            tracker.Complete(offset);
        });
        Volatile.Write(ref done, true);
        await observer;

        Assert.Equal(0, violations);
        Assert.Equal(new Offset(count), tracker.Committable);
    }

    [Fact]
    public void Begin_OffsetNotAboveTheLastBegun_Throws()
    {
        var tracker = new OffsetTracker();
        tracker.Begin(5);

        Assert.Throws<ArgumentException>(() => tracker.Begin(5));
        Assert.Throws<ArgumentException>(() => tracker.Begin(3));
    }

    [Fact]
    public void Committable_ManyMoreInFlightThanTheInitialCapacity_StaysExact()
    {
        var tracker = new OffsetTracker();
        for (var offset = 0; offset < 5_000; offset++)
        {
            tracker.Begin(offset * 2L);
        }

        for (var offset = 4_999; offset >= 1; offset--)
        {
            tracker.Complete(offset * 2L);
        }

        Assert.Equal(new Offset(0), tracker.Committable);
        Assert.Equal(1, tracker.InFlightCount);
        tracker.Complete(0);
        Assert.Equal(new Offset(9_999), tracker.Committable);
        Assert.Equal(0, tracker.InFlightCount);
    }
}
