using MongoDB.Bson;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

public sealed class MongoIndexDefinitionTests
{
    [Fact]
    public void ToIndexSpec_UniqueSparse_RendersOnlyTheOptionsThatAreSet()
    {
        var index = new MongoIndexDefinition
        {
            Owner = IndexOwner.MessageService,
            Database = QuikAppDatabase.Messages,
            Collection = MongoCatalog.Collections.Messages,
            Name = "clientMessageId_1",
            Keys = BsonDocument.Parse("{ clientMessageId: 1 }"),
            Unique = true,
            Sparse = true,
            Purpose = "the seed's shape",
        };

        Assert.Equal(
            BsonDocument.Parse("{ key: { clientMessageId: 1 }, name: 'clientMessageId_1', unique: true, sparse: true }"),
            index.ToIndexSpec());
    }

    [Fact]
    public void ToIndexSpec_ClientMessageId_IsUniqueAmongStringsOnly()
    {
        var spec = Find(MongoCatalog.Collections.Messages, MongoIndexCatalog.ClientMessageIdIndexName).ToIndexSpec();

        Assert.Equal(
            BsonDocument.Parse("{ key: { clientMessageId: 1 }, name: 'clientMessageId_1_string', unique: true, partialFilterExpression: { clientMessageId: { $type: 'string' } } }"),
            spec);
    }

    [Fact]
    public void ToIndexSpec_Required_IsNotRendered()
    {
        var spec = Find(MongoCatalog.Collections.AutoModResults, "messageId_1").ToIndexSpec();

        Assert.Equal(BsonDocument.Parse("{ key: { messageId: 1 }, name: 'messageId_1', unique: true }"), spec);
    }

    [Fact]
    public void ToIndexSpec_Ttl_RendersExpireAfterSecondsAsInt32()
    {
        var spec = Find(MongoCatalog.Collections.TempUploads, "createdAt_1").ToIndexSpec();

        Assert.Equal(BsonDocument.Parse("{ key: { createdAt: 1 }, name: 'createdAt_1', expireAfterSeconds: 86400 }"), spec);
        Assert.Equal(BsonType.Int32, spec["expireAfterSeconds"].BsonType);
    }

    [Fact]
    public void ToIndexSpec_FilesExpiry_RendersTheSevenDayBackstopNotTheSeedsZero()
    {
        var spec = Find(MongoCatalog.Collections.Files, "expiresAt_1").ToIndexSpec();

        Assert.Equal(BsonDocument.Parse("{ key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 604800 }"), spec);
    }

    [Fact]
    public void ToIndexSpec_Partial_RendersTheFilter()
    {
        var spec = Find(MongoCatalog.Collections.Messages, "channelId_1_createdAt_-1_notDeleted").ToIndexSpec();

        Assert.Equal(
            BsonDocument.Parse("{ key: { channelId: 1, createdAt: -1 }, name: 'channelId_1_createdAt_-1_notDeleted', partialFilterExpression: { deleted: false } }"),
            spec);
    }

    [Fact]
    public void ToIndexSpec_Text_KeepsTheTextKeyAsDeclared()
    {
        var spec = Find(MongoCatalog.Collections.Messages, "content_text").ToIndexSpec();

        Assert.Equal(BsonDocument.Parse("{ key: { content: 'text' }, name: 'content_text' }"), spec);
    }

    [Fact]
    public void ToIndexSpec_KeyOrder_IsPreserved()
    {
        var spec = Find(MongoCatalog.Collections.Files, "virusScan.status_1_createdAt_1").ToIndexSpec();

        Assert.Equal(["virusScan.status", "createdAt"], spec["key"].AsBsonDocument.Names);
    }

    [Fact]
    public void ToIndexSpec_CallerMutatesTheResult_CatalogIsUnchanged()
    {
        var index = Find(MongoCatalog.Collections.Files, "fileId_1");

        index.ToIndexSpec()["key"].AsBsonDocument.Add("extra", 1);
        index.Keys.Add("other", 1);

        Assert.Equal(BsonDocument.Parse("{ fileId: 1 }"), index.ToIndexSpec()["key"]);
    }

    [Theory]
    [InlineData("{ channelId: 1, createdAt: -1 }", "channelId_1_createdAt_-1")]
    [InlineData("{ content: 'text' }", "content_text")]
    [InlineData("{ 'virusScan.status': 1, createdAt: 1 }", "virusScan.status_1_createdAt_1")]
    [InlineData("{ fieldA: 1, fieldB: 'hashed', fieldC: -1 }", "fieldA_1_fieldB_hashed_fieldC_-1")]
    public void DefaultNameFor_KeyPattern_FollowsMongoDbsRule(string keys, string expected)
    {
        Assert.Equal(expected, MongoIndexDefinition.DefaultNameFor(BsonDocument.Parse(keys)));
    }

    [Fact]
    public void StoredKeyPattern_TextIndex_IsWhatListIndexesShows()
    {
        var stored = Find(MongoCatalog.Collections.Messages, "content_text").StoredKeyPattern();

        Assert.Equal(BsonDocument.Parse("{ _fts: 'text', _ftsx: 1 }"), stored);
    }

    [Fact]
    public void DifferencesFrom_ListIndexesShapeOfTheSameIndex_IsEmpty()
    {
        var existing = BsonDocument.Parse(
            "{ v: 2, key: { clientMessageId: 1 }, name: 'clientMessageId_1_string', unique: true, partialFilterExpression: { clientMessageId: { $type: 'string' } } }");

        Assert.Empty(Find(MongoCatalog.Collections.Messages, "clientMessageId_1_string").DifferencesFrom(existing));
    }

    [Fact]
    public void DifferencesFrom_StoredTextIndex_IsEmpty()
    {
        var existing = BsonDocument.Parse(
            "{ v: 2, key: { _fts: 'text', _ftsx: 1 }, name: 'content_text', weights: { content: 1 }, default_language: 'english', language_override: 'language', textIndexVersion: 3 }");

        Assert.Empty(Find(MongoCatalog.Collections.Messages, "content_text").DifferencesFrom(existing));
    }

    [Fact]
    public void DifferencesFrom_KeysStoredAsDoubles_IsEmpty()
    {
        var existing = new BsonDocument
        {
            { "v", 2 },
            { "key", new BsonDocument { { "workspaceId", 1.0 }, { "createdAt", -1.0 } } },
            { "name", "workspaceId_1_createdAt_-1" },
        };

        Assert.Empty(Find(MongoCatalog.Collections.Files, "workspaceId_1_createdAt_-1").DifferencesFrom(existing));
    }

    [Fact]
    public void DifferencesFrom_TtlStoredAsInt64_IsEmpty()
    {
        var existing = new BsonDocument
        {
            { "v", 2 },
            { "key", new BsonDocument("createdAt", 1) },
            { "name", "createdAt_1" },
            { "expireAfterSeconds", 86_400L },
        };

        Assert.Empty(Find(MongoCatalog.Collections.TempUploads, "createdAt_1").DifferencesFrom(existing));
    }

    [Fact]
    public void DifferencesFrom_EveryOptionDiffers_ListsEachOne()
    {
        var existing = BsonDocument.Parse(
            "{ v: 2, key: { fileId: -1 }, name: 'fileId_1', sparse: true, expireAfterSeconds: 60, partialFilterExpression: { deleted: false } }");

        var differences = Find(MongoCatalog.Collections.Files, "fileId_1").DifferencesFrom(existing);

        Assert.Equal(["key", "unique", "sparse", "expireAfterSeconds", "partialFilterExpression"], differences.Select(difference => difference.Option));
    }

    private static MongoIndexDefinition Find(string collection, string name) =>
        Assert.Single(MongoIndexCatalog.All, index => index.Collection == collection && index.Name == name);
}
