using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>The smart-reply stores' commands and document readers, rendered to BSON and compared with the documents we mean.</summary>
public sealed class MongoSmartReplyDocumentsTests
{
    private static readonly ObjectId Context = ObjectId.Parse("6b06b1a20000000000000001");
    private static readonly ObjectId Reply = ObjectId.Parse("6b06b1a20000000000000002");
    private static readonly Guid Workspace = Guid.Parse("0b0b0b0b-0000-4000-8000-000000000001");
    private static readonly Guid Channel = Guid.Parse("0c0c0c0c-0000-4000-8000-000000000002");
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    [Fact]
    public void UpsertModel_Pair_KeepsBuiltAtWhenUnchangedAndWritesEveryValueAsALiteral()
    {
        var model = MongoSmartReplyPairStore.UpsertModel(Pair("$5 says yes"));

        Assert.True(model.IsUpsert);
        Assert.Equal(BsonDocument.Parse("{ _id: '6b06b1a20000000000000002:quick' }"), model.Filter.Render(Args));
        var expected = BsonDocument.Parse("""
            { pipeline: [
              { $set: { builtAt: { $cond: [
                { $and: [
                  { $eq: [ "$messageIds", { $literal: [ ObjectId("6b06b1a20000000000000001"), ObjectId("6b06b1a20000000000000002") ] } ] },
                  { $eq: [ "$context", { $literal: [ { text: "is the build green?", sameAuthorAsReply: false } ] } ] },
                  { $eq: [ "$reply", { $literal: "$5 says yes" } ] }
                ] },
                "$builtAt",
                { $literal: ISODate("2026-11-25T11:00:00Z") }
              ] } } },
              { $set: {
                kind: { $literal: "quick" },
                workspaceId: { $literal: UUID("0b0b0b0b-0000-4000-8000-000000000001") },
                channelId: { $literal: UUID("0c0c0c0c-0000-4000-8000-000000000002") },
                replyMessageId: { $literal: ObjectId("6b06b1a20000000000000002") },
                messageIds: { $literal: [ ObjectId("6b06b1a20000000000000001"), ObjectId("6b06b1a20000000000000002") ] },
                context: { $literal: [ { text: "is the build green?", sameAuthorAsReply: false } ] },
                reply: { $literal: "$5 says yes" },
                replyAt: { $literal: ISODate("2026-11-25T10:00:30Z") }
              } }
            ] }
            """)["pipeline"];
        Assert.Equal(expected, model.Update.Render(Args));
    }

    [Fact]
    public void WriteModels_RemovalsAndUpserts_DeleteAllButTheRewrittenPairsFirst()
    {
        var pair = Pair("yes");

        var models = MongoSmartReplyPairStore.WriteModels(new ReplyPairChanges([pair], [Context], ["6b06b1a20000000000000009:thread"]));

        Assert.Equal(2, models.Count);
        var delete = Assert.IsType<DeleteManyModel<BsonDocument>>(models[0]);
        Assert.Equal(BsonDocument.Parse("""
            { $and: [
              { $or: [ { messageIds: { $in: [ ObjectId("6b06b1a20000000000000001") ] } }, { _id: { $in: [ "6b06b1a20000000000000009:thread" ] } } ] },
              { _id: { $nin: [ "6b06b1a20000000000000002:quick" ] } }
            ] }
            """), delete.Filter.Render(Args));
        Assert.IsType<UpdateOneModel<BsonDocument>>(models[1]);
    }

    [Fact]
    public void WriteModels_RemovalsOnly_DeleteByContainment()
    {
        var models = MongoSmartReplyPairStore.WriteModels(new ReplyPairChanges([], [Context, Context], []));

        var delete = Assert.IsType<DeleteManyModel<BsonDocument>>(Assert.Single(models));
        Assert.Equal(BsonDocument.Parse("""{ $or: [ { messageIds: { $in: [ ObjectId("6b06b1a20000000000000001") ] } } ] }"""), delete.Filter.Render(Args));
    }

    [Fact]
    public void WriteModels_NothingToDo_IsEmpty()
    {
        Assert.Empty(MongoSmartReplyPairStore.WriteModels(new ReplyPairChanges([], [], [])));
    }

    [Fact]
    public void ExportPageFilter_FirstPage_IsEveryPairUpToTheCutoff()
    {
        var cutoff = new DateTimeOffset(2026, 11, 25, 2, 30, 0, TimeSpan.Zero);

        Assert.Equal(BsonDocument.Parse("""{ builtAt: { $lte: ISODate("2026-11-25T02:30:00Z") } }"""), MongoSmartReplyPairStore.ExportPageFilter(cutoff, null));
    }

    [Fact]
    public void ExportPageFilter_NextPage_StartsAfterTheLastBuiltAtAndId()
    {
        // Pairs of one batch share a builtAt: the next page must continue within it by _id, not skip past it.
        var cutoff = new DateTimeOffset(2026, 11, 25, 2, 30, 0, TimeSpan.Zero);
        var last = BsonDocument.Parse("""{ _id: "6b06b1a20000000000000002:quick", builtAt: ISODate("2026-11-25T01:00:00Z"), kind: "quick" }""");

        Assert.Equal(BsonDocument.Parse("""
            { $or: [
              { builtAt: { $gt: ISODate("2026-11-25T01:00:00Z"), $lte: ISODate("2026-11-25T02:30:00Z") } },
              { builtAt: ISODate("2026-11-25T01:00:00Z"), _id: { $gt: "6b06b1a20000000000000002:quick" } }
            ] }
            """), MongoSmartReplyPairStore.ExportPageFilter(cutoff, last));
    }

    [Fact]
    public void InThread_Parent_MatchesItsIdAsObjectIdAndAsHexString()
    {
        // $in never matches across BSON types: a reply whose threadId is the parent's hex string needs the string too.
        Assert.Equal(
            BsonDocument.Parse("""{ threadId: { $in: [ ObjectId("6b06b1a20000000000000001"), "6b06b1a20000000000000001" ] } }"""),
            MongoMessageHistory.InThread(Context));
    }

    [Fact(Timeout = 30_000)]
    public async Task RecentVersionsAsync_LimitZero_ListsNoneWithoutAQuery()
    {
        // limit(0) is "no limit" to MongoDB. Nothing answers on this address: a store that queried would time out.
        using var client = new MongoClient("mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300&connectTimeoutMS=300");
        var store = new MongoSmartReplySnapshotStore(new MongoCatalog(client, new MongoOptions()));

        Assert.Empty(await store.RecentVersionsAsync(0, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ParseSnapshotPair_StoredPair_ReadsKindContextAndReply()
    {
        var document = BsonDocument.Parse("""{ kind: "thread", context: [ { text: "a", sameAuthorAsReply: true } ], reply: "b" }""");

        var pair = MongoSmartReplyPairStore.ParseSnapshotPair(document);

        Assert.Equal((ReplyPairKind.Thread, "b"), (pair.Kind, pair.Reply));
        Assert.Equal([new ReplyContextLine("a", true)], pair.Context);
    }

    [Fact]
    public void ParseMessage_SeedDocument_ReadsTheFieldsTheRulesNeed()
    {
        var document = BsonDocument.Parse("""
            {
              _id: ObjectId("6b06b1a20000000000000002"), workspaceId: UUID("0b0b0b0b-0000-4000-8000-000000000001"),
              channelId: UUID("0c0c0c0c-0000-4000-8000-000000000002"), userId: UUID("0b0b0000-0000-4000-8000-000000000004"),
              content: "I can", contentType: "rich", threadId: ObjectId("6b06b1a20000000000000001"),
              createdAt: ISODate("2026-11-25T10:00:30Z"), deleted: false, mentionCount: 2, mentionsEveryone: true
            }
            """);

        var message = MongoMessageHistory.Parse(document);

        Assert.Equal(
            new ChatMessage(Reply, Workspace, Channel, Guid.Parse("0b0b0000-0000-4000-8000-000000000004"), "I can", MessageContentType.Rich, Context,
                new DateTimeOffset(2026, 11, 25, 10, 0, 30, TimeSpan.Zero), false, 2, true),
            message);
    }

    [Theory]
    [InlineData("{}", "text", false, null)]
    [InlineData("{ contentType: 'code', deleted: true, threadId: null }", "code", true, null)]
    [InlineData("{ contentType: 'file', threadId: '6b06b1a20000000000000001' }", "file", false, "6b06b1a20000000000000001")]
    [InlineData("{ threadId: '6B06B1A20000000000000001' }", "text", false, null)]
    [InlineData("{ contentType: 'video' }", null, false, null)]
    public void ParseMessage_OptionalFields_DefaultAsTheSeedSays(string extra, string? contentType, bool deleted, string? threadId)
    {
        var document = Minimal().Merge(BsonDocument.Parse(extra), overwriteExistingElements: true);

        var message = MongoMessageHistory.Parse(document)!;

        Assert.Equal(contentType, message.ContentType is { } type ? type.ToString().ToLowerInvariant() : null);
        Assert.Equal(deleted, message.Deleted);
        Assert.Equal(threadId, message.ThreadId?.ToString());
        Assert.Equal("", message.Content);
    }

    [Theory]
    [InlineData("_id")]
    [InlineData("workspaceId")]
    [InlineData("userId")]
    [InlineData("createdAt")]
    public void ParseMessage_WithoutARequiredField_IsNull(string field)
    {
        var document = Minimal();
        document.Remove(field);

        Assert.Null(MongoMessageHistory.Parse(document));
    }

    [Theory]
    [InlineData("{ messageId: ObjectId('6b06b1a20000000000000002'), action: 'flag', contentHash: 'abc' }", ModerationAction.Flag, "abc", false)]
    [InlineData("{ messageId: ObjectId('6b06b1a20000000000000002'), deleted: true }", null, null, true)]
    [InlineData("{ messageId: ObjectId('6b06b1a20000000000000002'), action: 'quarantine' }", ModerationAction.Block, null, false)]
    public void ParseStoredModeration_Result_ReadsActionHashAndDeletion(string json, ModerationAction? action, string? hash, bool deleted)
    {
        Assert.Equal(new StoredModeration(Reply, action, hash, deleted), MongoModerationActions.Parse(BsonDocument.Parse(json)));
    }

    [Fact]
    public void SnapshotRecord_RenderedAndRead_RoundTrips()
    {
        var snapshot = new SmartReplySnapshot("smart-reply-20261125T0230Z", new DateTimeOffset(2026, 11, 25, 2, 30, 2, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 25, 2, 30, 0, TimeSpan.Zero), new ReplyPairCounts(3, 2, 1), SnapshotFilters.From(new SmartReplyOptions()));

        var rendered = MongoSmartReplySnapshotStore.Render(snapshot);

        Assert.Equal(BsonDocument.Parse("""
            {
              kind: "smart-reply", createdAt: ISODate("2026-11-25T02:30:02Z"), cutoff: ISODate("2026-11-25T02:30:00Z"),
              counts: { pairs: NumberLong(3), thread: NumberLong(2), quick: NumberLong(1) },
              filters: { contextMessages: 3, quickReplyWindowSeconds: 120, minCharacters: 2, maxCharacters: 500,
                         excluded: [ "code", "file", "flag", "block", "deleted" ] }
            }
            """), rendered);
        var read = MongoSmartReplySnapshotStore.Parse(new BsonDocument("_id", snapshot.Version).Merge(rendered));
        Assert.Equal((snapshot.Version, snapshot.CreatedAt, snapshot.Cutoff, snapshot.Counts), (read.Version, read.CreatedAt, read.Cutoff, read.Counts));
        Assert.Equal(snapshot.Filters.Excluded, read.Filters.Excluded);
        Assert.Equal(snapshot.Filters with { Excluded = [] }, read.Filters with { Excluded = [] });
    }

    private static BsonDocument Minimal() => BsonDocument.Parse("""
        {
          _id: ObjectId("6b06b1a20000000000000002"), workspaceId: UUID("0b0b0b0b-0000-4000-8000-000000000001"),
          channelId: UUID("0c0c0c0c-0000-4000-8000-000000000002"), userId: UUID("0b0b0000-0000-4000-8000-000000000004"),
          createdAt: ISODate("2026-11-25T10:00:30Z")
        }
        """);

    private static ReplyPair Pair(string reply) => new(
        ReplyPair.IdFor(Reply, ReplyPairKind.Quick), ReplyPairKind.Quick, Workspace, Channel, Reply, [Context, Reply],
        [new ReplyContextLine("is the build green?", false)], reply,
        new DateTimeOffset(2026, 11, 25, 10, 0, 30, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero));
}
