using MongoDB.Bson;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>The bootstrapper's pure parts: reading createIndexes replies and naming the culprit of a refusal.</summary>
public sealed class MongoIndexBootstrapperTests
{
    private const string Database = "QuikApp_files";
    private const string ServerError = "IndexOptionsConflict (85): Index already exists with a different name";

    [Fact]
    public void ReplyShowsNewIndex_IndexCountGrew_IsTrue()
    {
        var reply = BsonDocument.Parse("{ numIndexesBefore: 1, numIndexesAfter: 2, createdCollectionAutomatically: true, ok: 1 }");

        Assert.True(MongoIndexBootstrapper.ReplyShowsNewIndex(reply));
    }

    [Fact]
    public void ReplyShowsNewIndex_AllIndexesAlreadyExist_IsFalse()
    {
        var reply = BsonDocument.Parse("{ numIndexesBefore: 3, numIndexesAfter: 3, note: 'all indexes already exist', ok: 1 }");

        Assert.False(MongoIndexBootstrapper.ReplyShowsNewIndex(reply));
    }

    [Fact]
    public void ReplyShowsNewIndex_MongosReplyWithOneShardBuilding_IsTrue()
    {
        var reply = BsonDocument.Parse(
            "{ raw: { 'shard0/h:1': { numIndexesBefore: 2, numIndexesAfter: 2, note: 'all indexes already exist' }, 'shard1/h:2': { numIndexesBefore: 1, numIndexesAfter: 2 } }, ok: 1 }");

        Assert.True(MongoIndexBootstrapper.ReplyShowsNewIndex(reply));
    }

    [Fact]
    public void ClassifyConflict_SameNameOtherOptions_IsSameNameDifferentOptions()
    {
        var existing = BsonDocument.Parse("{ v: 2, key: { fileId: 1 }, name: 'fileId_1' }");

        var result = MongoIndexBootstrapper.ClassifyConflict(Find("fileId_1"), Database, [IdIndex, existing], ServerError);

        Assert.Equal(IndexBootstrapOutcome.Conflict, result.Outcome);
        Assert.Equal(IndexConflictKind.SameNameDifferentOptions, result.ConflictKind);
        Assert.Same(existing, result.ExistingIndex);
        Assert.Contains("unique", result.Detail, StringComparison.Ordinal);
        Assert.Equal("QuikApp_files.files", result.Namespace);
    }

    [Fact]
    public void ClassifyConflict_SameNameOtherKeys_IsSameNameDifferentKeys()
    {
        var existing = BsonDocument.Parse("{ v: 2, key: { uploadedBy: -1 }, name: 'uploadedBy_1' }");

        var result = MongoIndexBootstrapper.ClassifyConflict(Find("uploadedBy_1"), Database, [IdIndex, existing], ServerError);

        Assert.Equal(IndexConflictKind.SameNameDifferentKeys, result.ConflictKind);
    }

    [Fact]
    public void ClassifyConflict_OnlyTtlDiffers_IsTtlExpiryDiffers()
    {
        var existing = BsonDocument.Parse("{ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 3600 }");

        var result = MongoIndexBootstrapper.ClassifyConflict(Find("expiresAt_1"), Database, [IdIndex, existing], ServerError);

        Assert.Equal(IndexConflictKind.TtlExpiryDiffers, result.ConflictKind);
        Assert.Equal("expireAfterSeconds: declared 604800, existing 3600", result.Detail);
    }

    [Fact]
    public void ClassifyConflict_SeedsTtlAtTheDate_IsTtlExpiryDiffers_WhichTtlIndexesFixesWithCollMod()
    {
        // What the seed's db.files.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }) leaves.
        var existing = BsonDocument.Parse("{ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 0 }");

        var result = MongoIndexBootstrapper.ClassifyConflict(Find("expiresAt_1"), Database, [IdIndex, existing], ServerError);

        Assert.Equal(IndexConflictKind.TtlExpiryDiffers, result.ConflictKind);
        Assert.Equal("expireAfterSeconds: declared 604800, existing 0", result.Detail);
    }

    [Fact]
    public void ClassifyConflict_NonUniqueIndexUnderAnotherName_PrefersTheSameKeysIndexThatIsTheSameIndex()
    {
        // Since 5.0 unique is part of an index's identity: a non-unique index on the keys does not make ours "the same".
        var nonUnique = BsonDocument.Parse("{ v: 2, key: { messageId: 1 }, name: 'by_message' }");
        var unique = BsonDocument.Parse("{ v: 2, key: { messageId: 1 }, name: 'message_unique', unique: true }");
        var index = Assert.Single(MongoIndexCatalog.All, i => i.Collection == MongoCatalog.Collections.AutoModResults && i.Name == "messageId_1");

        var result = MongoIndexBootstrapper.ClassifyConflict(index, Database, [IdIndex, nonUnique, unique], ServerError);

        Assert.Equal(IndexConflictKind.SameKeysDifferentName, result.ConflictKind);
        Assert.Equal("message_unique", result.ExistingIndex!["name"].AsString);
    }

    [Fact]
    public void ClassifyConflict_TtlAndUniquenessDiffer_IsNotReportedAsTtlOnly()
    {
        var existing = BsonDocument.Parse("{ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 3600, unique: true }");

        var result = MongoIndexBootstrapper.ClassifyConflict(Find("expiresAt_1"), Database, [IdIndex, existing], ServerError);

        Assert.Equal(IndexConflictKind.SameNameDifferentOptions, result.ConflictKind);
    }

    [Fact]
    public void ClassifyConflict_SameKeysUnderAnotherName_NamesTheExistingIndex()
    {
        var existing = BsonDocument.Parse("{ v: 2, key: { workspaceId: 1, createdAt: -1 }, name: 'by_workspace' }");

        var result = MongoIndexBootstrapper.ClassifyConflict(Find("workspaceId_1_createdAt_-1"), Database, [IdIndex, existing], ServerError);

        Assert.Equal(IndexConflictKind.SameKeysDifferentName, result.ConflictKind);
        Assert.Contains("by_workspace", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyConflict_PartialIndexRefused_PrefersTheExistingIndexWithTheSameFilter()
    {
        var full = BsonDocument.Parse("{ v: 2, key: { channelId: 1, createdAt: -1 }, name: 'channelId_1_createdAt_-1' }");
        var partial = BsonDocument.Parse("{ v: 2, key: { channelId: 1, createdAt: -1 }, name: 'live_by_channel', partialFilterExpression: { deleted: false } }");
        var index = Assert.Single(MongoIndexCatalog.All, i => i.Name == "channelId_1_createdAt_-1_notDeleted");

        var result = MongoIndexBootstrapper.ClassifyConflict(index, "QuikApp_messages", [IdIndex, full, partial], ServerError);

        Assert.Equal(IndexConflictKind.SameKeysDifferentName, result.ConflictKind);
        Assert.Same(partial, result.ExistingIndex);
    }

    [Fact]
    public void ClassifyConflict_NothingMatches_IsOtherWithTheServerError()
    {
        var result = MongoIndexBootstrapper.ClassifyConflict(Find("fileId_1"), Database, [IdIndex], ServerError);

        Assert.Equal(IndexConflictKind.Other, result.ConflictKind);
        Assert.Equal(ServerError, result.Detail);
    }

    [Fact]
    public void Report_Summary_CountsEachOutcome()
    {
        var report = new MongoIndexBootstrapReport(
        [
            new(Find("fileId_1"), Database, IndexBootstrapOutcome.Created),
            new(Find("uploadedBy_1"), Database, IndexBootstrapOutcome.AlreadyPresent),
            new(Find("expiresAt_1"), Database, IndexBootstrapOutcome.Conflict, IndexConflictKind.TtlExpiryDiffers),
        ]);

        Assert.Equal("3 indexes: 1 created, 1 already present, 1 conflicting", report.ToString());
        Assert.True(report.HasConflicts);
        Assert.False(report.AllAlreadyPresent);
    }

    private static BsonDocument IdIndex => BsonDocument.Parse("{ v: 2, key: { _id: 1 }, name: '_id_' }");

    private static MongoIndexDefinition Find(string name) =>
        Assert.Single(MongoIndexCatalog.All, index => index.Database == QuikAppDatabase.Files && index.Name == name);
}
