using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using QuikApp.Workers.Moderation.Results;

namespace QuikApp.Workers.Moderation.Tests.Results;

/// <summary>
/// The result store's rendered commands (run here). Its behaviour on a real MongoDB 7 is
/// <see cref="MongoAutoModerationResultStoreSpecification"/>.
/// </summary>
public sealed class MongoAutoModerationResultStoreTests
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
        Assert.Equal(new BsonDocument("$lte", new BsonBinaryData(eventId, GuidRepresentation.Standard)), or[1]["content.eventId"]);
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
}
