using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Moderation.Tests.Results;

/// <summary>
/// The result store: the rendered commands (run here) and their behaviour on a real MongoDB 7 (the real-MongoDB lane,
/// skipped with its reason where none is reachable).
/// </summary>
public sealed class MongoAutoModerationResultStoreTests(MongoTestLane lane)
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) =>
        filter.Render(new RenderArgs<BsonDocument>(BsonSerializer.LookupSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry));

    private static BsonValue Render(UpdateDefinition<BsonDocument> update) =>
        update.Render(new RenderArgs<BsonDocument>(BsonSerializer.LookupSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry));

    [Fact]
    public void UpsertModel_MatchesOnlyAnOlderOrTheSameVersion_AndUpserts()
    {
        var eventId = Guid.NewGuid();
        var model = MongoAutoModerationResultStore.UpsertModel(ResultFactory.Result(ObjectId.GenerateNewId(), ContentKind.Edited, T0, eventId, 0.8, T0));

        var filter = Render(model.Filter);
        Assert.True(model.IsUpsert);
        var or = filter["$or"].AsBsonArray;
        Assert.Equal(new BsonDocument("content.at", new BsonDocument("$lt", T0.UtcDateTime)), or[0]);
        Assert.Equal(new BsonBinaryData(eventId, GuidRepresentation.Standard), or[1]["content.eventId"]);
        Assert.Equal(new BsonDocument("content", new BsonDocument("$exists", false)), or[2]);
    }

    [Fact]
    public void UpsertModel_WritesTheSeedShapePlusSignalsModelsAndVersion_AsLiterals()
    {
        var model = MongoAutoModerationResultStore.UpsertModel(ResultFactory.Result(ObjectId.GenerateNewId(), ContentKind.Sent, T0, Guid.NewGuid(), 0.8, T0));

        var pipeline = Render(model.Update).AsBsonArray;
        var set = Assert.Single(pipeline).AsBsonDocument["$set"].AsBsonDocument;
        foreach (var field in new[] { "messageId", "contentHash", "checks", "overallScore", "action", "models", "policyVersion", "content", "processedAt" })
        {
            Assert.True(set.Contains(field), $"missing {field}");
        }

        var checks = set["checks"]["$literal"].AsBsonDocument;
        Assert.Equal(0.8, checks["spam"]["score"].AsDouble);
        Assert.True(checks["spam"]["flagged"].AsBoolean);
        Assert.Equal("spam.links:4", checks["spam"]["signals"][0].AsString);
        Assert.Equal("flag", set["action"]["$literal"].AsString);
        Assert.Equal("sent", set["content"]["$literal"]["version"].AsString);
        // processedAt keeps its first value when the same version is applied again.
        Assert.Equal("$processedAt", set["processedAt"]["$cond"][1].AsString);
    }

    private async Task<(MongoAutoModerationResultStore Store, IMongoCollection<BsonDocument> Collection)> StoreAsync()
    {
        var scope = lane.Require();
        var catalog = scope.CreateCatalog();
        var bootstrapper = new MongoIndexBootstrapper(catalog, Microsoft.Extensions.Logging.Abstractions.NullLogger<MongoIndexBootstrapper>.Instance);
        await bootstrapper.EnsureAsync([IndexOwner.Moderation], TestContext.Current.CancellationToken);
        return (new MongoAutoModerationResultStore(catalog), catalog.AutoModResults);
    }

    [Fact(Timeout = 60_000)]
    public async Task UpsertAsync_OlderEventAfterNewer_ChangesNothing()
    {
        var (store, collection) = await StoreAsync();
        var id = ObjectId.GenerateNewId();
        var ct = TestContext.Current.CancellationToken;

        var first = await store.UpsertAsync([ResultFactory.Result(id, ContentKind.Edited, T0.AddMinutes(5), Guid.NewGuid(), 0.9, T0)], ct);
        var second = await store.UpsertAsync([ResultFactory.Result(id, ContentKind.Sent, T0, Guid.NewGuid(), 0.1, T0)], ct);

        Assert.Equal([true], first);
        Assert.Equal([false], second);
        var stored = await collection.Find(new BsonDocument("messageId", id)).SingleAsync(ct);
        Assert.Equal("edited", stored["content"]["version"].AsString);
        Assert.Equal(0.9, stored["checks"]["spam"]["score"].AsDouble);
    }

    [Fact(Timeout = 60_000)]
    public async Task UpsertAsync_Redelivery_ReappliesAndKeepsTheFirstProcessedAt()
    {
        var (store, collection) = await StoreAsync();
        var id = ObjectId.GenerateNewId();
        var eventId = Guid.NewGuid();
        var ct = TestContext.Current.CancellationToken;

        await store.UpsertAsync([ResultFactory.Result(id, ContentKind.Sent, T0, eventId, 0.8, T0)], ct);
        var again = await store.UpsertAsync([ResultFactory.Result(id, ContentKind.Sent, T0, eventId, 0.8, T0.AddHours(1))], ct);

        Assert.Equal([true], again);
        var stored = await collection.Find(new BsonDocument("messageId", id)).SingleAsync(ct);
        Assert.Equal(T0.UtcDateTime, stored["processedAt"].ToUniversalTime());
        Assert.Equal(1, await collection.CountDocumentsAsync(new BsonDocument("messageId", id), cancellationToken: ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task UpsertAsync_TwoVersionsOfANewMessageInOneBatch_TheNewerWinsWhateverTheOrder()
    {
        var (store, collection) = await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var a = ObjectId.GenerateNewId();
        var b = ObjectId.GenerateNewId();

        var appliedA = await store.UpsertAsync([
            ResultFactory.Result(a, ContentKind.Edited, T0.AddMinutes(1), Guid.NewGuid(), 0.9, T0),
            ResultFactory.Result(a, ContentKind.Sent, T0, Guid.NewGuid(), 0.1, T0)], ct);
        var appliedB = await store.UpsertAsync([
            ResultFactory.Result(b, ContentKind.Sent, T0, Guid.NewGuid(), 0.1, T0),
            ResultFactory.Result(b, ContentKind.Edited, T0.AddMinutes(1), Guid.NewGuid(), 0.9, T0)], ct);

        foreach (var id in new[] { a, b })
        {
            var stored = await collection.Find(new BsonDocument("messageId", id)).SingleAsync(ct);
            Assert.Equal("edited", stored["content"]["version"].AsString);
        }

        Assert.True(appliedA[0]);
        Assert.True(appliedB[1]);
    }

    [Fact(Timeout = 60_000)]
    public async Task MarkDeletedAsync_BeforeAndAfterScoring_KeepsTheResultForAuditAndMarksItDeleted()
    {
        var (store, collection) = await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var scoredFirst = ObjectId.GenerateNewId();
        var deletedFirst = ObjectId.GenerateNewId();
        var deletion = (ObjectId id) => new MessageDeletion(id, ResultFactory.Channel, ResultFactory.Workspace, ResultFactory.User, T0.AddHours(1));

        await store.UpsertAsync([ResultFactory.Result(scoredFirst, ContentKind.Sent, T0, Guid.NewGuid(), 0.8, T0)], ct);
        await store.MarkDeletedAsync([deletion(scoredFirst), deletion(deletedFirst)], ct);
        await store.MarkDeletedAsync([deletion(deletedFirst)], ct);
        await store.UpsertAsync([ResultFactory.Result(deletedFirst, ContentKind.Sent, T0, Guid.NewGuid(), 0.8, T0)], ct);

        foreach (var id in new[] { scoredFirst, deletedFirst })
        {
            var stored = await collection.Find(new BsonDocument("messageId", id)).SingleAsync(ct);
            Assert.True(stored["deleted"].AsBoolean);
            Assert.Equal(0.8, stored["checks"]["spam"]["score"].AsDouble);
        }
    }
}
