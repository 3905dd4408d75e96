using MongoDB.Bson;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Tests.Incremental;

/// <summary>Which writes an incremental run looks at, and what it remembers for the next one.</summary>
public sealed class ChangeWindowTests
{
    private static readonly DateTime Now = new(2024, 1, 20, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Lookback = TimeSpan.FromDays(1);

    [Fact]
    public void For_FirstRun_LooksBackTheFirstRunLookback()
    {
        var window = ChangeWindow.For(default, watermark: null, Now, Overlap, Lookback);

        Assert.Equal(Now.AddDays(-1), window.Since);
        Assert.Null(window.Until);
        Assert.False(window.Requested);
    }

    [Fact]
    public void For_AfterARun_StartsTheOverlapBeforeTheLastRunsStart()
    {
        var watermark = Now.AddMinutes(-15);

        var window = ChangeWindow.For(default, watermark, Now, Overlap, Lookback);

        Assert.Equal(Now.AddMinutes(-20), window.Since);
        Assert.Null(window.Until);
    }

    [Fact]
    public void For_AfterDowntime_CoversEverythingSinceTheLastSuccessfulRun()
    {
        var watermark = Now.AddDays(-3);

        var window = ChangeWindow.For(default, watermark, Now, Overlap, Lookback);

        Assert.Equal(watermark - Overlap, window.Since);
    }

    [Fact]
    public void For_RequestedWindow_IsTakenAsIsAndIgnoresTheWatermark()
    {
        var requested = new JobWindow(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero));

        var window = ChangeWindow.For(requested, Now.AddMinutes(-15), Now, Overlap, Lookback);

        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), window.Since);
        Assert.Equal(new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc), window.Until);
        Assert.True(window.Requested);
    }

    [Fact]
    public void For_RequestedWindowEndingBeforeItStarts_IsRefused()
    {
        var requested = new JobWindow(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Throws<ArgumentException>(() => ChangeWindow.For(requested, null, Now, Overlap, Lookback));
    }

    [Fact]
    public void ToJobWindow_OpenEnd_EndsAtTheRunsStart()
    {
        var window = ChangeWindow.For(default, Now.AddMinutes(-15), Now, Overlap, Lookback);

        Assert.Equal(new JobWindow(new DateTimeOffset(Now.AddMinutes(-20)), new DateTimeOffset(Now)), window.ToJobWindow(Now));
    }

    [Fact]
    public void JobState_RoundTripsThroughItsDocument()
    {
        var state = new JobState(Now, new BsonObjectId(ObjectId.Parse("65a4f0c2e1b2c3d4e5f60718")));

        var document = state.ToDocument("counter-reconciliation", Now);

        Assert.Equal("counter-reconciliation", document["_id"].AsString);
        Assert.Equal(state, JobState.From(document));
        Assert.Equal(JobState.Empty, JobState.From(null));
        Assert.Equal(JobState.Empty, JobState.From(new BsonDocument { { "_id", "x" }, { "watermark", BsonNull.Value }, { "sweepAfter", BsonNull.Value } }));
    }
}
