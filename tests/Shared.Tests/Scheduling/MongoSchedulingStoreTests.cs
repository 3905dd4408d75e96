using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Mongo;
using IScheduler = Quartz.IScheduler;
using ISchedulerFactory = Quartz.ISchedulerFactory;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>
/// What only MongoDB shows about the lease and job-run stores (the document as stored, the declared index, two schedulers
/// on one database); their behaviour is held by <see cref="LeaseStoreSpecification"/> and <see cref="JobRunStoreSpecification"/>.
/// </summary>
public sealed class MongoSchedulingStoreTests(MongoTestLane lane)
{
    private const string Job = "daily-message-stats";
    private const string A = "analytics/pod-a#aaaaaaaa";
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 15, 0, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset Slot = new(2026, 11, 25, 0, 15, 0, TimeSpan.Zero);

    [Fact(Timeout = 120_000)]
    public async Task Acquire_NoDocument_InsertsTheLeaseAsDesigned()
    {
        var (catalog, time) = (lane.Require().CreateCatalog(), new FakeTimeProvider(Start));
        var ct = TestContext.Current.CancellationToken;

        var taken = await Store(catalog, time).TryAcquireAsync(new LeaseRequest(Job, A, Duration, Slot), ct);

        Assert.True(taken.Acquired);
        Assert.Equal(LeaseVerdict.Free, taken.Verdict);
        var document = await catalog.Locks.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(ct);
        // Field by field: since 5.0 an upsert's $set creates new fields in lexicographic order, not in the order written,
        // so whole-document equality (order-sensitive in BSON) would depend on the server version.
        var expected = BsonDocument.Parse("""
            {
              _id: "daily-message-stats", owner: "analytics/pod-a#aaaaaaaa",
              lockedUntil: ISODate("2026-11-25T00:17:00.250Z"), acquiredAt: ISODate("2026-11-25T00:15:00.250Z"),
              renewedAt: ISODate("2026-11-25T00:15:00.250Z"), lastFireTime: ISODate("2026-11-25T00:15:00Z")
            }
            """);
        Assert.Equal(expected.Names.Order(StringComparer.Ordinal), document.Names.Order(StringComparer.Ordinal));
        Assert.All(expected, element => Assert.Equal(element.Value, document[element.Name]));
    }

    [Fact(Timeout = 120_000)]
    public async Task JobRuns_StartedAndFinished_AreOneDocumentUsingTheDeclaredIndex()
    {
        var scope = lane.Require();
        var catalog = scope.CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var report = await new MongoIndexBootstrapper(catalog, NullLogger<MongoIndexBootstrapper>.Instance).EnsureAsync([IndexOwner.Scheduling], ct);
        Assert.Single(report.Created);
        var runs = new MongoJobRunStore(catalog, Options.Create(new SchedulingOptions()));
        var runId = Guid.CreateVersion7(Start);

        await runs.RecordStartAsync(new JobRunStart(runId, Job, JobRunTrigger.Cli, new JobWindow(Slot.AddDays(-1), Slot), null, Start, A), ct);
        var running = await catalog.JobRuns.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(ct);
        await runs.RecordFinishAsync(new JobRunFinish(runId, Start.AddSeconds(3), JobRunStatus.Succeeded, new Dictionary<string, long> { ["fixed"] = 12 }, "ok", null, null), ct);
        var finished = await catalog.JobRuns.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(ct);

        Assert.Equal("running", running["status"].AsString);
        Assert.Equal("succeeded", finished["status"].AsString);
        Assert.Equal("cli", finished["trigger"].AsString);
        Assert.Equal(12, finished["counts"]["fixed"].ToInt64());
        Assert.Equal(BsonNull.Value, finished["error"]);
        Assert.Equal(new BsonBinaryData(runId, GuidRepresentation.Standard), finished["_id"]);
        var plan = await catalog.JobRuns.Find(new BsonDocument("job", Job)).Sort(new BsonDocument("startedAt", -1)).Limit(1)
            .Project(new BsonDocument("_id", 0)).As<BsonDocument>().ToListAsync(ct);
        Assert.Single(plan);
        await Assert.ThrowsAsync<InvalidOperationException>(() => runs.RecordFinishAsync(
            new JobRunFinish(Guid.CreateVersion7(), Start, JobRunStatus.Failed, new Dictionary<string, long>(), null, null, null), ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task TwoSchedulers_OnOneMongoDbLease_RunEachFiringOnce()
    {
        var mongo = lane.Require().CreateOptions();
        var settings = new Dictionary<string, string?> { [$"Scheduling:Jobs:{Job}:Cron"] = "* * * * * ?" };
        using var first = new SchedulingHarness(mongo, settings);
        using var second = new SchedulingHarness(mongo, settings);
        var ct = TestContext.Current.CancellationToken;

        var schedulers = new List<IScheduler>();
        foreach (var harness in new[] { first, second })
        {
            await harness.Registrar.StartAsync(ct);
            var scheduler = await harness.Provider.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            await scheduler.Start(ct);
            schedulers.Add(scheduler);
        }

        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        foreach (var scheduler in schedulers)
        {
            await scheduler.Shutdown(true, ct);
        }

        var slots = first.Probe.Runs.Concat(second.Probe.Runs).Select(run => run.ScheduledFireTime!.Value).ToList();
        Assert.InRange(slots.Count, 2, 7);
        Assert.Equal(slots.Count, slots.Distinct().Count());
        var recorded = await first.Provider.GetRequiredService<MongoCatalog>().JobRuns.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        Assert.Equal(slots.Count, recorded.Count);
        Assert.All(recorded, run => Assert.Equal("succeeded", run["status"].AsString));
    }

    private static MongoLeaseStore Store(MongoCatalog catalog, TimeProvider time) => new(catalog, Options.Create(new SchedulingOptions()), time);
}
