using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Mongo;
using QuikApp.Workers.Testing.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>
/// What an <see cref="ILeaseStore"/> does, held against both implementations: the in-memory double (always) and
/// <see cref="MongoLeaseStore"/> on a real MongoDB (the lane). Every store a test makes shares one backing store.
/// </summary>
public abstract class LeaseStoreSpecification
{
    protected const string Job = "daily-message-stats";
    protected const string A = "analytics/pod-a#aaaaaaaa";
    protected const string B = "analytics/pod-b#bbbbbbbb";
    protected static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);
    protected static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 15, 0, 250, TimeSpan.Zero);
    protected static readonly DateTimeOffset Slot = new(2026, 11, 25, 0, 15, 0, TimeSpan.Zero);

    /// <summary>A store over this test's backing store, reading <paramref name="time"/>.</summary>
    protected abstract ILeaseStore Store(TimeProvider time);

    /// <summary>Puts a raw lease document in place, as another replica, an older version or an operator left it.</summary>
    protected abstract Task SeedAsync(BsonDocument raw);

    [Fact(Timeout = 120_000)]
    public async Task Read_NeverTaken_IsNull()
    {
        Assert.Null(await Store(new FakeTimeProvider(Start)).ReadAsync(Job, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 120_000)]
    public async Task Acquire_ClockFinerThanMilliseconds_ReturnsAndStoresMilliseconds()
    {
        // BSON dates are milliseconds: a lockedUntil compared in ticks with what the next reader sees would be later than it.
        var time = new FakeTimeProvider(Start.AddTicks(4_321));
        var store = Store(time);
        var ct = TestContext.Current.CancellationToken;

        var taken = await store.TryAcquireAsync(new LeaseRequest(Job, A, Duration, Slot), ct);
        time.Advance(TimeSpan.FromSeconds(30));
        var renewed = await store.RenewAsync(Job, A, Duration, ct);
        var lease = await store.ReadAsync(Job, ct);

        Assert.Equal(Start + Duration, taken.LockedUntil);
        Assert.Equal(Start.AddSeconds(30) + Duration, renewed);
        Assert.Equal(renewed, lease!.LockedUntil);
        Assert.Equal(Start, lease.AcquiredAt);
    }

    [Fact(Timeout = 120_000)]
    public async Task RenewAndRelease_KeepThenFreeTheLease()
    {
        var time = new FakeTimeProvider(Start);
        var ct = TestContext.Current.CancellationToken;
        var store = Store(time);
        await store.TryAcquireAsync(new LeaseRequest(Job, A, Duration, Slot), ct);

        time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(Start.AddSeconds(90) + Duration, await store.RenewAsync(Job, A, Duration, ct));
        Assert.Null(await store.RenewAsync(Job, B, Duration, ct));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.False((await store.TryAcquireAsync(new LeaseRequest(Job, B, Duration, null), ct)).Acquired);

        await store.ReleaseAsync(Job, B, ct);
        Assert.Equal(A, (await store.ReadAsync(Job, ct))!.Owner);
        await store.ReleaseAsync(Job, A, ct);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var lease = await store.ReadAsync(Job, ct);
        Assert.Equal(Start.AddSeconds(150), lease!.ReleasedAt);
        var next = await store.TryAcquireAsync(new LeaseRequest(Job, B, Duration, null), ct);
        Assert.True(next.Acquired);
        Assert.False(LeaseRules.WasAbandoned(next.Current!));
    }

    [Fact(Timeout = 120_000)]
    public async Task Acquire_CrashedOwnersLeaseAfterItExpires_IsTakenOver()
    {
        var time = new FakeTimeProvider(Start);
        var ct = TestContext.Current.CancellationToken;
        var store = Store(time);
        await store.TryAcquireAsync(new LeaseRequest(Job, A, Duration, null), ct);

        time.Advance(Duration);
        Assert.False((await store.TryAcquireAsync(new LeaseRequest(Job, B, Duration, null), ct)).Acquired);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var takeover = await store.TryAcquireAsync(new LeaseRequest(Job, B, Duration, null), ct);

        Assert.True(takeover.Acquired);
        Assert.Equal(LeaseVerdict.Expired, takeover.Verdict);
        Assert.True(LeaseRules.WasAbandoned(takeover.Current!));
        Assert.Null(await store.RenewAsync(Job, A, Duration, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task Acquire_SameSlotAfterTheFirstRunReleased_IsAlreadyFired_LaterSlotRuns()
    {
        var time = new FakeTimeProvider(Start);
        var ct = TestContext.Current.CancellationToken;
        var store = Store(time);
        await store.TryAcquireAsync(new LeaseRequest(Job, A, Duration, Slot), ct);
        time.Advance(TimeSpan.FromSeconds(5));
        await store.ReleaseAsync(Job, A, ct);
        time.Advance(TimeSpan.FromSeconds(1));

        var late = await store.TryAcquireAsync(new LeaseRequest(Job, B, Duration, Slot), ct);
        var next = await store.TryAcquireAsync(new LeaseRequest(Job, B, Duration, Slot.AddDays(1)), ct);

        Assert.Equal(LeaseVerdict.AlreadyFired, late.Verdict);
        Assert.False(late.Acquired);
        Assert.True(next.Acquired);
        Assert.Equal(Slot.AddDays(1), (await store.ReadAsync(Job, ct))!.LastFireTime);
    }

    [Fact(Timeout = 120_000)]
    public async Task Acquire_RawLeaseWithNullLockedUntilAndOwner_IsFree()
    {
        // { lockedUntil: { $lt: now } } never matches null (comparisons are type-bracketed): on the old filter the upsert
        // fell through to a duplicate-key insert and such a lease could never be taken, while the double took it.
        await SeedAsync(new BsonDocument { { "_id", Job }, { "owner", BsonNull.Value }, { "lockedUntil", BsonNull.Value }, { "lastFireTime", BsonNull.Value } });

        var taken = await Store(new FakeTimeProvider(Start)).TryAcquireAsync(new LeaseRequest(Job, A, Duration, Slot), TestContext.Current.CancellationToken);

        Assert.True(taken.Acquired);
    }

    [Fact(Timeout = 120_000)]
    public async Task Acquire_RawLastFireTimeNotADate_TheSlotRuns()
    {
        await SeedAsync(new BsonDocument
        {
            { "_id", Job }, { "owner", B }, { "lockedUntil", new BsonDateTime(Start.AddMinutes(-10).UtcDateTime) }, { "lastFireTime", "2026-11-25T00:15:00Z" },
        });

        var taken = await Store(new FakeTimeProvider(Start)).TryAcquireAsync(new LeaseRequest(Job, A, Duration, Slot), TestContext.Current.CancellationToken);

        Assert.True(taken.Acquired);
        Assert.Equal(LeaseVerdict.Expired, taken.Verdict);
    }

    [Fact(Timeout = 120_000)]
    public async Task Acquire_RawLiveLeaseOfAnother_IsRefusedNamingTheHolder()
    {
        await SeedAsync(new BsonDocument { { "_id", Job }, { "owner", B }, { "lockedUntil", new BsonDateTime(Start.AddMinutes(1).UtcDateTime) } });

        var refused = await Store(new FakeTimeProvider(Start)).TryAcquireAsync(new LeaseRequest(Job, A, Duration, null), TestContext.Current.CancellationToken);

        Assert.False(refused.Acquired);
        Assert.Equal(LeaseVerdict.HeldByOther, refused.Verdict);
        Assert.Equal(B, refused.Current!.Owner);
    }

    [Theory(Timeout = 120_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Acquire_ManyReplicasAtOnce_ExactlyOneWins(bool documentExists)
    {
        var ct = TestContext.Current.CancellationToken;
        if (documentExists)
        {
            // A released lease from yesterday: the race is on the update path, not the insert (duplicate key on _id).
            var yesterday = Store(new FakeTimeProvider(Start.AddDays(-1)));
            await yesterday.TryAcquireAsync(new LeaseRequest(Job, "analytics/old#0", Duration, Slot.AddDays(-1)), ct);
            await yesterday.ReleaseAsync(Job, "analytics/old#0", ct);
        }

        var store = Store(new FakeTimeProvider(Start));
        using var go = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(
            async () =>
            {
                go.Wait(ct);
                return (Owner: $"analytics/pod-{i}#{i:x8}", Result: await store.TryAcquireAsync(new LeaseRequest(Job, $"analytics/pod-{i}#{i:x8}", Duration, Slot), ct));
            },
            ct)).ToList();
        go.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, attempt => attempt.Result.Acquired);
        Assert.All(results.Where(attempt => !attempt.Result.Acquired), attempt => Assert.Contains(attempt.Result.Verdict, new[] { LeaseVerdict.HeldByOther, LeaseVerdict.AlreadyFired }));
        var lease = await store.ReadAsync(Job, ct);
        Assert.Equal(winner.Owner, lease!.Owner);
        Assert.Equal(winner.Result.LockedUntil, lease.LockedUntil);
    }
}

/// <summary>The lease store specification against the in-memory double.</summary>
public sealed class InMemoryLeaseStoreSpecification : LeaseStoreSpecification
{
    private readonly InMemoryLeaseStore _backing = new(TimeProvider.System);

    protected override ILeaseStore Store(TimeProvider time) => _backing.OnClock(time);

    protected override Task SeedAsync(BsonDocument raw)
    {
        _backing.Seed(raw);
        return Task.CompletedTask;
    }
}

/// <summary>The lease store specification against <see cref="MongoLeaseStore"/> on the real-MongoDB lane.</summary>
public sealed class MongoLeaseStoreSpecification(MongoTestLane lane) : LeaseStoreSpecification
{
    private MongoCatalog? _catalog;

    private MongoCatalog Catalog => _catalog ??= lane.Require().CreateCatalog();

    protected override ILeaseStore Store(TimeProvider time) => new MongoLeaseStore(Catalog, Options.Create(new SchedulingOptions()), time);

    protected override Task SeedAsync(BsonDocument raw) => Catalog.Locks.InsertOneAsync(raw, cancellationToken: TestContext.Current.CancellationToken);
}
