using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>
/// What every <see cref="ISmartReplySnapshotStore"/> does, in a <c>training_sets</c> it shares with the ml-service's own
/// records (other kinds, ObjectId ids): MongoDB's store on the real lane, the in-memory double always.
/// </summary>
public abstract class SmartReplySnapshotStoreSpecification
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<ISmartReplySnapshotStore> CreateStoreAsync();

    /// <summary>Inserts a document into training_sets as another writer (the ml-service) would.</summary>
    protected abstract Task SeedAsync(BsonDocument raw);

    [Fact(Timeout = 120_000)]
    public async Task TryInsertAsync_SameVersionTwice_KeepsTheFirstRecord()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var first = Snapshot(T0, new ReplyPairCounts(3, 2, 1));

        Assert.True(await store.TryInsertAsync(first, ct));
        Assert.False(await store.TryInsertAsync(first with { Counts = new ReplyPairCounts(9, 9, 0) }, ct));

        var found = await store.FindAsync(first.Version, ct);
        Assert.Equal((first.Version, first.CreatedAt, first.Cutoff, first.Counts), (found!.Version, found.CreatedAt, found.Cutoff, found.Counts));
        Assert.Equal(first.Filters.Excluded, found.Filters.Excluded);
    }

    [Fact(Timeout = 120_000)]
    public async Task TryInsertAsync_SameVersionFromConcurrentRuns_ExactlyOneInsertsAndNoneFails()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var snapshot = Snapshot(T0, new ReplyPairCounts(1, 1, 0));

        var inserted = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.TryInsertAsync(snapshot, ct), ct)));

        Assert.Single(inserted, i => i);
    }

    [Fact(Timeout = 120_000)]
    public async Task FindAsync_RecordOfAnotherKindWithThatId_IsNullAndItIsKept()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var version = SmartReplySnapshot.VersionFor(T0);
        await SeedAsync(new BsonDocument { { "_id", version }, { "kind", "toxicity" }, { "createdAt", T0.UtcDateTime } });
        await SeedAsync(new BsonDocument { { "_id", "toxicity-v7" }, { "kind", "toxicity" }, { "createdAt", T0.UtcDateTime } });

        Assert.Null(await store.FindAsync(version, ct));
        Assert.Null(await store.FindAsync("toxicity-v7", ct));
        Assert.False(await store.TryInsertAsync(Snapshot(T0, ReplyPairCounts.Zero), ct));
        Assert.Null(await store.FindAsync(version, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task RecentVersionsAsync_AmongOtherKindsAndIdTypes_ListsSmartReplyVersionsNewestFirst()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        await SeedAsync(new BsonDocument { { "_id", ObjectId.Parse("6b06b1a20000000000000001") }, { "kind", "toxicity" }, { "createdAt", T0.AddDays(5).UtcDateTime } });
        await SeedAsync(new BsonDocument { { "_id", "toxicity-v7" }, { "kind", BsonNull.Value }, { "createdAt", T0.AddDays(4).UtcDateTime } });
        await SeedAsync(new BsonDocument { { "name", "no kind at all" }, { "createdAt", T0.AddDays(3).UtcDateTime } });
        await store.TryInsertAsync(Snapshot(T0, ReplyPairCounts.Zero), ct);
        await store.TryInsertAsync(Snapshot(T0.AddDays(2), ReplyPairCounts.Zero), ct);
        await store.TryInsertAsync(Snapshot(T0.AddDays(1), ReplyPairCounts.Zero), ct);

        Assert.Equal(["smart-reply-20261127T1000Z", "smart-reply-20261126T1000Z", "smart-reply-20261125T1000Z"], await store.RecentVersionsAsync(10, ct));
        Assert.Equal(["smart-reply-20261127T1000Z"], await store.RecentVersionsAsync(1, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task RecentVersionsAsync_LimitZero_ListsNone()
    {
        // MongoDB reads limit(0) as "no limit": a store that passed it on would list every version.
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        await store.TryInsertAsync(Snapshot(T0, ReplyPairCounts.Zero), ct);

        Assert.Empty(await store.RecentVersionsAsync(0, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task FindAsync_DatesWithSubMillisecondTicks_ReadBackToTheMillisecond()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var snapshot = Snapshot(T0, ReplyPairCounts.Zero) with { CreatedAt = T0.AddSeconds(1).AddTicks(12_345) };

        await store.TryInsertAsync(snapshot, ct);

        Assert.Equal(T0.AddSeconds(1).AddMilliseconds(1), (await store.FindAsync(snapshot.Version, ct))!.CreatedAt);
    }

    protected static SmartReplySnapshot Snapshot(DateTimeOffset cutoff, ReplyPairCounts counts) =>
        new(SmartReplySnapshot.VersionFor(cutoff), cutoff.AddSeconds(1), cutoff, counts, SnapshotFilters.From(new SmartReplyOptions()));
}

/// <summary>The specification against the in-memory double.</summary>
public sealed class InMemorySmartReplySnapshotStoreSpecification : SmartReplySnapshotStoreSpecification
{
    private readonly InMemorySmartReplySnapshotStore _store = new();

    protected override Task<ISmartReplySnapshotStore> CreateStoreAsync() => Task.FromResult<ISmartReplySnapshotStore>(_store);

    protected override Task SeedAsync(BsonDocument raw)
    {
        _store.Seed(raw);
        return Task.CompletedTask;
    }
}

/// <summary>The specification against MongoDB (skipped without the lane).</summary>
public sealed class MongoSmartReplySnapshotStoreSpecification(MongoTestLane lane) : SmartReplySnapshotStoreSpecification
{
    private MongoCatalog? _catalog;

    protected override async Task<ISmartReplySnapshotStore> CreateStoreAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        var report = await new MongoIndexBootstrapper(_catalog, NullLogger<MongoIndexBootstrapper>.Instance)
            .EnsureAsync([IndexOwner.Moderation], TestContext.Current.CancellationToken);
        Assert.False(report.HasConflicts, report.ToString());
        return new MongoSmartReplySnapshotStore(_catalog);
    }

    protected override Task SeedAsync(BsonDocument raw) =>
        _catalog!.TrainingSets.InsertOneAsync(raw, cancellationToken: TestContext.Current.CancellationToken);
}
