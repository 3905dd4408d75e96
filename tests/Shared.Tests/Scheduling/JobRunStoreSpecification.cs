using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Mongo;
using QuikApp.Workers.Testing.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>
/// What an <see cref="IJobRunStore"/> does, held against the in-memory double (always) and <see cref="MongoJobRunStore"/>
/// on a real MongoDB (the lane): one document per run, inserted at start and completed at the end, as BSON keeps it.
/// </summary>
public abstract class JobRunStoreSpecification
{
    private const string Job = "daily-message-stats";
    private const string Owner = "analytics/pod-a#aaaaaaaa";
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 15, 0, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset Slot = new(2026, 11, 25, 0, 15, 0, TimeSpan.Zero);

    protected abstract IJobRunStore Store();

    /// <summary>The run's job_runs document as stored, or null.</summary>
    protected abstract Task<BsonDocument?> ReadAsync(Guid runId);

    [Fact(Timeout = 120_000)]
    public async Task RecordStartThenFinish_OneDocumentWithTheOutcome()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = Store();
        var runId = Guid.CreateVersion7(Start);

        await store.RecordStartAsync(new JobRunStart(runId, Job, JobRunTrigger.Cli, new JobWindow(Slot.AddDays(-1), Slot), null, Start, Owner), ct);
        var running = await ReadAsync(runId);
        await store.RecordFinishAsync(new JobRunFinish(runId, Start.AddSeconds(3), JobRunStatus.Succeeded, new Dictionary<string, long> { ["fixed"] = 12 }, "ok", null, null), ct);
        var finished = (await ReadAsync(runId))!;

        Assert.Equal("running", running!["status"].AsString);
        Assert.Equal("succeeded", finished["status"].AsString);
        Assert.Equal("cli", finished["trigger"].AsString);
        Assert.Equal(12, finished["counts"]["fixed"].ToInt64());
        Assert.Equal(BsonNull.Value, finished["error"]);
        Assert.Equal(BsonNull.Value, finished["scheduledFireTime"]);
        Assert.Equal(new BsonDateTime(Slot.UtcDateTime), finished["window"]["to"]);
        Assert.Equal(new BsonBinaryData(runId, GuidRepresentation.Standard), finished["_id"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task RecordStart_ClockFinerThanMilliseconds_IsStoredInMilliseconds()
    {
        var ct = TestContext.Current.CancellationToken;
        var runId = Guid.CreateVersion7(Start);

        await Store().RecordStartAsync(new JobRunStart(runId, Job, JobRunTrigger.Schedule, default, Slot, Start.AddTicks(9_999), Owner), ct);

        Assert.Equal(new BsonDateTime(Start.UtcDateTime), (await ReadAsync(runId))!["startedAt"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task RecordStart_SameRunTwice_IsRefused()
    {
        // The run id is the _id: the second insert is a duplicate key.
        var ct = TestContext.Current.CancellationToken;
        var store = Store();
        var start = new JobRunStart(Guid.CreateVersion7(Start), Job, JobRunTrigger.Cli, default, null, Start, Owner);
        await store.RecordStartAsync(start, ct);

        await Assert.ThrowsAnyAsync<Exception>(() => store.RecordStartAsync(start with { Owner = "analytics/pod-b#bbbbbbbb" }, ct));
        Assert.Equal(Owner, (await ReadAsync(start.RunId))!["owner"].AsString);
    }

    [Fact(Timeout = 120_000)]
    public async Task RecordFinish_RunNeverStarted_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store().RecordFinishAsync(
            new JobRunFinish(Guid.CreateVersion7(), Start, JobRunStatus.Failed, new Dictionary<string, long>(), null, null, null),
            TestContext.Current.CancellationToken));
    }
}

/// <summary>The job-run store specification against the in-memory double.</summary>
public sealed class InMemoryJobRunStoreSpecification : JobRunStoreSpecification
{
    private readonly InMemoryJobRunStore _store = new();

    protected override IJobRunStore Store() => _store;

    protected override Task<BsonDocument?> ReadAsync(Guid runId) => Task.FromResult(_store.Read(runId));
}

/// <summary>The job-run store specification against <see cref="MongoJobRunStore"/> on the real-MongoDB lane.</summary>
public sealed class MongoJobRunStoreSpecification(MongoTestLane lane) : JobRunStoreSpecification
{
    private MongoCatalog? _catalog;

    private MongoCatalog Catalog => _catalog ??= lane.Require().CreateCatalog();

    protected override IJobRunStore Store() => new MongoJobRunStore(Catalog, Options.Create(new SchedulingOptions()));

    protected override async Task<BsonDocument?> ReadAsync(Guid runId) =>
        await Catalog.JobRuns.Find(new BsonDocument("_id", new BsonBinaryData(runId, GuidRepresentation.Standard)))
            .FirstOrDefaultAsync(TestContext.Current.CancellationToken);
}
