using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>What <see cref="IMessageContentStore"/> promises, on messages written as message-service writes them.</summary>
public abstract class MessageContentStoreSpecification
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 29, 3, 5, 0, TimeSpan.Zero);

    protected abstract Task<IMessageContentStore> CreateAsync();

    protected abstract Task SeedAsync(BsonDocument raw);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A message as the seed writes one (explicit nulls for the unset fields).</summary>
    private static BsonDocument Message(BsonValue id, BsonValue content, bool deleted, BsonValue editedAt) => new()
    {
        { "_id", id },
        { "channelId", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "userId", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard) },
        { "content", content },
        { "contentType", "text" },
        { "threadId", BsonNull.Value },
        { "edited", editedAt != BsonNull.Value },
        { "editedAt", editedAt },
        { "deleted", deleted },
        { "deletedAt", deleted ? T0.UtcDateTime : BsonNull.Value },
        { "clientMessageId", BsonNull.Value },
        { "createdAt", T0.UtcDateTime.AddDays(-1) },
    };

    [Fact(Timeout = 60_000)]
    public async Task GetAsync_SeededMessages_ReturnsThoseWithAnObjectIdAmongTheIds()
    {
        var store = await CreateAsync();
        var (plain, edited, deleted, nullContent, stringId, missing) =
            (ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId());
        await SeedAsync(Message(plain, "hello", false, BsonNull.Value));
        await SeedAsync(Message(edited, "edited", false, T0.UtcDateTime.AddTicks(7_777)));
        await SeedAsync(Message(deleted, "gone", true, BsonNull.Value));
        await SeedAsync(Message(nullContent, BsonNull.Value, false, BsonNull.Value));
        // The same hex as an ObjectId, stored as a string: $in on ObjectIds never matches it.
        await SeedAsync(Message(stringId.ToString(), "string id", false, BsonNull.Value));

        var found = await store.GetAsync([plain, edited, deleted, nullContent, stringId, missing, plain], Ct);

        Assert.Equal(4, found.Count);
        Assert.Equal(new MessageContent(plain, "hello", false, null), found[plain]);
        Assert.Equal(new MessageContent(edited, "edited", false, T0), found[edited]);
        Assert.Equal(new MessageContent(deleted, "gone", true, null), found[deleted]);
        Assert.Equal(new MessageContent(nullContent, "", false, null), found[nullContent]);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetAsync_NoIds_ReturnsNothing()
    {
        var store = await CreateAsync();

        Assert.Empty(await store.GetAsync([], Ct));
    }
}

/// <summary>The specification against the in-memory double (always runs).</summary>
public sealed class InMemoryMessageContentStoreSpecification : MessageContentStoreSpecification
{
    private readonly InMemoryMessageStore _store = new([]);

    protected override Task<IMessageContentStore> CreateAsync() => Task.FromResult<IMessageContentStore>(_store);

    protected override Task SeedAsync(BsonDocument raw)
    {
        _store.Seed(raw);
        return Task.CompletedTask;
    }
}

/// <summary>The specification against MongoDB (real lane).</summary>
public sealed class MongoMessageContentStoreSpecification(MongoTestLane lane) : MessageContentStoreSpecification
{
    private MongoCatalog? _catalog;

    protected override Task<IMessageContentStore> CreateAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        return Task.FromResult<IMessageContentStore>(new MongoMessageContentStore(_catalog));
    }

    protected override Task SeedAsync(BsonDocument raw) => _catalog!.Messages.InsertOneAsync(raw, cancellationToken: TestContext.Current.CancellationToken);
}
