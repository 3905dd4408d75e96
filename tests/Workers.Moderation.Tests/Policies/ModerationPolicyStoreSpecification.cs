using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Policies;

/// <summary>What <see cref="IModerationPolicyStore"/> promises, on policy documents as operators write them (odd ones included).</summary>
public abstract class ModerationPolicyStoreSpecification
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 29, 3, 5, 0, TimeSpan.Zero);

    protected abstract Task<IModerationPolicyStore> CreateAsync();

    protected abstract Task SeedAsync(BsonDocument raw);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    [Fact(Timeout = 60_000)]
    public async Task LoadOverridesAsync_SeededPolicies_ReadsTheWellFormedOnesAndSkipsTheRest()
    {
        var store = await CreateAsync();
        var (full, partial) = (Guid.NewGuid(), Guid.NewGuid());
        await SeedAsync(new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() }, { "workspaceId", Uuid(full) },
            {
                "thresholds", new BsonDocument
                {
                    { "profanity", new BsonDocument { { "flag", 0.5 }, { "block", 0.9 } } },
                    { "spam", new BsonDocument { { "flag", 1 }, { "block", 1L } } },          // ints and longs are numbers too
                    { "toxicity", new BsonDocument { { "flag", 0.4 }, { "block", 0.8 } } },
                }
            },
            { "updatedAt", T0.UtcDateTime.AddTicks(9_999) },
        });
        await SeedAsync(new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() }, { "workspaceId", Uuid(partial) },
            { "thresholds", new BsonDocument { { "spam", new BsonDocument { { "flag", "0.5" }, { "block", 0.9 } } }, { "toxicity", BsonNull.Value } } },
            { "updatedAt", BsonNull.Value },
        });
        await SeedAsync(new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "workspaceId", BsonNull.Value }, { "thresholds", new BsonDocument() } });
        await SeedAsync(new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "workspaceId", full.ToString() }, { "thresholds", new BsonDocument() } });
        await SeedAsync(new BsonDocument { { "_id", "fleet-defaults" }, { "thresholds", new BsonDocument() } });

        var overrides = (await store.LoadOverridesAsync(Ct)).ToDictionary(o => o.WorkspaceId);

        Assert.Equal(2, overrides.Count);
        Assert.Equal(new WorkspacePolicyOverride(full, new CheckThresholds(0.5, 0.9), new CheckThresholds(1, 1), new CheckThresholds(0.4, 0.8), T0), overrides[full]);
        Assert.Equal(new WorkspacePolicyOverride(partial, null, null, null, DateTimeOffset.UnixEpoch), overrides[partial]);
    }

    [Fact(Timeout = 60_000)]
    public async Task LoadOverridesAsync_NoPolicies_ReturnsNothing()
    {
        var store = await CreateAsync();

        Assert.Empty(await store.LoadOverridesAsync(Ct));
    }
}

/// <summary>The specification against the in-memory double (always runs).</summary>
public sealed class InMemoryModerationPolicyStoreSpecification : ModerationPolicyStoreSpecification
{
    private readonly InMemoryPolicyStore _store = new();

    protected override Task<IModerationPolicyStore> CreateAsync() => Task.FromResult<IModerationPolicyStore>(_store);

    protected override Task SeedAsync(BsonDocument raw)
    {
        _store.Seed(raw);
        return Task.CompletedTask;
    }
}

/// <summary>The specification against MongoDB (real lane).</summary>
public sealed class MongoModerationPolicyStoreSpecification(MongoTestLane lane) : ModerationPolicyStoreSpecification
{
    private MongoCatalog? _catalog;

    protected override Task<IModerationPolicyStore> CreateAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        return Task.FromResult<IModerationPolicyStore>(new MongoModerationPolicyStore(_catalog));
    }

    protected override Task SeedAsync(BsonDocument raw) => _catalog!.Policies.InsertOneAsync(raw, cancellationToken: TestContext.Current.CancellationToken);
}
