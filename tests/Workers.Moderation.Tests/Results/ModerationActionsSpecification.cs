using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Results;

/// <summary>
/// What <see cref="IModerationActions"/> promises, held against <see cref="MongoModerationActions"/> (real lane) and both
/// doubles: <see cref="InMemoryAutoModerationResultStore"/> and <see cref="InMemoryModerationActions"/>.
/// </summary>
public abstract class ModerationActionsSpecification
{
    protected static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    protected abstract Task<IModerationActions> CreateAsync();

    /// <summary>Stores a result with this action (as the result store writes it), then marks it deleted if asked.</summary>
    protected abstract Task SeedResultAsync(ObjectId messageId, double spam, bool deleted);

    /// <summary>Stores a tombstone: a message deleted before it was ever scored.</summary>
    protected abstract Task SeedTombstoneAsync(ObjectId messageId);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static AutoModerationResult Result(ObjectId id, double spam) => ResultFactory.Result(id, ContentKind.Sent, T0, Guid.NewGuid(), spam, T0);

    protected static MessageDeletion Deletion(ObjectId id) => new(id, ResultFactory.Channel, ResultFactory.Workspace, ResultFactory.User, T0.AddHours(1));

    [Fact(Timeout = 60_000)]
    public async Task FindAsync_NoIds_ReturnsNothing()
    {
        var actions = await CreateAsync();

        Assert.Empty(await actions.FindAsync([], Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task FindAsync_SomeScoredSomeDeletedSomeUnknown_ReturnsTheStoredOnesOnly()
    {
        var actions = await CreateAsync();
        var (allowed, blocked, deleted, tombstone, unknown) =
            (ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId());
        await SeedResultAsync(allowed, 0.1, deleted: false);
        await SeedResultAsync(blocked, 0.99, deleted: false);
        await SeedResultAsync(deleted, 0.8, deleted: true);
        await SeedTombstoneAsync(tombstone);

        var found = await actions.FindAsync([allowed, blocked, deleted, tombstone, unknown, allowed], Ct);

        var hash = Result(allowed, 0.1).Scored.ContentHash;
        Assert.Equal(4, found.Count);
        Assert.Equal(new StoredModeration(allowed, ModerationAction.Allow, hash, false), found[allowed]);
        Assert.Equal(new StoredModeration(blocked, ModerationAction.Block, hash, false), found[blocked]);
        Assert.Equal(new StoredModeration(deleted, ModerationAction.Flag, hash, true), found[deleted]);
        Assert.Equal(new StoredModeration(tombstone, null, null, true), found[tombstone]);
    }
}

/// <summary>The specification against the result store's double, which answers these reads from the same collection.</summary>
public sealed class InMemoryResultStoreModerationActionsSpecification : ModerationActionsSpecification
{
    private readonly InMemoryAutoModerationResultStore _store = new();

    protected override Task<IModerationActions> CreateAsync() => Task.FromResult<IModerationActions>(_store);

    protected override async Task SeedResultAsync(ObjectId messageId, double spam, bool deleted)
    {
        await _store.UpsertAsync([Result(messageId, spam)], Ct);
        if (deleted)
        {
            await _store.MarkDeletedAsync([Deletion(messageId)], Ct);
        }
    }

    protected override Task SeedTombstoneAsync(ObjectId messageId) => _store.MarkDeletedAsync([Deletion(messageId)], Ct);
}

/// <summary>The specification against the smart-reply double, seeded with what the collection would hold.</summary>
public sealed class InMemoryModerationActionsSpecification : ModerationActionsSpecification
{
    private readonly InMemoryModerationActions _actions = new();

    protected override Task<IModerationActions> CreateAsync() => Task.FromResult<IModerationActions>(_actions);

    protected override Task SeedResultAsync(ObjectId messageId, double spam, bool deleted)
    {
        var result = Result(messageId, spam);
        _actions.Put(new StoredModeration(messageId, result.Scored.Verdict.Action, result.Scored.ContentHash, deleted));
        return Task.CompletedTask;
    }

    protected override Task SeedTombstoneAsync(ObjectId messageId)
    {
        _actions.Put(new StoredModeration(messageId, null, null, true));
        return Task.CompletedTask;
    }
}

/// <summary>The specification against MongoDB (real lane), seeded through the result store; plus what only MongoDB can show.</summary>
public sealed class MongoModerationActionsSpecification(MongoTestLane lane) : ModerationActionsSpecification
{
    private MongoCatalog? _catalog;

    private MongoAutoModerationResultStore Store => new(_catalog!);

    protected override async Task<IModerationActions> CreateAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        await new MongoIndexBootstrapper(_catalog, NullLogger<MongoIndexBootstrapper>.Instance).EnsureAsync([IndexOwner.Moderation], Ct);
        return new MongoModerationActions(_catalog);
    }

    protected override async Task SeedResultAsync(ObjectId messageId, double spam, bool deleted)
    {
        await Store.UpsertAsync([Result(messageId, spam)], Ct);
        if (deleted)
        {
            await Store.MarkDeletedAsync([Deletion(messageId)], Ct);
        }
    }

    protected override Task SeedTombstoneAsync(ObjectId messageId) => Store.MarkDeletedAsync([Deletion(messageId)], Ct);

    /// <summary>
    /// Defect 4's consequence: an upstream non-unique <c>messageId_1</c> kept the unique index from being built, and a
    /// message has three documents (two versions and a tombstone written beside them). The old reader's ToDictionary
    /// threw ArgumentException; now the newest version is read and the message is deleted.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task FindAsync_DuplicateResultsBehindANonUniqueIndex_ReadsTheNewestVersionAndAnyDeletion()
    {
        _catalog = lane.Require().CreateCatalog();
        var collection = _catalog.AutoModResults;
        await collection.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument("messageId", 1)), cancellationToken: Ct);
        var id = ObjectId.GenerateNewId();
        BsonDocument Version(DateTime at, string action, string hash) => new()
        {
            { "messageId", id }, { "action", action }, { "contentHash", hash }, { "deleted", BsonNull.Value },
            { "content", new BsonDocument { { "version", "sent" }, { "at", at }, { "eventId", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) } } },
        };
        await collection.InsertManyAsync(
        [
            Version(T0.UtcDateTime.AddMinutes(5), "block", "newer"),
            Version(T0.UtcDateTime, "allow", "older"),
            new BsonDocument { { "messageId", id }, { "deleted", true }, { "deletedAt", T0.UtcDateTime.AddHours(1) } },
        ], cancellationToken: Ct);

        var found = await new MongoModerationActions(_catalog).FindAsync([id], Ct);

        Assert.Equal(new StoredModeration(id, ModerationAction.Block, "newer", true), Assert.Single(found).Value);
    }
}
