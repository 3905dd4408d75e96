using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>The snapshot job over in-memory pair and snapshot stores: version, cutoff, counts, filters, idempotence.</summary>
public sealed class SmartReplySnapshotJobTests
{
    private static readonly DateTimeOffset Slot = new(2026, 11, 25, 2, 30, 0, TimeSpan.Zero);

    private readonly InMemorySmartReplyPairStore _pairs = new();
    private readonly InMemorySmartReplySnapshotStore _snapshots = new();
    private readonly FakeTimeProvider _time = new(Slot.AddSeconds(2));
    private readonly SmartReplyOptions _options = new() { ContextMessages = 2, QuickReplyWindow = TimeSpan.FromSeconds(90), MinCharacters = 3, MaxCharacters = 280 };

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_ScheduledFiring_RecordsTheSnapshotUpToTheSlot()
    {
        AddPair(ReplyPairKind.Thread, Slot.AddHours(-5));
        AddPair(ReplyPairKind.Thread, Slot.AddHours(-1));
        AddPair(ReplyPairKind.Quick, Slot);
        AddPair(ReplyPairKind.Quick, Slot.AddSeconds(1)); // after the cutoff
        var context = Context(JobRunTrigger.Schedule, default, Slot);

        var outcome = await Job().RunAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        var snapshot = Assert.Single(_snapshots.All);
        Assert.Equal("smart-reply-20261125T0230Z", snapshot.Version);
        Assert.Equal((Slot.AddSeconds(2), Slot), (snapshot.CreatedAt, snapshot.Cutoff));
        Assert.Equal(new ReplyPairCounts(3, 2, 1), snapshot.Counts);
        Assert.Equal((2, 90, 3, 280), (snapshot.Filters.ContextMessages, snapshot.Filters.QuickReplyWindowSeconds, snapshot.Filters.MinCharacters, snapshot.Filters.MaxCharacters));
        Assert.Equal(["code", "file", "flag", "block", "deleted"], snapshot.Filters.Excluded);
        Assert.Equal(new Dictionary<string, long> { ["pairs"] = 3, ["thread"] = 2, ["quick"] = 1 }, context.Counts);
        Assert.Equal(new JobWindow(null, Slot), outcome.Window);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_SameSlotAgain_SkipsAndKeepsTheFirstRecord()
    {
        AddPair(ReplyPairKind.Thread, Slot.AddHours(-1));
        var ct = TestContext.Current.CancellationToken;
        await Job().RunAsync(Context(JobRunTrigger.Schedule, default, Slot), ct);
        AddPair(ReplyPairKind.Quick, Slot.AddHours(-2)); // a late pair would change the counts if the record were rewritten

        var again = await Job().RunAsync(Context(JobRunTrigger.Schedule, default, Slot), ct);

        Assert.Equal(JobOutcomeStatus.Skipped, again.Status);
        Assert.Equal(new ReplyPairCounts(1, 1, 0), Assert.Single(_snapshots.All).Counts);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_RunJobWithTo_CutsAtTheWindowEnd()
    {
        var to = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        AddPair(ReplyPairKind.Thread, to.AddDays(-1));
        AddPair(ReplyPairKind.Thread, to.AddDays(1));

        var outcome = await Job().RunAsync(Context(JobRunTrigger.Cli, new JobWindow(null, to), null), TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        var snapshot = Assert.Single(_snapshots.All);
        Assert.Equal(("smart-reply-20261120T0000Z", to, 1L), (snapshot.Version, snapshot.Cutoff, snapshot.Counts.Pairs));
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_RunJobWithoutTo_CutsAtTheCurrentMinute()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 25, 14, 7, 42, TimeSpan.Zero));

        await Job().RunAsync(Context(JobRunTrigger.Cli, default, null), TestContext.Current.CancellationToken);

        var snapshot = Assert.Single(_snapshots.All);
        Assert.Equal(("smart-reply-20261125T1407Z", new DateTimeOffset(2026, 11, 25, 14, 7, 0, TimeSpan.Zero)), (snapshot.Version, snapshot.Cutoff));
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_CutoffInTheFuture_FailsWithoutARecord()
    {
        var outcome = await Job().RunAsync(Context(JobRunTrigger.Cli, new JobWindow(null, Slot.AddDays(1)), null), TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("in the future", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_snapshots.All);
    }

    private SmartReplySnapshotJob Job() => new(_pairs, _snapshots, Microsoft.Extensions.Options.Options.Create(_options), _time);

    private static JobRunContext Context(JobRunTrigger trigger, JobWindow window, DateTimeOffset? fireTime) =>
        new(Guid.CreateVersion7(), SmartReplySnapshotJob.Name, trigger, window, fireTime, new ConfigurationBuilder().Build(), NullLogger.Instance);

    private void AddPair(ReplyPairKind kind, DateTimeOffset builtAt)
    {
        var reply = ObjectId.GenerateNewId();
        _pairs.Put(new ReplyPair(ReplyPair.IdFor(reply, kind), kind, Guid.NewGuid(), Guid.NewGuid(), reply, [ObjectId.GenerateNewId(), reply],
            [new ReplyContextLine("context", false)], "reply", builtAt.AddMinutes(-1), builtAt));
    }
}
