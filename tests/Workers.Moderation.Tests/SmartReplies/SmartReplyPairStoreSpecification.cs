using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>What every <see cref="ISmartReplyPairStore"/> does: MongoDB's store on the real lane, the in-memory double always.</summary>
public abstract class SmartReplyPairStoreSpecification
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    protected static readonly Guid Workspace = Guid.Parse("0b0b0b0b-0000-4000-8000-000000000001");
    protected static readonly Guid Channel = Guid.Parse("0c0c0c0c-0000-4000-8000-000000000002");

    /// <summary>A new, empty store (on the real lane: its own database with the moderation worker's indexes built).</summary>
    /// <param name="exportPageSize">How many pairs one export query reads, where the store reads in pages.</param>
    protected abstract Task<ISmartReplyPairStore> CreateStoreAsync(int exportPageSize = MongoSmartReplyPairStore.DefaultExportPageSize);

    [Fact(Timeout = 120_000)]
    public async Task ApplyAsync_SamePairAgain_KeepsItsFirstBuiltAt()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (context, reply) = (Id(1), Id(2));
        var pair = Pair(reply, [context], "$5 says yes", T0.AddHours(1));

        await store.ApplyAsync(new ReplyPairChanges([pair], [], []), ct);
        await store.ApplyAsync(new ReplyPairChanges([pair with { BuiltAt = T0.AddHours(2) }], [], [.. ReplyPair.IdsFor(reply)]), ct);

        Assert.Equal(new ReplyPairCounts(1, 0, 1), await store.CountAsync(T0.AddHours(1), ct));
        var streamed = Assert.Single(await StreamAsync(store, T0.AddHours(2)));
        Assert.Equal("$5 says yes", streamed.Reply);
        Assert.Equal([new ReplyContextLine("context 1", false)], streamed.Context);
    }

    [Fact(Timeout = 120_000)]
    public async Task ApplyAsync_ChangedPair_TakesTheNewBuiltAt()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (context, reply) = (Id(1), Id(2));
        await store.ApplyAsync(new ReplyPairChanges([Pair(reply, [context], "yes", T0.AddHours(1))], [], []), ct);

        await store.ApplyAsync(new ReplyPairChanges([Pair(reply, [context], "yes, edited", T0.AddHours(2))], [], []), ct);

        Assert.Equal(ReplyPairCounts.Zero, await store.CountAsync(T0.AddHours(1), ct));
        Assert.Equal(["yes, edited"], (await StreamAsync(store, T0.AddHours(2))).Select(p => p.Reply));
    }

    [Fact(Timeout = 120_000)]
    public async Task DeleteContainingAsync_AContextOrReplyMessage_RemovesEveryPairContainingIt()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (parent, first, second, other, otherReply) = (Id(1), Id(2), Id(3), Id(4), Id(5));
        await store.ApplyAsync(new ReplyPairChanges(
            [Pair(first, [parent], "a", T0), Pair(second, [parent, first], "b", T0), Pair(otherReply, [other], "c", T0)], [], []), ct);

        Assert.Equal(new[] { first, second }.Order(), (await store.FindReplyIdsContainingAsync([parent], 10, ct)).Order());
        Assert.Equal(2, await store.DeleteContainingAsync([parent], ct));
        Assert.Equal(0, await store.DeleteContainingAsync([parent], ct));
        Assert.Equal(1, await store.DeleteContainingAsync([otherReply], ct));
        Assert.Equal(ReplyPairCounts.Zero, await store.CountAsync(T0, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ApplyAsync_RemovalsWithUpserts_RemoveAllButTheRewrittenPairs()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (edited, kept, dropped, byId) = (Id(1), Id(2), Id(3), Id(4));
        await store.ApplyAsync(new ReplyPairChanges(
            [Pair(kept, [edited], "kept", T0), Pair(dropped, [edited], "dropped", T0), Pair(byId, [Id(9)], "by id", T0)], [], []), ct);

        var removed = await store.ApplyAsync(
            new ReplyPairChanges([Pair(kept, [edited], "kept", T0.AddHours(1))], [edited], [ReplyPair.IdFor(byId, ReplyPairKind.Quick)]), ct);

        Assert.Equal(2, removed);
        Assert.Equal(new ReplyPairCounts(1, 0, 1), await store.CountAsync(T0, ct)); // the rewritten pair kept its builtAt
        Assert.Equal(["kept"], (await StreamAsync(store, T0)).Select(p => p.Reply));
    }

    [Fact(Timeout = 120_000)]
    public async Task CountAndStream_UpToTheCutoff_CountByKindAndStreamInBuiltAtThenIdOrder()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cutoff = T0.AddHours(2);
        await store.ApplyAsync(new ReplyPairChanges(
        [
            Pair(Id(12), [Id(11)], "second", T0.AddHours(1)),
            Pair(Id(2), [Id(1)], "first", T0),
            Pair(Id(22), [Id(21)], "third", T0.AddHours(1), ReplyPairKind.Thread),
            Pair(Id(32), [Id(31)], "at the cutoff", cutoff),
            Pair(Id(42), [Id(41)], "after", cutoff.AddMilliseconds(1)),
        ], [], []), ct);

        var counts = await store.CountAsync(cutoff, ct);
        var streamed = await StreamAsync(store, cutoff);

        Assert.Equal(new ReplyPairCounts(4, 1, 3), counts);
        Assert.Equal(["first", "second", "third", "at the cutoff"], streamed.Select(p => p.Reply));
        Assert.Equal([new ReplyContextLine("context 11", false)], streamed[1].Context);
    }

    [Fact(Timeout = 120_000)]
    public async Task CountAndStream_BuiltWithinTheCutoffsMillisecond_AreIncluded()
    {
        // BSON dates are milliseconds: a builtAt 0.7 ms after the cutoff is stored as the cutoff's millisecond.
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cutoff = T0.AddTicks(3_000); // 0.3 ms: the driver sends T0
        await store.ApplyAsync(new ReplyPairChanges([Pair(Id(2), [Id(1)], "same millisecond", T0.AddTicks(7_000))], [], []), ct);

        Assert.Equal(new ReplyPairCounts(1, 0, 1), await store.CountAsync(cutoff, ct));
        Assert.Equal(["same millisecond"], (await StreamAsync(store, cutoff)).Select(p => p.Reply));
        Assert.Equal(ReplyPairCounts.Zero, await store.CountAsync(T0.AddTicks(-1), ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task StreamAsync_MorePairsThanAPageWithTiedBuiltAt_StreamsEachOnceInOrder()
    {
        var store = await CreateStoreAsync(exportPageSize: 4);
        var ct = TestContext.Current.CancellationToken;
        // One batch's pairs share a builtAt: 11 ties across page boundaries, then 6 more at two later times.
        var pairs = Enumerable.Range(1, 17)
            .Select(n => Pair(Id(100 + n), [Id(n)], $"reply {n}", n <= 11 ? T0 : T0.AddSeconds(n % 2)))
            .ToList();
        await store.ApplyAsync(new ReplyPairChanges(pairs, [], []), ct);

        var streamed = await StreamAsync(store, T0.AddSeconds(1));

        var expected = pairs.OrderBy(p => p.BuiltAt).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Reply);
        Assert.Equal(expected, streamed.Select(p => p.Reply));
    }

    [Fact(Timeout = 120_000)]
    public async Task FindReplyIdsContainingAsync_BothKindsOfOneReply_ListsTheReplyOnceWithinTheLimit()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (context, reply, other) = (Id(1), Id(2), Id(3));
        await store.ApplyAsync(new ReplyPairChanges(
            [Pair(reply, [context], "quick", T0), Pair(reply, [context], "thread", T0, ReplyPairKind.Thread), Pair(other, [context], "other", T0)], [], []), ct);

        Assert.Equal(new[] { reply, other }.Order(), (await store.FindReplyIdsContainingAsync([context], 10, ct)).Order());
        Assert.Single(await store.FindReplyIdsContainingAsync([other], 10, ct));
        Assert.Empty(await store.FindReplyIdsContainingAsync([context], 0, ct));
        Assert.Empty(await store.FindReplyIdsContainingAsync([Id(99)], 10, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task ApplyAsync_SameNewPairFromConcurrentBatches_WritesOnePairWithoutAnError()
    {
        // Two replicas handling a redelivered batch race to insert the same _id; MongoDB retries the loser's E11000 as an update.
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var pair = Pair(Id(2), [Id(1)], "raced", T0);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ApplyAsync(new ReplyPairChanges([pair], [], []), ct), ct)));

        Assert.Equal(new ReplyPairCounts(1, 0, 1), await store.CountAsync(T0, ct));
    }

    protected static async Task<List<SnapshotPair>> StreamAsync(ISmartReplyPairStore store, DateTimeOffset cutoff)
    {
        var streamed = new List<SnapshotPair>();
        await foreach (var pair in store.StreamAsync(cutoff, TestContext.Current.CancellationToken))
        {
            streamed.Add(pair);
        }

        return streamed;
    }

    protected static ObjectId Id(int n) => ObjectId.Parse($"{T0.ToUnixTimeSeconds() + n:x8}0000000000{n:x6}");

    protected static ReplyPair Pair(ObjectId reply, ObjectId[] context, string text, DateTimeOffset builtAt, ReplyPairKind kind = ReplyPairKind.Quick) => new(
        ReplyPair.IdFor(reply, kind), kind, Workspace, Channel, reply, [.. context, reply],
        [.. context.Select(c => new ReplyContextLine($"context {N(c)}", false))], text, T0.AddSeconds(N(reply)), builtAt);

    private static long N(ObjectId id) => id.Timestamp - T0.ToUnixTimeSeconds();
}

/// <summary>The specification against the in-memory double.</summary>
public sealed class InMemorySmartReplyPairStoreSpecification : SmartReplyPairStoreSpecification
{
    protected override Task<ISmartReplyPairStore> CreateStoreAsync(int exportPageSize = MongoSmartReplyPairStore.DefaultExportPageSize) =>
        Task.FromResult<ISmartReplyPairStore>(new InMemorySmartReplyPairStore());
}

/// <summary>The specification against MongoDB (skipped without the lane), and what only MongoDB can show.</summary>
public sealed class MongoSmartReplyPairStoreSpecification(MongoTestLane lane) : SmartReplyPairStoreSpecification
{
    private MongoCatalog? _catalog;

    protected override async Task<ISmartReplyPairStore> CreateStoreAsync(int exportPageSize = MongoSmartReplyPairStore.DefaultExportPageSize)
    {
        _catalog = lane.Require().CreateCatalog();
        var report = await new MongoIndexBootstrapper(_catalog, NullLogger<MongoIndexBootstrapper>.Instance)
            .EnsureAsync([IndexOwner.Moderation], TestContext.Current.CancellationToken);
        Assert.False(report.HasConflicts, report.ToString());
        return new MongoSmartReplyPairStore(_catalog) { ExportPageSize = exportPageSize };
    }

    [Fact(Timeout = 120_000)]
    public async Task ApplyAsync_Pair_StoresTheDocumentAsDesigned()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (context, reply) = (Id(1), Id(2));

        await store.ApplyAsync(new ReplyPairChanges([Pair(reply, [context], "$5 says yes", T0.AddHours(1).AddTicks(4_321))], [], []), ct);

        var stored = await _catalog!.ReplyPairs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync(ct);
        var expected = BsonDocument.Parse($$"""
            {
              _id: "{{reply}}:quick", builtAt: ISODate("2026-11-25T11:00:00Z"), kind: "quick",
              workspaceId: UUID("0b0b0b0b-0000-4000-8000-000000000001"), channelId: UUID("0c0c0c0c-0000-4000-8000-000000000002"),
              replyMessageId: ObjectId("{{reply}}"), messageIds: [ ObjectId("{{context}}"), ObjectId("{{reply}}") ],
              context: [ { text: "context 1", sameAuthorAsReply: false } ], reply: "$5 says yes", replyAt: ISODate("2026-11-25T10:00:02Z")
            }
            """);
        // Field order is the server's choice (a pipeline $set adds new fields in its own order): compare by name.
        Assert.Equal(expected.Names.Order(StringComparer.Ordinal), stored.Names.Order(StringComparer.Ordinal));
        Assert.All(expected.Names, name => Assert.Equal(expected[name], stored[name]));
    }

    [Fact(Timeout = 180_000)]
    public async Task StreamAsync_IdleCursorsKilledMidExport_ExportsEveryPair()
    {
        // A slow consumer leaves the export's cursor idle; the server kills idle cursors after cursorTimeoutMillis (10 min).
        // Killing every idle cursor on reply_pairs after the first pair stands in for that wait: an export that kept one
        // cursor open fails on its next getMore with CursorNotFound (43).
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var pairs = Enumerable.Range(1, 250).Select(n => Pair(Id(1000 + n), [Id(n)], $"reply {n}", T0)).ToList();
        await store.ApplyAsync(new ReplyPairChanges(pairs, [], []), ct);

        var streamed = 0;
        await foreach (var _ in store.StreamAsync(T0, ct))
        {
            if (++streamed == 1)
            {
                await KillIdleCursorsAsync(ct);
            }
        }

        Assert.Equal(250, streamed);
    }

    [Fact(Timeout = 120_000)]
    public async Task Queries_ContainmentRemovalAndExportPages_AreServedByTheirIndexes()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        await store.ApplyAsync(new ReplyPairChanges(
            [.. Enumerable.Range(1, 50).Select(n => Pair(Id(100 + n), [Id(n), Id(n + 1)], $"reply {n}", T0.AddSeconds(n % 3)))], [], []), ct);
        var args = new RenderArgs<BsonDocument>(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);
        var removal = (DeleteManyModel<BsonDocument>)MongoSmartReplyPairStore.WriteModels(
            new ReplyPairChanges([Pair(Id(101), [Id(1)], "kept", T0)], [Id(2), Id(3)], [ReplyPair.IdFor(Id(120), ReplyPairKind.Thread)]))[0];

        var containing = await ExplainAsync(new BsonDocument { { "find", "reply_pairs" }, { "filter", new BsonDocument("messageIds", new BsonDocument("$in", new BsonArray { Id(2) })) } }, ct);
        var delete = await ExplainAsync(new BsonDocument { { "delete", "reply_pairs" }, { "deletes", new BsonArray { new BsonDocument { { "q", removal.Filter.Render(args) }, { "limit", 0 } } } } }, ct);
        var page = await ExplainAsync(new BsonDocument
        {
            { "find", "reply_pairs" },
            { "filter", MongoSmartReplyPairStore.ExportPageFilter(T0.AddSeconds(2), new BsonDocument { { "builtAt", T0.AddSeconds(1).UtcDateTime }, { "_id", ReplyPair.IdFor(Id(110), ReplyPairKind.Quick) } }) },
            { "sort", new BsonDocument { { "builtAt", 1 }, { "_id", 1 } } },
            { "limit", 10 },
        }, ct);

        Assert.Contains(("IXSCAN", "messageIds_1"), containing);
        Assert.Contains(("IXSCAN", "messageIds_1"), delete);
        Assert.Contains(("IXSCAN", "_id_"), delete);
        Assert.Contains(("IXSCAN", "builtAt_1__id_1"), page);
        Assert.All(containing.Concat(delete).Concat(page), stage => Assert.NotEqual("COLLSCAN", stage.Stage));
        Assert.DoesNotContain(page, stage => stage.Stage == "SORT"); // the index gives the order: no blocking sort
    }

    private Task<List<(string Stage, string? Index)>> ExplainAsync(BsonDocument command, CancellationToken ct) =>
        MongoExplain.WinningStagesAsync(_catalog!, QuikAppDatabase.SmartReply, command, ct);

    private async Task KillIdleCursorsAsync(CancellationToken ct)
    {
        var admin = _catalog!.Database(QuikAppDatabase.SmartReply).Client.GetDatabase("admin");
        var ns = $"{_catalog.DatabaseName(QuikAppDatabase.SmartReply)}.{MongoCatalog.Collections.ReplyPairs}";
        var idle = await admin.Aggregate<BsonDocument>(new BsonDocument[]
            {
                new("$currentOp", new BsonDocument { { "idleCursors", true }, { "allUsers", true } }),
                new("$match", new BsonDocument { { "type", "idleCursor" }, { "ns", ns } }),
            }, cancellationToken: ct).ToListAsync(ct);
        var ids = new BsonArray(idle.Select(op => op["cursor"]["cursorId"]));
        if (ids.Count > 0)
        {
            await _catalog.Database(QuikAppDatabase.SmartReply).RunCommandAsync<BsonDocument>(
                new BsonDocument { { "killCursors", MongoCatalog.Collections.ReplyPairs }, { "cursors", ids } }, MongoCatalog.Reads, ct);
        }
    }
}
