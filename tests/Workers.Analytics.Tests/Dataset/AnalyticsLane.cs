using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Merging;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Dataset;

/// <summary>
/// One real-lane test's world: its own databases with every declared index (the seed's as the message-service builds
/// them, the moderation worker's, the analytics worker's), a generated chat history, a fake clock, and the jobs.
/// </summary>
internal sealed class AnalyticsLane
{
    private AnalyticsLane(MongoLaneScope scope, MongoCatalog catalog, MongoIndexBootstrapper bootstrapper, ChatDataset data)
    {
        Scope = scope;
        Catalog = catalog;
        Bootstrapper = bootstrapper;
        Data = data;
        States = new JobStateStore(catalog);
    }

    public MongoLaneScope Scope { get; }

    public MongoCatalog Catalog { get; }

    public MongoIndexBootstrapper Bootstrapper { get; }

    public ChatDataset Data { get; }

    public JobStateStore States { get; }

    public FakeTimeProvider Time { get; } = new(ChatDataset.Now);

    public static readonly IConfiguration NoParameters = new ConfigurationBuilder().Build();

    /// <summary>Skips the calling test where no MongoDB is reachable; otherwise seeds a fresh dataset in the test's databases.</summary>
    public static async Task<AnalyticsLane> StartAsync(MongoTestLane lane, int seed = 7)
    {
        var scope = lane.Require();
        var catalog = scope.CreateCatalog();
        var bootstrapper = new MongoIndexBootstrapper(catalog, NullLogger<MongoIndexBootstrapper>.Instance);
        var cancellationToken = TestContext.Current.CancellationToken;
        await bootstrapper.EnsureAsync([IndexOwner.MessageService, IndexOwner.Moderation, IndexOwner.Analytics, IndexOwner.Scheduling], cancellationToken);
        var data = ChatDataset.Generate(seed);
        await data.InsertAsync(catalog, cancellationToken);
        return new AnalyticsLane(scope, catalog, bootstrapper, data);
    }

    public DailyMessageStatsJob DailyMessageStats(DailyMessageStatsParameters? parameters = null) =>
        new(Catalog, States, new MergeTargetIndexes(Bootstrapper), Options.Create(parameters ?? new DailyMessageStatsParameters()), Time);

    public UnreadCountsJob UnreadCounts(UnreadCountsParameters? parameters = null) =>
        new(Catalog, States, Options.Create(parameters ?? new UnreadCountsParameters()), Time);

    public CounterReconciliationJob CounterReconciliation(CounterReconciliationParameters? parameters = null) =>
        new(Catalog, States, Options.Create(parameters ?? new CounterReconciliationParameters()), Time);

    public ModerationDailyJob ModerationDaily(ModerationDailyParameters? parameters = null) =>
        new(Catalog, States, new MergeTargetIndexes(Bootstrapper), Options.Create(parameters ?? new ModerationDailyParameters()), Time);

    /// <summary>Runs a job as the scheduler would (no window) or as <c>run-job --from/--to</c> would; fails the test unless it succeeded.</summary>
    public async Task<JobRunContext> RunAsync(IScheduledJob job, string name, JobWindow window = default)
    {
        var context = new JobRunContext(
            Guid.NewGuid(), name, window.IsEmpty ? JobRunTrigger.Schedule : JobRunTrigger.Cli, window,
            window.IsEmpty ? Time.GetUtcNow() : null, NoParameters, NullLogger.Instance);
        var outcome = await job.RunAsync(context, TestContext.Current.CancellationToken);
        Assert.True(outcome.Status == JobOutcomeStatus.Succeeded, $"{name}: {outcome.Status} {outcome.Message}");
        return context;
    }

    public static JobWindow Days(DateTime from, DateTime to) => new(new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero));

    /// <summary>Every document of a collection without <c>_id</c> and <c>computedAt</c> (what a rerun must leave identical), in a stable order.</summary>
    public static async Task<List<BsonDocument>> FiguresAsync(IMongoCollection<BsonDocument> collection)
    {
        var documents = await collection.Find(FilterDefinition<BsonDocument>.Empty)
            .Project(new BsonDocument { { "_id", 0 }, { "computedAt", 0 } })
            .ToListAsync(TestContext.Current.CancellationToken);
        return [.. documents.OrderBy(d => d.ToJson(), StringComparer.Ordinal)];
    }

    public static Guid Workspace(BsonDocument document) => document["workspaceId"].AsGuid;

    public static DateTime Date(BsonDocument document) => document["date"].ToUniversalTime();
}
