using MongoDB.Bson;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>The catalog against the seed (/docs/mongodb.md of the design), line by line.</summary>
public sealed class MongoIndexCatalogTests
{
    /// <summary>Every createIndex in the seed (plus the worker indexes of this issue), transcribed independently of the catalog.</summary>
    public static TheoryData<string, string, string, string> DeclaredIndexes => new()
    {
        // database, collection, keys, options
        { "QuikApp_messages", "messages", "{ channelId: 1, createdAt: -1 }", "{}" },
        { "QuikApp_messages", "messages", "{ threadId: 1, createdAt: 1 }", "{}" },
        { "QuikApp_messages", "messages", "{ userId: 1, createdAt: -1 }", "{}" },
        { "QuikApp_messages", "messages", "{ workspaceId: 1, createdAt: -1 }", "{}" },
        { "QuikApp_messages", "messages", "{ mentions: 1, createdAt: -1 }", "{}" },
        { "QuikApp_messages", "messages", "{ content: 'text' }", "{}" },
        // Deviation from the seed's { unique: true, sparse: true }: a sparse index indexes explicit nulls (docs/mongodb.md).
        { "QuikApp_messages", "messages", "{ clientMessageId: 1 }", "{ unique: true, partialFilterExpression: { clientMessageId: { $type: 'string' } } }" },
        { "QuikApp_messages", "messages", "{ channelId: 1, createdAt: -1 }", "{ partialFilterExpression: { deleted: false } }" },
        { "QuikApp_messages", "reactions", "{ messageId: 1, emoji: 1 }", "{}" },
        { "QuikApp_messages", "reactions", "{ userId: 1, messageId: 1 }", "{ unique: true }" },
        { "QuikApp_messages", "read_receipts", "{ channelId: 1, userId: 1 }", "{ unique: true }" },
        { "QuikApp_messages", "read_receipts", "{ userId: 1 }", "{}" },
        { "QuikApp_files", "files", "{ fileId: 1 }", "{ unique: true }" },
        { "QuikApp_files", "files", "{ workspaceId: 1, createdAt: -1 }", "{}" },
        { "QuikApp_files", "files", "{ uploadedBy: 1 }", "{}" },
        // Deviation from the seed's 0: a backstop behind expired-files (docs/analytics.md, "Housekeeping").
        { "QuikApp_files", "files", "{ expiresAt: 1 }", "{ expireAfterSeconds: 604800 }" },
        { "QuikApp_files", "temp_uploads", "{ createdAt: 1 }", "{ expireAfterSeconds: 86400 }" },
        { "QuikApp_moderation", "auto_mod_results", "{ messageId: 1 }", "{ unique: true }" },
        { "QuikApp_moderation", "reports", "{ status: 1, reviewedAt: 1 }", "{}" },
        { "QuikApp_ml", "models", "{ kind: 1, status: 1, promotedAt: -1 }", "{}" },
        { "QuikApp_ml", "training_examples", "{ setId: 1 }", "{}" },
        { "QuikApp_smartreply", "reply_pairs", "{ messageIds: 1 }", "{}" },
        { "QuikApp_smartreply", "reply_pairs", "{ builtAt: 1, _id: 1 }", "{}" },
        { "QuikApp_ml", "training_sets", "{ kind: 1, createdAt: -1 }", "{}" },
        { "QuikApp_files", "files", "{ 'virusScan.status': 1, createdAt: 1 }", "{}" },
        { "QuikApp_files", "files", "{ 'processing.retryAfter': 1 }", "{ partialFilterExpression: { 'processing.retryAfter': { $exists: true } } }" },
        { "QuikApp_files", "files", "{ 'processing.published': 1 }", "{ partialFilterExpression: { 'processing.published': false } }" },
        { "QuikApp_analytics", "job_runs", "{ job: 1, startedAt: -1 }", "{}" },
        { "QuikApp_analytics", "daily_message_stats", "{ workspaceId: 1, date: 1 }", "{ unique: true }" },
        { "QuikApp_analytics", "moderation_daily", "{ date: 1, workspaceId: 1 }", "{ unique: true }" },
        { "QuikApp_messages", "messages", "{ updatedAt: 1 }", "{}" },
        { "QuikApp_moderation", "auto_mod_results", "{ processedAt: 1 }", "{}" },
        { "QuikApp_moderation", "reports", "{ createdAt: 1 }", "{}" },
        { "QuikApp_files", "files", "{ deletedAt: 1 }", "{ partialFilterExpression: { deleted: true } }" },
        { "QuikApp_files", "files", "{ 'housekeeping.dueAt': 1 }", "{ partialFilterExpression: { 'housekeeping.dueAt': { $exists: true } } }" },
        { "QuikApp_messages", "messages", "{ deletedAt: 1 }", "{ partialFilterExpression: { deleted: true } }" },
    };

    [Theory]
    [MemberData(nameof(DeclaredIndexes))]
    public void All_DeclaresTheIndexWithItsOptions(string database, string collection, string keys, string options)
    {
        var keyPattern = BsonDocument.Parse(keys);
        var expected = BsonDocument.Parse(options);
        var defaults = new MongoOptions();

        var candidates = MongoIndexCatalog.All.Where(index =>
            defaults.DatabaseName(index.Database) == database &&
            index.Collection == collection &&
            MongoIndexDefinition.KeyPatternsEqual(index.Keys, keyPattern) &&
            Equals(index.PartialFilterExpression, expected.GetValue("partialFilterExpression", BsonNull.Value) as BsonDocument));

        var index = Assert.Single(candidates);
        Assert.Equal(expected.GetValue("unique", false).ToBoolean(), index.Unique);
        Assert.Equal(expected.GetValue("sparse", false).ToBoolean(), index.Sparse);
        Assert.Equal(expected.Contains("expireAfterSeconds") ? expected["expireAfterSeconds"].ToInt32() : null, index.ExpireAfterSeconds);
    }

    [Fact]
    public void All_DeclaresNothingBeyondTheList()
    {
        Assert.Equal(DeclaredIndexes.Count, MongoIndexCatalog.All.Count);
    }

    [Fact]
    public void All_NamesAreUniquePerCollection()
    {
        var duplicates = MongoIndexCatalog.All
            .GroupBy(index => (index.Database, index.Collection, index.Name))
            .Where(group => group.Count() > 1)
            .Select(group => group.Key);

        Assert.Empty(duplicates);
    }

    [Fact]
    public void All_RequiredIndexes_AreTheUniquenessInvariantsOfTheWorkers()
    {
        var required = MongoIndexCatalog.All.Where(index => index.Required).Select(index => $"{index.Collection}.{index.Name}");

        Assert.Equal(
            ["files.fileId_1", "auto_mod_results.messageId_1", "daily_message_stats.workspaceId_1_date_1", "moderation_daily.date_1_workspaceId_1"],
            required);
        Assert.All(MongoIndexCatalog.All.Where(index => index.Required), index =>
        {
            Assert.True(index.Unique);
            Assert.NotEqual(IndexOwner.MessageService, index.Owner);
        });
    }

    [Fact]
    public void All_FilesExpiryTtl_IsABackstopFarBeyondTheExpiredFilesHorizon()
    {
        var ttl = Assert.Single(MongoIndexCatalog.All, index => index.Collection == MongoCatalog.Collections.Files && index.ExpireAfterSeconds is not null);

        // expired-files claims 15 min ahead every 10 min; the monitor may only act after days of housekeeping outage.
        Assert.Equal("expiresAt_1", ttl.Name);
        Assert.True(ttl.ExpireAfterSeconds >= TimeSpan.FromDays(1).TotalSeconds, $"expireAfterSeconds {ttl.ExpireAfterSeconds}");
    }

    [Fact]
    public void All_ClientMessageId_IsUniqueOnlyAmongStrings_SoExplicitNullsDoNotCollide()
    {
        var index = Assert.Single(MongoIndexCatalog.All, index => index.Keys.Equals(BsonDocument.Parse("{ clientMessageId: 1 }")));

        Assert.True(index.Unique);
        Assert.False(index.Sparse);
        Assert.Equal(BsonDocument.Parse("{ clientMessageId: { $type: 'string' } }"), index.PartialFilterExpression);
        // Not the seed's default name, so it can be built beside the seed's sparse index before that one is dropped.
        Assert.Equal("clientMessageId_1_string", index.Name);
    }

    [Fact]
    public void All_FullIndexesUseMongoDbDefaultNames_SoUnnamedSeedIndexesMatch()
    {
        var renamed = MongoIndexCatalog.All
            .Where(index => index.PartialFilterExpression is null && index.Name != MongoIndexDefinition.DefaultNameFor(index.Keys))
            .Select(index => index.Name);

        Assert.Empty(renamed);
    }

    [Fact]
    public void All_PartialChannelIndex_HasADistinctNameFromTheFullOne()
    {
        var channelIndexes = MongoIndexCatalog.All
            .Where(index => index.Collection == MongoCatalog.Collections.Messages && index.Keys.Equals(BsonDocument.Parse("{ channelId: 1, createdAt: -1 }")))
            .ToList();

        Assert.Equal(2, channelIndexes.Count);
        Assert.Equal("channelId_1_createdAt_-1", Assert.Single(channelIndexes, index => index.PartialFilterExpression is null).Name);
        Assert.Equal("channelId_1_createdAt_-1_notDeleted", Assert.Single(channelIndexes, index => index.PartialFilterExpression is not null).Name);
    }

    [Fact]
    public void All_EveryIndexIsOnACollectionTheCatalogKnows()
    {
        var unknown = MongoIndexCatalog.All.Where(index => !MongoCatalog.KnownCollections.Contains(index.CollectionRef)).Select(index => index.Name);

        Assert.Empty(unknown);
    }

    [Fact]
    public void All_RespectsServerRules_NoSparsePartialAndTtlOnlyOnSingleFields()
    {
        Assert.DoesNotContain(MongoIndexCatalog.All, index => index.Sparse && index.PartialFilterExpression is not null);
        Assert.All(MongoIndexCatalog.All.Where(index => index.ExpireAfterSeconds is not null), index => Assert.Equal(1, index.Keys.ElementCount));
        Assert.All(MongoIndexCatalog.All, index => Assert.InRange(index.Name.Length, 1, 127));
    }

    [Fact]
    public void OwnedBy_Files_ReturnsOnlyTheFilesWorkersIndexes()
    {
        var owned = MongoIndexCatalog.OwnedBy([IndexOwner.Files]);

        Assert.Equal(
            ["fileId_1", "workspaceId_1_createdAt_-1", "uploadedBy_1", "expiresAt_1", "createdAt_1", "virusScan.status_1_createdAt_1",
                "processing.retryAfter_1", "processing.published_1"],
            owned.Select(index => index.Name));
        Assert.All(owned, index => Assert.Equal(QuikAppDatabase.Files, index.Database));
    }

    [Fact]
    public void OwnedBy_Moderation_ReturnsTheModerationWorkersIndexes()
    {
        var owned = MongoIndexCatalog.OwnedBy([IndexOwner.Moderation]);

        Assert.Equal([
            "messageId_1", "status_1_reviewedAt_1", "kind_1_status_1_promotedAt_-1", "setId_1", "messageIds_1", "builtAt_1__id_1", "kind_1_createdAt_-1",
        ], owned.Select(index => index.Name));
    }

    [Fact]
    public void OwnedBy_MessageService_ReturnsEveryQuikAppMessagesIndexButTheAnalyticsAndHousekeepingOnes()
    {
        var owned = MongoIndexCatalog.OwnedBy([IndexOwner.MessageService]);

        // The seed's twelve: eight on messages (with the partial one), two on reactions, two on read_receipts.
        Assert.Equal(12, owned.Count);
        Assert.All(owned, index => Assert.Equal(QuikAppDatabase.Messages, index.Database));
        Assert.DoesNotContain(owned, index => index.Name is "updatedAt_1" or "deletedAt_1");
    }

    [Fact]
    public void OwnedBy_Analytics_ReturnsTheMergeTargetsAndTheScansOfTheAnalyticsJobs()
    {
        var owned = MongoIndexCatalog.OwnedBy([IndexOwner.Analytics]);

        Assert.Equal(
            ["daily_message_stats.workspaceId_1_date_1", "moderation_daily.date_1_workspaceId_1", "messages.updatedAt_1", "auto_mod_results.processedAt_1", "reports.createdAt_1"],
            owned.Select(index => $"{index.Collection}.{index.Name}"));
        Assert.All(owned.Where(index => index.Database == QuikAppDatabase.Analytics), index => Assert.True(index.Unique));
    }

    [Fact]
    public void OwnedBy_Housekeeping_ReturnsThePartialIndexesOfItsScans()
    {
        var owned = MongoIndexCatalog.OwnedBy([IndexOwner.Housekeeping]);

        Assert.Equal(["files.deletedAt_1", "files.housekeeping.dueAt_1", "messages.deletedAt_1"], owned.Select(index => $"{index.Collection}.{index.Name}"));
        Assert.All(owned, index => Assert.NotNull(index.PartialFilterExpression));
    }

    [Fact]
    public void OwnedBy_EveryOwner_ReturnsEverything()
    {
        Assert.Equal(MongoIndexCatalog.All, MongoIndexCatalog.OwnedBy(Enum.GetValues<IndexOwner>()));
    }
}
