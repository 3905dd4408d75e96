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
/// What <see cref="IAutoModerationResultStore"/> promises, held against the MongoDB store (real lane) and the in-memory
/// double alike. The stored result is observed through <see cref="IModerationActions"/> (the same collection) and the
/// stored <c>processedAt</c>.
/// </summary>
public abstract class AutoModerationResultStoreSpecification
{
    protected static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    /// <summary>The store under test and a reader of the same collection.</summary>
    protected abstract Task<(IAutoModerationResultStore Store, IModerationActions Reader)> CreateAsync();

    /// <summary>The stored <c>processedAt</c> of a message's result, as the collection holds it.</summary>
    protected abstract Task<DateTimeOffset?> ProcessedAtAsync(ObjectId messageId);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A result whose content hash names its spam score, so the stored version can be told apart.</summary>
    private static AutoModerationResult Result(ObjectId id, DateTimeOffset at, Guid eventId, double spam, DateTimeOffset? processedAt = null)
    {
        var result = ResultFactory.Result(id, ContentKind.Edited, at, eventId, spam, processedAt ?? T0);
        return result with { Scored = result.Scored with { ContentHash = $"{spam:0.00}".PadRight(64, 'h') } };
    }

    /// <summary>A version-4 event id whose standard (big-endian) bytes start with <paramref name="first"/>.</summary>
    private static Guid Event(byte first) => new([first, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1], bigEndian: true);

    [Fact(Timeout = 60_000)]
    public async Task UpsertAsync_OlderAfterNewer_IsRefusedAndTheNewerStays()
    {
        var (store, reader) = await CreateAsync();
        var id = ObjectId.GenerateNewId();

        var first = await store.UpsertAsync([Result(id, T0.AddMinutes(5), Guid.NewGuid(), 0.9)], Ct);
        var second = await store.UpsertAsync([Result(id, T0, Guid.NewGuid(), 0.1)], Ct);

        Assert.Equal([true], first);
        Assert.Equal([false], second);
        Assert.Equal(ModerationAction.Flag, (await reader.FindAsync([id], Ct))[id].Action);
    }

    [Fact(Timeout = 60_000)]
    public async Task UpsertAsync_Redelivery_IsReappliedAndKeepsTheFirstProcessedAtToTheMillisecond()
    {
        var (store, _) = await CreateAsync();
        var id = ObjectId.GenerateNewId();
        var eventId = Guid.NewGuid();
        var processedAt = T0.AddTicks(12_345_678);   // 1.2345678 s: a BSON date keeps 1.234 s

        await store.UpsertAsync([Result(id, T0, eventId, 0.8, processedAt)], Ct);
        var again = await store.UpsertAsync([Result(id, T0, eventId, 0.8, T0.AddHours(1))], Ct);

        Assert.Equal([true], again);
        Assert.Equal(T0.AddMilliseconds(1234), await ProcessedAtAsync(id));
    }

    /// <summary>
    /// Defect 12: two versions in the same millisecond whose ticks differ. The old MongoDB filter compared the stored
    /// millisecond with the new version's ticks and refused the newer one; the old double compared ticks and applied it.
    /// Now both decide by event id, whatever the sub-millisecond ticks say.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task UpsertAsync_TwoVersionsInOneMillisecond_TheHigherEventIdWinsInEitherOrder()
    {
        var (store, reader) = await CreateAsync();
        var (a, b) = (ObjectId.GenerateNewId(), ObjectId.GenerateNewId());
        var (low, high) = (Event(0x10), Event(0x20));
        var early = T0.AddTicks(1_000);   // 0.1 ms
        var late = T0.AddTicks(9_000);    // 0.9 ms, same millisecond

        var appliedA = await store.UpsertAsync([Result(a, early, low, 0.1)], Ct);
        var laterA = await store.UpsertAsync([Result(a, late, high, 0.9)], Ct);
        await store.UpsertAsync([Result(b, late, high, 0.9)], Ct);
        var laterB = await store.UpsertAsync([Result(b, early, low, 0.1)], Ct);

        Assert.Equal([true], appliedA);
        Assert.Equal([true], laterA);
        Assert.Equal([false], laterB);
        var found = await reader.FindAsync([a, b], Ct);
        Assert.Equal(ModerationAction.Flag, found[a].Action);
        Assert.Equal(ModerationAction.Flag, found[b].Action);
    }

    [Fact(Timeout = 60_000)]
    public async Task UpsertAsync_LowerEventIdInALaterMillisecond_Wins()
    {
        var (store, reader) = await CreateAsync();
        var id = ObjectId.GenerateNewId();

        await store.UpsertAsync([Result(id, T0, Event(0x20), 0.1)], Ct);
        var applied = await store.UpsertAsync([Result(id, T0.AddMilliseconds(1), Event(0x10), 0.9)], Ct);

        Assert.Equal([true], applied);
        Assert.Equal(ModerationAction.Flag, (await reader.FindAsync([id], Ct))[id].Action);
    }

    [Fact(Timeout = 60_000)]
    public async Task UpsertAsync_TwoVersionsOfANewMessageInOneBatch_TheNewerWinsWhateverTheOrder()
    {
        var (store, reader) = await CreateAsync();
        var (a, b) = (ObjectId.GenerateNewId(), ObjectId.GenerateNewId());

        var appliedA = await store.UpsertAsync([Result(a, T0.AddMinutes(1), Guid.NewGuid(), 0.9), Result(a, T0, Guid.NewGuid(), 0.1)], Ct);
        var appliedB = await store.UpsertAsync([Result(b, T0, Guid.NewGuid(), 0.1), Result(b, T0.AddMinutes(1), Guid.NewGuid(), 0.9)], Ct);

        var found = await reader.FindAsync([a, b], Ct);
        Assert.Equal((ModerationAction.Flag, ModerationAction.Flag), (found[a].Action, found[b].Action));
        Assert.True(appliedA[0]);
        Assert.True(appliedB[1]);
    }

    [Fact(Timeout = 60_000)]
    public async Task MarkDeletedAsync_BeforeAndAfterScoring_KeepsTheResultAndMarksItDeleted()
    {
        var (store, reader) = await CreateAsync();
        var (scoredFirst, deletedFirst, neverScored) = (ObjectId.GenerateNewId(), ObjectId.GenerateNewId(), ObjectId.GenerateNewId());
        MessageDeletion Deletion(ObjectId id) => new(id, ResultFactory.Channel, ResultFactory.Workspace, ResultFactory.User, T0.AddHours(1));

        await store.UpsertAsync([Result(scoredFirst, T0, Guid.NewGuid(), 0.8)], Ct);
        await store.MarkDeletedAsync([Deletion(scoredFirst), Deletion(deletedFirst), Deletion(neverScored)], Ct);
        await store.MarkDeletedAsync([Deletion(deletedFirst)], Ct);
        await store.UpsertAsync([Result(deletedFirst, T0, Guid.NewGuid(), 0.8)], Ct);

        var found = await reader.FindAsync([scoredFirst, deletedFirst, neverScored], Ct);
        Assert.Equal(new StoredModeration(scoredFirst, ModerationAction.Flag, Result(scoredFirst, T0, Guid.Empty, 0.8).Scored.ContentHash, true), found[scoredFirst]);
        Assert.Equal((ModerationAction.Flag, true), (found[deletedFirst].Action, found[deletedFirst].Deleted));
        Assert.Equal(new StoredModeration(neverScored, null, null, true), found[neverScored]);
    }
}

/// <summary>The specification against the in-memory double (always runs).</summary>
public sealed class InMemoryAutoModerationResultStoreSpecification : AutoModerationResultStoreSpecification
{
    private readonly InMemoryAutoModerationResultStore _store = new();

    protected override Task<(IAutoModerationResultStore Store, IModerationActions Reader)> CreateAsync() =>
        Task.FromResult<(IAutoModerationResultStore, IModerationActions)>((_store, _store));

    protected override Task<DateTimeOffset?> ProcessedAtAsync(ObjectId messageId) =>
        Task.FromResult(_store.Results.GetValueOrDefault(messageId)?.Result?.ProcessedAt);
}

/// <summary>The specification against MongoDB (real lane), on a database with the worker's indexes built as at start.</summary>
public sealed class MongoAutoModerationResultStoreSpecification(MongoTestLane lane) : AutoModerationResultStoreSpecification
{
    private MongoCatalog? _catalog;

    protected override async Task<(IAutoModerationResultStore Store, IModerationActions Reader)> CreateAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        await new MongoIndexBootstrapper(_catalog, NullLogger<MongoIndexBootstrapper>.Instance)
            .EnsureAsync([IndexOwner.Moderation, IndexOwner.Analytics], TestContext.Current.CancellationToken);
        return (new MongoAutoModerationResultStore(_catalog), new MongoModerationActions(_catalog));
    }

    protected override async Task<DateTimeOffset?> ProcessedAtAsync(ObjectId messageId)
    {
        var document = await _catalog!.AutoModResults.Find(new BsonDocument("messageId", messageId)).SingleOrDefaultAsync(TestContext.Current.CancellationToken);
        return document?.GetValue("processedAt", BsonNull.Value) is BsonDateTime at ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero) : null;
    }
}
