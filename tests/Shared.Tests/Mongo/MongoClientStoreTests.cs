using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>Client settings and serialization against a real MongoDB 7 (the lane skips these where there is none).</summary>
public sealed class MongoClientStoreTests(MongoTestLane lane)
{
    [Fact(Timeout = 60_000)]
    public async Task InsertOne_TypedGuid_IsStoredAsBinarySubtype4AndRoundTrips()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var row = new FileRow { Id = ObjectId.GenerateNewId(), FileId = Guid.NewGuid(), WorkspaceId = Guid.NewGuid() };
        var typed = catalog.Collection<FileRow>(QuikAppDatabase.Files, MongoCatalog.Collections.Files);

        await typed.InsertOneAsync(row, cancellationToken: ct);

        var raw = await catalog.Files.Find(new BsonDocument("_id", row.Id)).SingleAsync(ct);
        Assert.Equal(BsonBinarySubType.UuidStandard, raw["FileId"].AsBsonBinaryData.SubType);
        Assert.Equal(BsonBinarySubType.UuidStandard, raw["WorkspaceId"].AsBsonBinaryData.SubType);
        var found = await typed.Find(file => file.FileId == row.FileId).SingleAsync(ct);
        Assert.Equal(row.WorkspaceId, found.WorkspaceId);
    }

    [Fact(Timeout = 60_000)]
    public async Task Find_GuidFilterOnBsonDocuments_MatchesSubtype4Values()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var channelId = Guid.NewGuid();
        await catalog.Messages.InsertOneAsync(
            new BsonDocument { { "channelId", new BsonBinaryData(channelId, GuidRepresentation.Standard) }, { "content", "hello" } },
            cancellationToken: ct);

        var found = await catalog.Messages.Find(Builders<BsonDocument>.Filter.Eq("channelId", channelId)).SingleAsync(ct);

        Assert.Equal("hello", found["content"].AsString);
    }

    [Fact(Timeout = 60_000)]
    public async Task Collections_FromTheFactorysSettings_WriteWithMajorityAndJournal()
    {
        var scope = lane.Require();
        var ct = TestContext.Current.CancellationToken;
        using var client = MongoClientFactory.CreateClient(scope.CreateOptions(), "quikapp-workers/tests");
        var catalog = new MongoCatalog(client, scope.CreateOptions());

        Assert.Equal(new WriteConcern("majority", TimeSpan.FromSeconds(30), journal: true), catalog.AutoModResults.Settings.WriteConcern);
        // The server accepts (and waits for) w:majority, j:true on the lane's replica set.
        await catalog.AutoModResults.InsertOneAsync(new BsonDocument("messageId", ObjectId.GenerateNewId()), cancellationToken: ct);
        Assert.Equal(1, await catalog.AutoModResults.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task CheckHealthAsync_MongoDbAnswers_IsHealthy()
    {
        var scope = lane.Require();
        var options = scope.CreateOptions();

        var result = await new MongoHealthCheck(scope.Client, Options.Create(options))
            .CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    public sealed class FileRow
    {
        public ObjectId Id { get; set; }

        public Guid FileId { get; set; }

        public Guid WorkspaceId { get; set; }
    }
}
