using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>What <see cref="IModerationReportStore"/> promises, on reports written as the upstream writes them.</summary>
public abstract class ModerationReportStoreSpecification
{
    protected static readonly DateTimeOffset Cutoff = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    protected abstract Task<IModerationReportStore> CreateAsync();

    /// <summary>Inserts a raw report document as the moderation-service writes it.</summary>
    protected abstract Task SeedAsync(BsonDocument raw);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A report as the seed writes one: every field present, explicit nulls where undecided.</summary>
    private static BsonDocument Report(ObjectId messageId, string status, BsonValue reviewedAt, string reason = "spam") => new()
    {
        { "_id", ObjectId.GenerateNewId() },
        { "messageId", messageId },
        { "channelId", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "reportedBy", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "reportedUser", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "reason", reason },
        { "description", "This message is spam" },
        { "status", status },
        { "reviewedBy", status == "pending" ? BsonNull.Value : new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "reviewedAt", reviewedAt },
        { "action", status == "actioned" ? "delete" : BsonNull.Value },
        { "createdAt", Cutoff.UtcDateTime.AddDays(-9) },
    };

    [Fact(Timeout = 60_000)]
    public async Task ReadResolvedAsync_SeededReports_ReturnsDecidedWellFormedOnesBeforeTheCutoff()
    {
        var store = await CreateAsync();
        var message = ObjectId.GenerateNewId();
        var before = Cutoff.UtcDateTime.AddDays(-1).AddTicks(4_321);   // sub-millisecond: stored as its millisecond
        var actioned = Report(message, "actioned", before);
        var dismissed = Report(message, "dismissed", before, "harassment");
        foreach (var raw in new[]
        {
            actioned, dismissed,
            Report(message, "pending", BsonNull.Value),
            Report(message, "reviewed", before),
            Report(message, "actioned", Cutoff.UtcDateTime.AddDays(1)),
            Report(message, "actioned", Cutoff.UtcDateTime),                     // the cut-off itself: windows are half-open
            Report(message, "actioned", "2026-11-01T00:00:00Z"),                 // a string date never matches a date range
            Report(message, "dismissed", BsonNull.Value),                        // decided with no time: not matched
            Report(ObjectId.GenerateNewId(), "actioned", before).Set("messageId", "65a000000000000000000001"),  // a string message id
        })
        {
            await SeedAsync(raw);
        }

        var reports = await store.ReadResolvedAsync(Cutoff, Ct);

        var stored = new DateTimeOffset(before.AddTicks(-4_321), TimeSpan.Zero);
        Assert.Equal(
            [
                new ResolvedReport(actioned["_id"].AsObjectId, message, "spam", "actioned", "delete", stored),
                new ResolvedReport(dismissed["_id"].AsObjectId, message, "harassment", "dismissed", null, stored),
            ],
            reports.OrderBy(r => r.Status, StringComparer.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadResolvedAsync_NoReports_ReturnsNothing()
    {
        var store = await CreateAsync();

        Assert.Empty(await store.ReadResolvedAsync(Cutoff, Ct));
    }
}

/// <summary>The specification against the in-memory double (always runs).</summary>
public sealed class InMemoryModerationReportStoreSpecification : ModerationReportStoreSpecification
{
    private readonly InMemoryReportStore _store = new([]);

    protected override Task<IModerationReportStore> CreateAsync() => Task.FromResult<IModerationReportStore>(_store);

    protected override Task SeedAsync(BsonDocument raw)
    {
        _store.Seed(raw);
        return Task.CompletedTask;
    }

    [Fact]
    public void Seed_SameIdTwice_IsADuplicateKey()
    {
        var raw = new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "status", "pending" } };
        _store.Seed(raw);

        var duplicate = Assert.Throws<MongoWriteException>(() => _store.Seed(raw));
        Assert.Equal(ServerErrorCategory.DuplicateKey, duplicate.WriteError.Category);
    }
}

/// <summary>The specification against MongoDB (real lane), on a database with the worker's indexes.</summary>
public sealed class MongoModerationReportStoreSpecification(MongoTestLane lane) : ModerationReportStoreSpecification
{
    private MongoCatalog? _catalog;

    protected override async Task<IModerationReportStore> CreateAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        await new MongoIndexBootstrapper(_catalog, NullLogger<MongoIndexBootstrapper>.Instance)
            .EnsureAsync([IndexOwner.Moderation, IndexOwner.Analytics], TestContext.Current.CancellationToken);
        return new MongoModerationReportStore(_catalog);
    }

    protected override Task SeedAsync(BsonDocument raw) => _catalog!.Reports.InsertOneAsync(raw, cancellationToken: TestContext.Current.CancellationToken);
}
