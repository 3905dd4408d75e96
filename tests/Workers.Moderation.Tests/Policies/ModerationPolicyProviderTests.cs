using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Policies;

namespace QuikApp.Workers.Moderation.Tests.Policies;

public class ModerationPolicyProviderTests
{
    private static readonly Guid Workspace = Guid.Parse("7d2a53c1-8f3e-4b8e-9a0e-2a0b5c6d7e8f");

    private static (ModerationPolicyProvider Provider, InMemoryPolicyStore Store) Create()
    {
        var store = new InMemoryPolicyStore();
        var provider = new ModerationPolicyProvider(store, Options.Create(new ModerationPolicyOptions()), NullLogger<ModerationPolicyProvider>.Instance);
        return (provider, store);
    }

    [Fact]
    public void For_BeforeAnyRefresh_IsTheFleetPolicy()
    {
        var (provider, _) = Create();

        Assert.Same(provider.Fleet, provider.For(Workspace));
        Assert.Same(provider.Fleet, provider.For(null));
    }

    [Fact]
    public async Task RefreshAsync_WorkspaceOverride_AppliesToThatWorkspaceOnly_KeepingTheFleetThresholdsItDoesNotName()
    {
        var (provider, store) = Create();
        store.Overrides.Add(new WorkspacePolicyOverride(Workspace, null, new CheckThresholds(0.3, 0.6), null, DateTimeOffset.UnixEpoch));

        await provider.RefreshAsync(TestContext.Current.CancellationToken);

        var policy = provider.For(Workspace);
        Assert.Equal(0.3, policy.Spam.Flag);
        Assert.Equal(provider.Fleet.Profanity, policy.Profanity);
        Assert.StartsWith($"workspace:{Workspace}", policy.Version, StringComparison.Ordinal);
        Assert.Same(provider.Fleet, provider.For(Guid.NewGuid()));
    }

    [Fact]
    public async Task RefreshAsync_InvalidOverride_IsSkippedAndTheFleetPolicyApplies()
    {
        var (provider, store) = Create();
        store.Overrides.Add(new WorkspacePolicyOverride(Workspace, new CheckThresholds(0.9, 0.2), null, null, DateTimeOffset.UnixEpoch));

        await provider.RefreshAsync(TestContext.Current.CancellationToken);

        Assert.Same(provider.Fleet, provider.For(Workspace));
        Assert.Equal(0, provider.OverrideCount);
    }

    [Fact]
    public async Task RefreshAsync_StoreDown_ThrowsAndKeepsThePreviousOverrides()
    {
        var (provider, store) = Create();
        store.Overrides.Add(new WorkspacePolicyOverride(Workspace, null, new CheckThresholds(0.3, 0.6), null, DateTimeOffset.UnixEpoch));
        await provider.RefreshAsync(TestContext.Current.CancellationToken);
        store.Fail = true;

        await Assert.ThrowsAsync<TimeoutException>(() => provider.RefreshAsync(TestContext.Current.CancellationToken));

        Assert.Equal(0.3, provider.For(Workspace).Spam.Flag);
    }

    [Fact]
    public void Parse_PolicyDocument_ReadsWorkspaceAndThresholds()
    {
        var document = new MongoDB.Bson.BsonDocument
        {
            { "workspaceId", new MongoDB.Bson.BsonBinaryData(Workspace, MongoDB.Bson.GuidRepresentation.Standard) },
            { "thresholds", new MongoDB.Bson.BsonDocument("toxicity", new MongoDB.Bson.BsonDocument { { "flag", 0.4 }, { "block", 0.7 } }) },
        };

        var parsed = MongoModerationPolicyStore.Parse(document);

        Assert.NotNull(parsed);
        Assert.Equal(Workspace, parsed.WorkspaceId);
        Assert.Equal(new CheckThresholds(0.4, 0.7), parsed.Toxicity);
        Assert.Null(parsed.Spam);
    }

    [Fact]
    public void Parse_WorkspaceIdNotAStandardUuid_IsNull()
    {
        var document = new MongoDB.Bson.BsonDocument("workspaceId", "not-a-uuid");

        Assert.Null(MongoModerationPolicyStore.Parse(document));
    }
}
