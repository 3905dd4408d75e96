using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>The smart-reply stores against a real MongoDB 7 (the lane skips these where there is none).</summary>
public sealed class MongoSmartReplyStoreTests(MongoTestLane lane)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Workspace = Guid.Parse("0b0b0b0b-0000-4000-8000-000000000001");
    private static readonly Guid Channel = Guid.Parse("0c0c0c0c-0000-4000-8000-000000000002");
    private static readonly Guid Alice = Guid.Parse("0a11ce00-0000-4000-8000-000000000003");
    private static readonly Guid Bob = Guid.Parse("0b0b0000-0000-4000-8000-000000000004");

    [Fact(Timeout = 120_000)]
    public async Task Indexes_ModerationOwner_BuildWithoutConflicts()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;

        var report = await new MongoIndexBootstrapper(catalog, NullLogger<MongoIndexBootstrapper>.Instance).EnsureAsync([IndexOwner.Moderation], ct);

        Assert.False(report.HasConflicts, report.ToString());
        var names = await (await catalog.ReplyPairs.Indexes.ListAsync(ct)).ToListAsync(ct);
        Assert.Equal(["_id_", "builtAt_1__id_1", "messageIds_1"], names.Select(i => i["name"].AsString).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task ApplyAsync_SamePairAgain_KeepsOneDocumentAsDesignedWithItsFirstBuiltAt()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new MongoSmartReplyPairStore(catalog);
        var (context, reply) = (Id(1), Id(2));
        var pair = Pair(reply, [context], "$5 says yes", T0.AddHours(1));

        await store.ApplyAsync(new ReplyPairChanges([pair], [], []), ct);
        await store.ApplyAsync(new ReplyPairChanges([pair with { BuiltAt = T0.AddHours(2) }], [], ReplyPair.IdsFor(reply).ToList()), ct);

        var stored = await catalog.ReplyPairs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(ct);
        Assert.Equal(BsonDocument.Parse($$"""
            {
              _id: "{{reply}}:quick", builtAt: ISODate("2026-11-25T11:00:00Z"), kind: "quick",
              workspaceId: UUID("0b0b0b0b-0000-4000-8000-000000000001"), channelId: UUID("0c0c0c0c-0000-4000-8000-000000000002"),
              replyMessageId: ObjectId("{{reply}}"), messageIds: [ ObjectId("{{context}}"), ObjectId("{{reply}}") ],
              context: [ { text: "context 1", sameAuthorAsReply: false } ], reply: "$5 says yes", replyAt: ISODate("2026-11-25T10:00:02Z")
            }
            """), stored);
    }

    [Fact(Timeout = 120_000)]
    public async Task ApplyAsync_ChangedPair_TakesTheNewBuiltAt()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new MongoSmartReplyPairStore(catalog);
        var (context, reply) = (Id(1), Id(2));
        await store.ApplyAsync(new ReplyPairChanges([Pair(reply, [context], "yes", T0.AddHours(1))], [], []), ct);

        await store.ApplyAsync(new ReplyPairChanges([Pair(reply, [context], "yes, edited", T0.AddHours(2))], [], []), ct);

        var stored = await catalog.ReplyPairs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(ct);
        Assert.Equal(("yes, edited", T0.AddHours(2).UtcDateTime), (stored["reply"].AsString, stored["builtAt"].ToUniversalTime()));
    }

    [Fact(Timeout = 120_000)]
    public async Task DeleteContainingAsync_AContextOrReplyMessage_RemovesEveryPairContainingIt()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new MongoSmartReplyPairStore(catalog);
        var (parent, first, second, other, otherReply) = (Id(1), Id(2), Id(3), Id(4), Id(5));
        await store.ApplyAsync(new ReplyPairChanges(
            [Pair(first, [parent], "a", T0), Pair(second, [parent, first], "b", T0), Pair(otherReply, [other], "c", T0)], [], []), ct);

        Assert.Equal(new[] { first, second }.Order(), (await store.FindReplyIdsContainingAsync([parent], 10, ct)).Order());
        Assert.Equal(2, await store.DeleteContainingAsync([parent], ct));
        Assert.Equal(0, await store.DeleteContainingAsync([parent], ct));
        Assert.Equal(1, await store.DeleteContainingAsync([otherReply], ct));
        Assert.Equal(0, await catalog.ReplyPairs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ApplyAsync_RemovalsWithUpserts_RemoveAllButTheRewrittenPairs()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new MongoSmartReplyPairStore(catalog);
        var (edited, kept, dropped, byId) = (Id(1), Id(2), Id(3), Id(4));
        await store.ApplyAsync(new ReplyPairChanges(
            [Pair(kept, [edited], "kept", T0), Pair(dropped, [edited], "dropped", T0), Pair(byId, [Id(9)], "by id", T0)], [], []), ct);

        var removed = await store.ApplyAsync(
            new ReplyPairChanges([Pair(kept, [edited], "kept", T0.AddHours(1))], [edited], [ReplyPair.IdFor(byId, ReplyPairKind.Quick)]), ct);

        Assert.Equal(2, removed);
        var left = await catalog.ReplyPairs.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(ct);
        var only = Assert.Single(left);
        Assert.Equal(($"{kept}:quick", T0.UtcDateTime), (only["_id"].AsString, only["builtAt"].ToUniversalTime()));
    }

    [Fact(Timeout = 120_000)]
    public async Task CountAndStream_UpToTheCutoff_CountByKindAndStreamInBuiltAtThenIdOrder()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new MongoSmartReplyPairStore(catalog);
        var cutoff = T0.AddHours(2);
        await store.ApplyAsync(new ReplyPairChanges(
        [
            Pair(Id(12), [Id(11)], "second", T0.AddHours(1)),
            Pair(Id(2), [Id(1)], "first", T0),
            Pair(Id(22), [Id(21)], "third", T0.AddHours(1)) with { Kind = ReplyPairKind.Thread, Id = ReplyPair.IdFor(Id(22), ReplyPairKind.Thread) },
            Pair(Id(32), [Id(31)], "at the cutoff", cutoff),
            Pair(Id(42), [Id(41)], "after", cutoff.AddMilliseconds(1)),
        ], [], []), ct);

        var counts = await store.CountAsync(cutoff, ct);
        var streamed = new List<SnapshotPair>();
        await foreach (var pair in store.StreamAsync(cutoff, ct))
        {
            streamed.Add(pair);
        }

        Assert.Equal(new ReplyPairCounts(4, 1, 3), counts);
        Assert.Equal(["first", "second", "third", "at the cutoff"], streamed.Select(p => p.Reply));
        Assert.Equal([new ReplyContextLine("context 11", false)], streamed[1].Context);
    }

    [Fact(Timeout = 120_000)]
    public async Task SnapshotStore_SameVersionTwice_KeepsTheFirstRecordAndListsRecentSmartReplyVersions()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var store = new MongoSmartReplySnapshotStore(catalog);
        var first = Snapshot(T0, new ReplyPairCounts(3, 2, 1));
        await catalog.TrainingSets.InsertOneAsync(new BsonDocument { { "_id", "toxicity-v7" }, { "kind", "toxicity" }, { "createdAt", T0.AddDays(1).UtcDateTime } },
            cancellationToken: ct);

        Assert.True(await store.TryInsertAsync(first, ct));
        Assert.False(await store.TryInsertAsync(first with { Counts = new ReplyPairCounts(9, 9, 0) }, ct));
        Assert.True(await store.TryInsertAsync(Snapshot(T0.AddDays(1), ReplyPairCounts.Zero), ct));

        Assert.Equal(new ReplyPairCounts(3, 2, 1), (await store.FindAsync(first.Version, ct))!.Counts);
        Assert.Null(await store.FindAsync("toxicity-v7", ct));
        Assert.Equal(["smart-reply-20261126T1000Z", "smart-reply-20261125T1000Z"], await store.RecentVersionsAsync(10, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task MessageHistory_ThreadAndChannelQueries_FollowTheConversation()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var history = new MongoMessageHistory(catalog);
        var (parent, t1, t2, t3, top1, top2) = (Id(1), Id(2), Id(3), Id(4), Id(5), Id(6));
        await catalog.Messages.InsertManyAsync(
        [
            MessageDocument(parent, Alice, "parent", 0, null),
            MessageDocument(t1, Bob, "t1", 10, parent),
            MessageDocument(t2, Alice, "t2", 20, parent).Add("deleted", true),
            MessageDocument(top1, Bob, "top1", 25, null).Add("mentions", new BsonArray { new BsonBinaryData(Alice, GuidRepresentation.Standard) }),
            MessageDocument(t3, Bob, "t3", 30, parent),
            MessageDocument(top2, Alice, "top2", 40, null).Add("contentType", "code"),
        ], cancellationToken: ct);

        Assert.Equal(new[] { parent, t3 }.Order(), (await history.FindAsync([parent, t3, Id(99)], ct)).Select(m => m.Id).Order());
        Assert.Equal([t1, t2], (await history.ThreadBeforeAsync(parent, T0.AddSeconds(30), 2, ct)).Select(m => m.Id));
        Assert.True((await history.ThreadBeforeAsync(parent, T0.AddSeconds(30), 2, ct))[1].Deleted);
        Assert.Equal([t2, t3], (await history.ThreadAfterAsync(parent, T0.AddSeconds(10), 5, ct)).Select(m => m.Id));
        Assert.Equal([t1, t2, t3], (await history.ThreadAfterAsync(parent, null, 5, ct)).Select(m => m.Id));

        var before = await history.ChannelMessageBeforeAsync(Channel, T0.AddSeconds(40), T0, ct);
        Assert.Equal((top1, 1), (before!.Id, before.MentionCount));
        Assert.Null(await history.ChannelMessageBeforeAsync(Channel, T0.AddSeconds(40), T0.AddSeconds(30), ct));
        var after = await history.ChannelMessageAfterAsync(Channel, T0.AddSeconds(25), T0.AddSeconds(60), ct);
        Assert.Equal((top2, (MessageContentType?)MessageContentType.Code), (after!.Id, after.ContentType));
    }

    [Fact(Timeout = 120_000)]
    public async Task ModerationActions_SeveralMessages_ReadsActionHashAndDeletion()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var (flagged, tombstone) = (Id(1), Id(2));
        await catalog.AutoModResults.InsertManyAsync(
        [
            new BsonDocument { { "messageId", flagged }, { "action", "flag" }, { "contentHash", "abc" }, { "overallScore", 0.8 } },
            new BsonDocument { { "messageId", tombstone }, { "deleted", true } },
        ], cancellationToken: ct);

        var found = await new MongoModerationActions(catalog).FindAsync([flagged, tombstone, Id(3)], ct);

        Assert.Equal(new StoredModeration(flagged, ModerationAction.Flag, "abc", false), found[flagged]);
        Assert.Equal(new StoredModeration(tombstone, null, null, true), found[tombstone]);
        Assert.Equal(2, found.Count);
    }

    private static ObjectId Id(int n) => ObjectId.Parse($"{T0.ToUnixTimeSeconds() + n:x8}0000000000{n:x6}");

    private static long N(ObjectId id) => id.Timestamp - T0.ToUnixTimeSeconds();

    private static ReplyPair Pair(ObjectId reply, ObjectId[] context, string text, DateTimeOffset builtAt) => new(
        ReplyPair.IdFor(reply, ReplyPairKind.Quick), ReplyPairKind.Quick, Workspace, Channel, reply, [.. context, reply],
        [.. context.Select(c => new ReplyContextLine($"context {N(c)}", false))], text, T0.AddSeconds(N(reply)), builtAt);

    private static SmartReplySnapshot Snapshot(DateTimeOffset cutoff, ReplyPairCounts counts) =>
        new(SmartReplySnapshot.VersionFor(cutoff), cutoff.AddSeconds(1), cutoff, counts, SnapshotFilters.From(new SmartReplyOptions()));

    private static BsonDocument MessageDocument(ObjectId id, Guid user, string content, int atSeconds, ObjectId? threadId) => new()
    {
        { "_id", id },
        { "channelId", new BsonBinaryData(Channel, GuidRepresentation.Standard) },
        { "workspaceId", new BsonBinaryData(Workspace, GuidRepresentation.Standard) },
        { "userId", new BsonBinaryData(user, GuidRepresentation.Standard) },
        { "content", content },
        { "threadId", threadId is { } parent ? parent : BsonNull.Value },
        { "createdAt", T0.AddSeconds(atSeconds).UtcDateTime },
    };
}
