using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>What <see cref="ITrainingSetStore"/> promises: idempotent saves, stale examples removed, createdAt kept, pruning.</summary>
public abstract class TrainingSetStoreSpecification
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 29, 3, 5, 0, TimeSpan.Zero);

    protected abstract Task<ITrainingSetStore> CreateAsync();

    /// <summary>The ids of a set's stored examples, in ordinal order.</summary>
    protected abstract Task<IReadOnlyList<string>> ExampleIdsAsync(string setId);

    /// <summary>The set record's stored createdAt and whether it is stamped pruned; null when there is no record.</summary>
    protected abstract Task<(DateTimeOffset CreatedAt, bool Pruned)?> RecordAsync(string setId);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static TrainingSetSnapshot Snapshot(DateTimeOffset cutoff, int messages)
    {
        var ids = Enumerable.Range(0, messages).Select(i => ObjectId.Parse($"65a{i:x21}")).ToList();
        var labels = ids.Select((id, i) => new MessageLabels(id,
            i % 2 == 0 ? new TaskLabel(true, cutoff.AddDays(-1)) : null,
            i % 2 == 1 ? new TaskLabel(false, cutoff.AddDays(-1)) : null, false)).ToList();
        var contents = ids.Select((id, i) => new MessageContent(id, $"message {i}", false, null)).ToDictionary(m => m.MessageId);
        return TrainingSetBuilder.Build(labels, contents, cutoff, cutoff);
    }

    [Fact(Timeout = 60_000)]
    public async Task SaveAsync_AgainWithFewerExamples_RemovesTheStaleOneAndKeepsTheFirstCreatedAtToTheMillisecond()
    {
        var store = await CreateAsync();
        var snapshot = Snapshot(T0, messages: 3);
        var setId = snapshot.Record.Id;

        await store.SaveAsync(snapshot with { Record = snapshot.Record with { CreatedAt = T0.AddTicks(6_789) } }, Ct);
        await store.SaveAsync(snapshot with { Record = snapshot.Record with { CreatedAt = T0.AddDays(1) } }, Ct);
        var fewer = Snapshot(T0, messages: 2);
        await store.SaveAsync(fewer with { Record = fewer.Record with { CreatedAt = T0.AddDays(2) } }, Ct);

        Assert.Equal(fewer.Examples.Select(e => e.Id).Order(StringComparer.Ordinal), await ExampleIdsAsync(setId));
        Assert.Equal((T0, false), await RecordAsync(setId));
    }

    [Fact(Timeout = 60_000)]
    public async Task PruneExamplesAsync_ThreeSets_DeletesTheOldestSetsExamplesOnceAndKeepsItsRecord()
    {
        var store = await CreateAsync();
        var sets = new[] { 0, 7, 14 }.Select(days => Snapshot(T0.AddDays(days), messages: 2)).ToList();
        foreach (var set in sets)
        {
            await store.SaveAsync(set, Ct);
        }

        Assert.Equal(1, await store.PruneExamplesAsync(keepNewest: 2, T0.AddDays(15), Ct));
        Assert.Equal(0, await store.PruneExamplesAsync(keepNewest: 2, T0.AddDays(16), Ct));

        Assert.Empty(await ExampleIdsAsync(sets[0].Record.Id));
        Assert.Equal(2, (await ExampleIdsAsync(sets[2].Record.Id)).Count);
        Assert.Equal((sets[0].Record.CreatedAt, true), await RecordAsync(sets[0].Record.Id));
    }

    [Fact(Timeout = 60_000)]
    public async Task SaveAsync_APrunedSetAgain_RestoresItsExamplesAndClearsThePrunedStamp()
    {
        var store = await CreateAsync();
        var old = Snapshot(T0, messages: 2);
        await store.SaveAsync(old, Ct);
        await store.SaveAsync(Snapshot(T0.AddDays(7), messages: 2), Ct);
        await store.PruneExamplesAsync(keepNewest: 1, T0.AddDays(8), Ct);

        await store.SaveAsync(old, Ct);

        Assert.Equal(2, (await ExampleIdsAsync(old.Record.Id)).Count);
        Assert.Equal((old.Record.CreatedAt, false), await RecordAsync(old.Record.Id));
    }
}

/// <summary>The specification against the in-memory double (always runs).</summary>
public sealed class InMemoryTrainingSetStoreSpecification : TrainingSetStoreSpecification
{
    private readonly InMemoryTrainingSetStore _store = new();

    protected override Task<ITrainingSetStore> CreateAsync() => Task.FromResult<ITrainingSetStore>(_store);

    protected override Task<IReadOnlyList<string>> ExampleIdsAsync(string setId) =>
        Task.FromResult<IReadOnlyList<string>>([.. _store.ExamplesOf(setId).Select(e => e.Id)]);

    protected override Task<(DateTimeOffset CreatedAt, bool Pruned)?> RecordAsync(string setId) =>
        Task.FromResult(_store.Records.TryGetValue(setId, out var record) ? (record.CreatedAt, _store.Pruned.Contains(setId)) : ((DateTimeOffset, bool)?)null);
}

/// <summary>The specification against MongoDB (real lane), with the worker's indexes built.</summary>
public sealed class MongoTrainingSetStoreSpecification(MongoTestLane lane) : TrainingSetStoreSpecification
{
    private MongoCatalog? _catalog;

    protected override async Task<ITrainingSetStore> CreateAsync()
    {
        _catalog = lane.Require().CreateCatalog();
        await new MongoIndexBootstrapper(_catalog, NullLogger<MongoIndexBootstrapper>.Instance).EnsureAsync([IndexOwner.Moderation], TestContext.Current.CancellationToken);
        return new MongoTrainingSetStore(_catalog);
    }

    protected override async Task<IReadOnlyList<string>> ExampleIdsAsync(string setId)
    {
        var documents = await _catalog!.TrainingExamples.Find(new BsonDocument("setId", setId)).ToListAsync(TestContext.Current.CancellationToken);
        return [.. documents.Select(d => d["_id"].AsString).Order(StringComparer.Ordinal)];
    }

    protected override async Task<(DateTimeOffset CreatedAt, bool Pruned)?> RecordAsync(string setId)
    {
        var record = await _catalog!.TrainingSets.Find(new BsonDocument("_id", setId)).SingleOrDefaultAsync(TestContext.Current.CancellationToken);
        return record is null ? null : (new DateTimeOffset(record["createdAt"].ToUniversalTime(), TimeSpan.Zero), record.Contains("examplesPrunedAt"));
    }
}
