using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>What <see cref="IModelRegistry"/> promises: insert-once records, promotion that keeps its time and retires only older models, rollback.</summary>
public abstract class ModelRegistrySpecification
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 29, 3, 5, 0, TimeSpan.Zero);

    protected abstract Task<IModelRegistry> CreateAsync();

    /// <summary>Inserts a raw registry document, as an operator (mongosh) or an older worker wrote it.</summary>
    protected abstract Task SeedAsync(BsonDocument raw);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 60_000)]
    public async Task AddAsync_SameIdTwice_InsertsOnceAndReadsBackTheFirstToTheMillisecond()
    {
        var registry = await CreateAsync();
        var record = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, promotedAt: null) with { CreatedAt = T0.AddTicks(5_555) };

        Assert.True(await registry.AddAsync(record, Ct));
        Assert.False(await registry.AddAsync(record with { Decision = "changed" }, Ct));

        Assert.Equal(record with { CreatedAt = T0 }, await registry.FindAsync(record.Id, Ct));
        Assert.Null(await registry.FindAsync("spam-000000000000", Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task PromoteAsync_ASecondModel_RetiresTheFirstKeepsItsOwnTimeAndNeverDemotes()
    {
        var registry = await CreateAsync();
        var first = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, promotedAt: null);
        var second = LearntModels.Record(ModelKind.Spam, LearntModels.ToxicityZip, promotedAt: null);
        var toxicity = LearntModels.Record(ModelKind.Toxicity, LearntModels.ToxicityZip, promotedAt: null);
        foreach (var record in new[] { first, second, toxicity })
        {
            await registry.AddAsync(record, Ct);
        }

        await registry.PromoteAsync(toxicity.Id, ModelKind.Toxicity, T0, Ct);
        await registry.PromoteAsync(first.Id, ModelKind.Spam, T0, Ct);
        await registry.PromoteAsync(second.Id, ModelKind.Spam, T0.AddDays(7).AddTicks(3), Ct);
        await registry.PromoteAsync(second.Id, ModelKind.Spam, T0.AddDays(8), Ct);   // again: keeps its promotedAt
        await registry.RejectAsync(second.Id, Ct);                                     // never demotes a promoted model

        Assert.Equal(ModelStatus.Retired, (await registry.FindAsync(first.Id, Ct))!.Status);
        var newest = await registry.NewestPromotedAsync(ModelKind.Spam, Ct);
        Assert.Equal((second.Id, ModelStatus.Promoted, T0.AddDays(7)), (newest!.Id, newest.Status, newest.PromotedAt));
        Assert.Equal(first.Id, (await registry.NewestRetiredAsync(ModelKind.Spam, Ct))!.Id);
        Assert.Equal(toxicity.Id, (await registry.NewestPromotedAsync(ModelKind.Toxicity, Ct))!.Id);
    }

    [Fact(Timeout = 60_000)]
    public async Task PromoteAsync_AfterACrashBeforeRetire_ReadersTakeTheNewestAndTheRepairNeverRetiresALaterPromotion()
    {
        var registry = await CreateAsync();
        var older = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, T0);
        var newer = LearntModels.Record(ModelKind.Spam, LearntModels.ToxicityZip, T0.AddDays(7));
        await registry.AddAsync(older, Ct);
        await registry.AddAsync(newer, Ct);

        Assert.Equal(newer.Id, (await registry.NewestPromotedAsync(ModelKind.Spam, Ct))!.Id);
        await registry.PromoteAsync(older.Id, ModelKind.Spam, T0.AddDays(8), Ct);
        Assert.Equal(ModelStatus.Promoted, (await registry.FindAsync(newer.Id, Ct))!.Status);
        await registry.PromoteAsync(newer.Id, ModelKind.Spam, T0.AddDays(8), Ct);
        Assert.Equal(ModelStatus.Retired, (await registry.FindAsync(older.Id, Ct))!.Status);
        Assert.Equal(T0.AddDays(7), (await registry.FindAsync(newer.Id, Ct))!.PromotedAt);
    }

    /// <summary>
    /// Defect 5: the promotion's time was read back separately and dereferenced (<c>PromotedAt!.Value</c>). A model an
    /// operator set to promoted with a string <c>promotedAt</c> crashed it ("Nullable object must have a value") on
    /// 7e088d6, as a read that missed the write did; now the promotion stamps its own time and retires the older model.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task PromoteAsync_PromotedByHandWithAStringPromotedAt_StampsItsTimeAndRetiresTheOlderModel()
    {
        var registry = await CreateAsync();
        var older = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, T0);
        var byHand = LearntModels.Record(ModelKind.Spam, LearntModels.ToxicityZip, promotedAt: null) with { Status = ModelStatus.Promoted };
        await registry.AddAsync(older, Ct);
        await SeedAsync(MongoModelRegistry.ToDocument(byHand).Set("promotedAt", "2026-11-30T00:00:00Z"));

        await registry.PromoteAsync(byHand.Id, ModelKind.Spam, T0.AddDays(1), Ct);

        Assert.Equal((ModelStatus.Promoted, T0.AddDays(1)), ((await registry.FindAsync(byHand.Id, Ct))!.Status, (await registry.FindAsync(byHand.Id, Ct))!.PromotedAt));
        Assert.Equal(ModelStatus.Retired, (await registry.FindAsync(older.Id, Ct))!.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task PromoteAsync_UnknownModel_ThrowsAClearInvalidOperation()
    {
        var registry = await CreateAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => registry.PromoteAsync("spam-000000000000", ModelKind.Spam, T0, Ct));

        Assert.Contains("spam-000000000000 is not in the registry", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task RejectAndWithdraw_UnknownModel_ChangeNothing()
    {
        var registry = await CreateAsync();

        await registry.RejectAsync("spam-000000000000", Ct);
        await registry.WithdrawAsync("spam-000000000000", T0, Ct);

        Assert.Null(await registry.FindAsync("spam-000000000000", Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task RollBack_TwoPromotions_RestoresThePreviousModelAndWithdrawsTheCurrentOne()
    {
        var registry = await CreateAsync();
        var previous = LearntModels.Record(ModelKind.Spam, LearntModels.SpamZip, promotedAt: null);
        var current = LearntModels.Record(ModelKind.Spam, LearntModels.ToxicityZip, promotedAt: null);
        await registry.AddAsync(previous, Ct);
        await registry.AddAsync(current, Ct);
        await registry.PromoteAsync(previous.Id, ModelKind.Spam, T0, Ct);
        await registry.PromoteAsync(current.Id, ModelKind.Spam, T0.AddDays(7), Ct);

        var result = await new ModelRollback(registry, new FakeTimeProvider(T0.AddDays(8))).RollBackAsync(ModelKind.Spam, Ct);

        Assert.Equal(new RollbackResult(ModelKind.Spam, current.Id, previous.Id), result);
        Assert.Equal((previous.Id, T0.AddDays(8)), ((await registry.NewestPromotedAsync(ModelKind.Spam, Ct))!.Id, (await registry.NewestPromotedAsync(ModelKind.Spam, Ct))!.PromotedAt));
        Assert.Equal(ModelStatus.Rejected, (await registry.FindAsync(current.Id, Ct))!.Status);
        Assert.Null(await registry.NewestRetiredAsync(ModelKind.Spam, Ct));
    }
}

/// <summary>The specification against the in-memory double (always runs).</summary>
public sealed class InMemoryModelRegistrySpecification : ModelRegistrySpecification
{
    private readonly InMemoryModelRegistry _registry = new();

    protected override Task<IModelRegistry> CreateAsync() => Task.FromResult<IModelRegistry>(_registry);

    protected override Task SeedAsync(BsonDocument raw)
    {
        _registry.Seed(raw);
        return Task.CompletedTask;
    }
}

/// <summary>The specification against MongoDB (real lane), with the worker's indexes built.</summary>
public sealed class MongoModelRegistrySpecification(MongoTestLane lane) : ModelRegistrySpecification
{
    private MongoCatalog? _catalog;

    protected override async Task<IModelRegistry> CreateAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        await new MongoIndexBootstrapper(_catalog, NullLogger<MongoIndexBootstrapper>.Instance).EnsureAsync([IndexOwner.Moderation], TestContext.Current.CancellationToken);
        return new MongoModelRegistry(_catalog);
    }

    protected override Task SeedAsync(BsonDocument raw) => _catalog!.Models.InsertOneAsync(raw, cancellationToken: TestContext.Current.CancellationToken);
}
