using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>
/// What every <see cref="IMessageHistory"/> does over <c>QuikApp_messages.messages</c> as the message-service writes it
/// (the seed's schema: explicit nulls, <c>deleted: false</c>, ids that are not always ObjectIds): MongoDB's store on the
/// real lane (with the seed's indexes), the in-memory double always. Documents are seeded raw.
/// </summary>
public abstract class MessageHistorySpecification
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    protected static readonly Guid Workspace = Guid.Parse("0b0b0b0b-0000-4000-8000-000000000001");
    protected static readonly Guid Channel = Guid.Parse("0c0c0c0c-0000-4000-8000-000000000002");
    protected static readonly Guid Alice = Guid.Parse("0a11ce00-0000-4000-8000-000000000003");
    protected static readonly Guid Bob = Guid.Parse("0b0b0000-0000-4000-8000-000000000004");

    private int _clientMessageIds;

    protected abstract Task<IMessageHistory> CreateHistoryAsync();

    /// <summary>Inserts one document into messages as the message-service would, exactly as given.</summary>
    protected abstract Task SeedAsync(BsonDocument raw);

    [Fact(Timeout = 120_000)]
    public async Task FindAsync_SeedDocumentWithExplicitNulls_ReadsTheFieldsTheRulesNeed()
    {
        var history = await CreateHistoryAsync();
        var (parent, reply) = (Id(1), Id(2));
        await SeedAsync(Message(parent, Alice, "is the build green?", 0, null));
        await SeedAsync(Message(reply, Bob, "it is", 10, parent)
            .Set("contentType", "rich")
            .Set("mentions", new BsonArray { Uuid(Alice), Uuid(Bob) })
            .Set("mentionsEveryone", true));

        var found = (await history.FindAsync([parent, reply, Id(99)], Ct)).OrderBy(m => m.Id).ToList();

        Assert.Equal(
        [
            new ChatMessage(parent, Workspace, Channel, Alice, "is the build green?", MessageContentType.Text, null, T0, false),
            new ChatMessage(reply, Workspace, Channel, Bob, "it is", MessageContentType.Rich, parent, T0.AddSeconds(10), false, 2, true),
        ], found);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("{ content: null }", "", "text", false)]
    [InlineData("{ content: { blocks: [ { type: 'paragraph', content: 'hi' } ] } }", "", "text", false)]
    [InlineData("{ contentType: null, deleted: null }", "hello", "text", false)]
    [InlineData("{ contentType: 'video' }", "hello", null, false)]
    [InlineData("{ deleted: true, deletedAt: ISODate('2026-11-25T11:00:00Z') }", "hello", "text", true)]
    [InlineData("{ deleted: 'yes' }", "hello", "text", false)]
    [InlineData("{ mentions: null, mentionsEveryone: null }", "hello", "text", false)]
    public async Task FindAsync_ContentAndStatusShapes_ReadAsTheSeedMeansThem(string fields, string content, string? contentType, bool deleted)
    {
        var history = await CreateHistoryAsync();
        await SeedAsync(Message(Id(1), Alice, "hello", 0, null).Merge(BsonDocument.Parse(fields), overwriteExistingElements: true));

        var message = Assert.Single(await history.FindAsync([Id(1)], Ct));

        Assert.Equal((content, contentType, deleted, 0), (message.Content, message.ContentType?.ToString().ToLowerInvariant(), message.Deleted, message.MentionCount));
    }

    [Fact(Timeout = 120_000)]
    public async Task FindAsync_IdsOfOtherTypesAndUnreadableDocuments_AreNotFound()
    {
        var history = await CreateHistoryAsync();
        await SeedAsync(Message(Id(1), Alice, "string id", 0, null).Set("_id", Id(1).ToString()));
        await SeedAsync(Message(Id(2), Alice, "no user", 0, null).Set("userId", BsonNull.Value));
        await SeedAsync(Message(Id(3), Alice, "legacy uuid", 0, null).Set("channelId", new BsonBinaryData(Channel, GuidRepresentation.CSharpLegacy)));
        await SeedAsync(Message(Id(4), Alice, "string date", 0, null).Set("createdAt", "2026-11-25T10:00:00Z"));

        Assert.Empty(await history.FindAsync([Id(1), Id(2), Id(3), Id(4)], Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ThreadQueries_Conversation_FollowTheThreadOldestFirst()
    {
        var history = await CreateHistoryAsync();
        var (parent, t1, t2, t3, top) = (Id(1), Id(2), Id(3), Id(4), Id(5));
        await SeedAsync(Message(parent, Alice, "parent", 0, null));
        await SeedAsync(Message(t1, Bob, "t1", 10, parent));
        await SeedAsync(Message(t2, Alice, "t2", 20, parent).Set("deleted", true));
        await SeedAsync(Message(top, Bob, "top", 25, null));
        await SeedAsync(Message(t3, Bob, "t3", 30, parent));

        var before = await history.ThreadBeforeAsync(parent, T0.AddSeconds(30), 2, Ct);
        Assert.Equal([t1, t2], before.Select(m => m.Id));
        Assert.True(before[1].Deleted);
        Assert.Equal([t2, t3], (await history.ThreadAfterAsync(parent, T0.AddSeconds(10), 5, Ct)).Select(m => m.Id));
        Assert.Equal([t1, t2, t3], (await history.ThreadAfterAsync(parent, null, 5, Ct)).Select(m => m.Id));
        Assert.Equal([t1], (await history.ThreadAfterAsync(parent, null, 1, Ct)).Select(m => m.Id));
        Assert.Empty(await history.ThreadBeforeAsync(parent, T0.AddSeconds(30), 0, Ct));
        Assert.Empty(await history.ThreadAfterAsync(top, null, 5, Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ThreadQueries_RepliesWhoseThreadIdIsTheParentsHexString_AreInTheThread()
    {
        // FindAsync reads such a reply as a thread reply; its thread's queries must find it and its siblings too.
        var history = await CreateHistoryAsync();
        var (parent, t1, t2, t3) = (Id(1), Id(2), Id(3), Id(4));
        await SeedAsync(Message(parent, Alice, "parent", 0, null));
        await SeedAsync(Message(t1, Bob, "t1", 10, parent).Set("threadId", parent.ToString()));
        await SeedAsync(Message(t2, Alice, "t2", 20, parent));
        await SeedAsync(Message(t3, Bob, "t3", 30, parent).Set("threadId", parent.ToString()));

        Assert.Equal(parent, Assert.Single(await history.FindAsync([t1], Ct)).ThreadId);
        Assert.Equal([t1, t2], (await history.ThreadBeforeAsync(parent, T0.AddSeconds(30), 5, Ct)).Select(m => m.Id));
        Assert.Equal([t1, t2, t3], (await history.ThreadAfterAsync(parent, null, 5, Ct)).Select(m => m.Id));
        Assert.Null(await history.ChannelMessageAfterAsync(Channel, T0, T0.AddSeconds(60), Ct)); // replies are not top-level
    }

    [Fact(Timeout = 120_000)]
    public async Task ThreadQueries_ThreadIdOfAnotherShape_IsNeitherAReplyNorTopLevel()
    {
        var history = await CreateHistoryAsync();
        var parent = Id(1);
        await SeedAsync(Message(parent, Alice, "parent", 0, null));
        await SeedAsync(Message(Id(2), Bob, "upper-case hex", 10, parent).Set("threadId", parent.ToString().ToUpperInvariant()));

        var odd = Assert.Single(await history.FindAsync([Id(2)], Ct));
        Assert.Null(odd.ThreadId); // unreadable as a thread id, and not null either:
        Assert.Empty(await history.ThreadAfterAsync(parent, null, 5, Ct));
        Assert.Null(await history.ChannelMessageAfterAsync(Channel, T0, T0.AddSeconds(60), Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ThreadBeforeAsync_UnreadableReplyInTheThread_TakesItsPlaceInTheLimit()
    {
        // The limit applies to what the query matches; a reply the store cannot read is dropped after it.
        var history = await CreateHistoryAsync();
        var parent = Id(1);
        await SeedAsync(Message(parent, Alice, "parent", 0, null));
        await SeedAsync(Message(Id(2), Bob, "t1", 10, parent));
        await SeedAsync(Message(Id(3), Bob, "no workspace", 20, parent).Set("workspaceId", BsonNull.Value));

        Assert.Empty(await history.ThreadBeforeAsync(parent, T0.AddSeconds(30), 1, Ct));
        Assert.Equal([Id(2)], (await history.ThreadBeforeAsync(parent, T0.AddSeconds(30), 2, Ct)).Select(m => m.Id));
    }

    [Fact(Timeout = 120_000)]
    public async Task ThreadBeforeAsync_BoundWithSubMillisecondTicks_ComparesToTheMillisecond()
    {
        // A reply's time from its event can carry ticks; the stored createdAt cannot, and the driver truncates the bound.
        var history = await CreateHistoryAsync();
        var parent = Id(1);
        await SeedAsync(Message(parent, Alice, "parent", 0, null));
        await SeedAsync(Message(Id(2), Bob, "same millisecond", 10, parent));

        Assert.Empty(await history.ThreadBeforeAsync(parent, T0.AddSeconds(10).AddTicks(5_000), 5, Ct));
        Assert.Empty(await history.ThreadAfterAsync(parent, T0.AddSeconds(10).AddTicks(-5_000).AddMilliseconds(1), 5, Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ChannelQueries_ExplicitNullAndMissingThreadId_AreTopLevelWithinTheWindow()
    {
        var history = await CreateHistoryAsync();
        var (parent, reply, missing, explicitNull, late) = (Id(1), Id(2), Id(3), Id(4), Id(5));
        await SeedAsync(Message(parent, Alice, "parent", 0, null));
        await SeedAsync(Message(reply, Bob, "reply", 10, parent));
        var withoutThreadId = Message(missing, Bob, "no threadId field", 20, null);
        withoutThreadId.Remove("threadId");
        await SeedAsync(withoutThreadId.Set("mentions", new BsonArray { Uuid(Alice) }));
        await SeedAsync(Message(explicitNull, Alice, "threadId: null", 40, null).Set("contentType", "code"));
        await SeedAsync(Message(late, Alice, "late", 100, null));

        var before = await history.ChannelMessageBeforeAsync(Channel, T0.AddSeconds(40), T0, Ct);
        Assert.Equal((missing, 1), (before!.Id, before.MentionCount));
        Assert.Null(await history.ChannelMessageBeforeAsync(Channel, T0.AddSeconds(40), T0.AddSeconds(21), Ct));
        Assert.Equal(parent, (await history.ChannelMessageBeforeAsync(Channel, T0.AddSeconds(20), T0, Ct))!.Id); // [notBefore, before)
        var after = await history.ChannelMessageAfterAsync(Channel, T0.AddSeconds(20), T0.AddSeconds(40), Ct);
        Assert.Equal((explicitNull, (MessageContentType?)MessageContentType.Code), (after!.Id, after.ContentType)); // (after, notAfter]
        Assert.Null(await history.ChannelMessageAfterAsync(Channel, T0.AddSeconds(40), T0.AddSeconds(99), Ct));
        Assert.Null(await history.ChannelMessageAfterAsync(Guid.NewGuid(), T0, T0.AddSeconds(99), Ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ChannelQueries_ChannelIdsOfOtherTypes_NeverMatch()
    {
        var history = await CreateHistoryAsync();
        await SeedAsync(Message(Id(1), Alice, "string channel", 0, null).Set("channelId", Channel.ToString()));
        await SeedAsync(Message(Id(2), Alice, "legacy uuid", 5, null).Set("channelId", new BsonBinaryData(Channel, GuidRepresentation.CSharpLegacy)));

        Assert.Null(await history.ChannelMessageAfterAsync(Channel, T0.AddSeconds(-1), T0.AddSeconds(60), Ct));
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static ObjectId Id(int n) => ObjectId.Parse($"{T0.ToUnixTimeSeconds() + n:x8}0000000000{n:x6}");

    protected static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    /// <summary>A message as the seed's schema writes it: every field present, nulls explicit.</summary>
    protected BsonDocument Message(ObjectId id, Guid user, string content, int atSeconds, ObjectId? threadId) => new()
    {
        { "_id", id },
        { "channelId", Uuid(Channel) },
        { "workspaceId", Uuid(Workspace) },
        { "userId", Uuid(user) },
        { "content", content },
        { "contentType", "text" },
        { "blocks", new BsonArray { new BsonDocument { { "type", "paragraph" }, { "content", content } } } },
        { "attachments", new BsonArray() },
        { "mentions", new BsonArray() },
        { "mentionsEveryone", false },
        { "threadId", threadId is { } parent ? parent : BsonNull.Value },
        { "replyCount", 0 },
        { "lastReplyAt", BsonNull.Value },
        { "reactions", new BsonDocument() },
        { "reactionCount", 0 },
        { "edited", false },
        { "editedAt", BsonNull.Value },
        { "deleted", false },
        { "deletedAt", BsonNull.Value },
        { "clientMessageId", $"client-{Interlocked.Increment(ref _clientMessageIds)}-{id}" },
        { "metadata", new BsonDocument { { "source", "web" }, { "userAgent", "Mozilla/5.0" } } },
        { "createdAt", T0.AddSeconds(atSeconds).UtcDateTime },
        { "updatedAt", T0.AddSeconds(atSeconds).UtcDateTime },
    };
}

/// <summary>The specification against the in-memory double.</summary>
public sealed class InMemoryMessageHistorySpecification : MessageHistorySpecification
{
    private readonly InMemoryMessageHistory _history = new();

    protected override Task<IMessageHistory> CreateHistoryAsync() => Task.FromResult<IMessageHistory>(_history);

    protected override Task SeedAsync(BsonDocument raw)
    {
        _history.Seed(raw);
        return Task.CompletedTask;
    }
}

/// <summary>The specification against MongoDB (skipped without the lane), over a messages collection with the seed's indexes.</summary>
public sealed class MongoMessageHistorySpecification(MongoTestLane lane) : MessageHistorySpecification
{
    private MongoCatalog? _catalog;

    protected override async Task<IMessageHistory> CreateHistoryAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        // The message-service's indexes (the seed's), text index and unique clientMessageId included: what production has.
        await new MongoIndexBootstrapper(_catalog, NullLogger<MongoIndexBootstrapper>.Instance)
            .EnsureAsync(MongoIndexCatalog.All.Where(i => i.Owner == IndexOwner.MessageService && i.Collection == MongoCatalog.Collections.Messages), Ct);
        return new MongoMessageHistory(_catalog);
    }

    protected override Task SeedAsync(BsonDocument raw) => _catalog!.Messages.InsertOneAsync(raw, cancellationToken: Ct);

    [Fact(Timeout = 120_000)]
    public async Task ThreadQuery_BothIdTypes_IsServedByTheSeedIndexWithoutABlockingSort()
    {
        await CreateHistoryAsync();
        var parent = Id(1);
        await SeedAsync(Message(parent, Alice, "parent", 0, null));
        for (var n = 2; n < 40; n++)
        {
            var reply = Message(Id(n), Bob, $"reply {n}", n, parent);
            await SeedAsync(n % 2 == 0 ? reply : reply.Set("threadId", parent.ToString()));
        }

        var stages = await MongoExplain.WinningStagesAsync(_catalog!, QuikAppDatabase.Messages, new BsonDocument
        {
            { "find", MongoCatalog.Collections.Messages },
            { "filter", MongoMessageHistory.InThread(parent).Add("createdAt", new BsonDocument("$lt", T0.AddSeconds(30).UtcDateTime)) },
            { "sort", new BsonDocument("createdAt", -1) },
            { "limit", 3 },
        }, Ct);

        Assert.Contains(("IXSCAN", "threadId_1_createdAt_1"), stages);
        Assert.DoesNotContain(stages, stage => stage.Stage is "SORT" or "COLLSCAN");
        Assert.Equal([Id(27), Id(28), Id(29)], (await new MongoMessageHistory(_catalog!).ThreadBeforeAsync(parent, T0.AddSeconds(30), 3, Ct)).Select(m => m.Id));
    }
}
