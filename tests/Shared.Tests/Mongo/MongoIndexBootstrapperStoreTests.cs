using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>Index bootstrap against a real MongoDB 7 (the lane skips these where there is none).</summary>
public sealed class MongoIndexBootstrapperStoreTests(MongoTestLane lane)
{
    private static readonly IndexOwner[] AllOwners = Enum.GetValues<IndexOwner>();

    [Fact(Timeout = 120_000)]
    public async Task EnsureAsync_EmptyDatabases_CreatesEveryDeclaredIndexAsDeclared()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;

        var report = await Bootstrapper(catalog).EnsureAsync(AllOwners, ct);

        Assert.False(report.HasConflicts, string.Join(Environment.NewLine, report.Conflicts));
        Assert.Equal(MongoIndexCatalog.All.Count, report.Created.Count);
        foreach (var collection in MongoIndexCatalog.All.GroupBy(index => index.CollectionRef))
        {
            var existing = await ListIndexesAsync(catalog, collection.Key, ct);
            Assert.Equal(
                collection.Select(index => index.Name).Append("_id_").Order(StringComparer.Ordinal),
                existing.Select(index => index["name"].AsString).Order(StringComparer.Ordinal));
            foreach (var index in collection)
            {
                var stored = Assert.Single(existing, candidate => candidate["name"] == index.Name);
                Assert.Empty(index.DifferencesFrom(stored));
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task EnsureAsync_EmptyDatabases_ServerStoresTheOptionsTheSeedAsksFor()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;

        await Bootstrapper(catalog).EnsureAsync(AllOwners, ct);

        var messages = await IndexesByNameAsync(catalog.Messages, ct);
        Assert.True(messages["clientMessageId_1_string"]["unique"].ToBoolean());
        Assert.False(messages["clientMessageId_1_string"].Contains("sparse"));
        Assert.Equal(BsonDocument.Parse("{ clientMessageId: { $type: 'string' } }"), messages["clientMessageId_1_string"]["partialFilterExpression"]);
        Assert.Equal(BsonDocument.Parse("{ _fts: 'text', _ftsx: 1 }"), messages["content_text"]["key"]);
        Assert.Equal(BsonDocument.Parse("{ content: 1 }"), messages["content_text"]["weights"]);
        Assert.Equal(BsonDocument.Parse("{ deleted: false }"), messages["channelId_1_createdAt_-1_notDeleted"]["partialFilterExpression"]);
        Assert.False(messages["channelId_1_createdAt_-1"].Contains("partialFilterExpression"));
        Assert.Equal(messages["channelId_1_createdAt_-1"]["key"], messages["channelId_1_createdAt_-1_notDeleted"]["key"]);

        var files = await IndexesByNameAsync(catalog.Files, ct);
        Assert.True(files["fileId_1"]["unique"].ToBoolean());
        Assert.Equal(MongoIndexCatalog.FilesExpiryBackstopSeconds, files["expiresAt_1"]["expireAfterSeconds"].ToInt32());
        Assert.Equal(BsonDocument.Parse("{ 'virusScan.status': 1, createdAt: 1 }"), files["virusScan.status_1_createdAt_1"]["key"]);

        var tempUploads = await IndexesByNameAsync(catalog.TempUploads, ct);
        Assert.Equal(86_400, tempUploads["createdAt_1"]["expireAfterSeconds"].ToInt32());

        var autoModResults = await IndexesByNameAsync(catalog.AutoModResults, ct);
        Assert.True(autoModResults["messageId_1"]["unique"].ToBoolean());

        var reactions = await IndexesByNameAsync(catalog.Reactions, ct);
        Assert.True(reactions["userId_1_messageId_1"]["unique"].ToBoolean());
        Assert.False(reactions["messageId_1_emoji_1"].Contains("unique"));
    }

    [Fact(Timeout = 120_000)]
    public async Task EnsureAsync_RunTwice_SecondRunFindsEverythingPresentAndChangesNothing()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var bootstrapper = Bootstrapper(catalog);
        await bootstrapper.EnsureAsync(AllOwners, ct);
        var before = await SnapshotAsync(catalog, ct);

        var second = await bootstrapper.EnsureAsync(AllOwners, ct);

        Assert.True(second.AllAlreadyPresent, second.ToString());
        Assert.Equal(MongoIndexCatalog.All.Count, second.AlreadyPresent.Count);
        Assert.Equal(before, await SnapshotAsync(catalog, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task EnsureAsync_ConflictingIndexesExist_ReportsEachAndDropsNone()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        // Same name and keys, not unique (the seed wants unique).
        await CreateAsync(catalog.Files, "{ fileId: 1 }", new CreateIndexOptions { Name = "fileId_1" }, ct);
        // Same name, other keys.
        await CreateAsync(catalog.Files, "{ uploadedBy: -1 }", new CreateIndexOptions { Name = "uploadedBy_1" }, ct);
        // Same keys under a name of its own.
        await CreateAsync(catalog.Files, "{ workspaceId: 1, createdAt: -1 }", new CreateIndexOptions { Name = "by_workspace" }, ct);
        // Only the TTL differs.
        await CreateAsync(catalog.TempUploads, "{ createdAt: 1 }", new CreateIndexOptions { Name = "createdAt_1", ExpireAfter = TimeSpan.FromHours(1) }, ct);
        var before = await SnapshotAsync(catalog, ct);

        var report = await Bootstrapper(catalog).EnsureAsync([IndexOwner.Files], ct);

        Assert.Equal(IndexConflictKind.SameNameDifferentOptions, ConflictOn(report, "files", "fileId_1"));
        Assert.Equal(IndexConflictKind.SameNameDifferentKeys, ConflictOn(report, "files", "uploadedBy_1"));
        Assert.Equal(IndexConflictKind.SameKeysDifferentName, ConflictOn(report, "files", "workspaceId_1_createdAt_-1"));
        Assert.Equal(IndexConflictKind.TtlExpiryDiffers, ConflictOn(report, "temp_uploads", "createdAt_1"));
        Assert.All(report.Conflicts, conflict => Assert.NotNull(conflict.ExistingIndex));
        // The others were still built: every Files index not named above (the owner declares four more).
        Assert.Equal(
            ["expiresAt_1", "virusScan.status_1_createdAt_1", "processing.retryAfter_1", "processing.published_1"],
            report.Created.Select(created => created.Index.Name));
        Assert.Equal(MongoIndexCatalog.OwnedBy([IndexOwner.Files]).Count, report.Created.Count + report.Conflicts.Count);
        // Nothing that was there was dropped or changed.
        var after = await SnapshotAsync(catalog, ct);
        Assert.All(before, existing => Assert.Contains(existing, after));
        var tempUploads = await IndexesByNameAsync(catalog.TempUploads, ct);
        Assert.Equal(3600, tempUploads["createdAt_1"]["expireAfterSeconds"].ToInt32());
        Assert.False((await IndexesByNameAsync(catalog.Files, ct))["fileId_1"].Contains("unique"));
    }

    [Fact(Timeout = 120_000)]
    public async Task EnsureAsync_OneOwner_TouchesOnlyThatOwnersDatabases()
    {
        var catalog = lane.Require().CreateCatalog();
        var ct = TestContext.Current.CancellationToken;

        var report = await Bootstrapper(catalog).EnsureAsync([IndexOwner.Moderation], ct);

        Assert.Equal(
            ["messageId_1", "status_1_reviewedAt_1", "kind_1_status_1_promotedAt_-1", "setId_1", "messageIds_1", "builtAt_1__id_1", "kind_1_createdAt_-1"],
            report.Created.Select(created => created.Index.Name));
        using var databases = await catalog.Database(QuikAppDatabase.Files).Client.ListDatabaseNamesAsync(ct);
        var names = await databases.ToListAsync(ct);
        Assert.Contains(catalog.DatabaseName(QuikAppDatabase.Moderation), names);
        Assert.DoesNotContain(catalog.DatabaseName(QuikAppDatabase.Files), names);
        Assert.DoesNotContain(catalog.DatabaseName(QuikAppDatabase.Messages), names);
    }

    [Fact(Timeout = 120_000)]
    public async Task BootstrapService_StartWithEnsureIndexesOnStart_BuildsTheWorkersIndexesBeforeReturning()
    {
        var scope = lane.Require();
        var catalog = scope.CreateCatalog();
        var ct = TestContext.Current.CancellationToken;
        var service = new MongoIndexBootstrapService(
            Bootstrapper(catalog),
            Options.Create(scope.CreateOptions()),
            new MongoIndexOwners([IndexOwner.Files]),
            NullLogger<MongoIndexBootstrapService>.Instance);

        await service.StartAsync(ct);

        Assert.NotNull(service.LastReport);
        Assert.Equal(MongoIndexCatalog.OwnedBy([IndexOwner.Files]).Count, service.LastReport.Created.Count);
        Assert.Contains("fileId_1", (await IndexesByNameAsync(catalog.Files, ct)).Keys);
    }

    [Fact(Timeout = 120_000)]
    public async Task EnsureAsync_UpstreamSeedDatabase_ReportsTheSeedsTtlAndTheNonUniqueMessageIdAndBuildsTheRest()
    {
        var scope = lane.Require();
        var ct = TestContext.Current.CancellationToken;
        var upstream = await (await UpstreamDatabase.In(scope).WithSeedIndexesAsync(ct)).WithConflictingIndexesAsync(ct);
        var catalog = upstream.Catalog;

        var report = await Bootstrapper(catalog).EnsureAsync([IndexOwner.Files, IndexOwner.Moderation, IndexOwner.MessageService], ct);

        // The seed's TTL 0 is a drift ttl-indexes fixes in place (collMod), not a rebuild.
        Assert.Equal(IndexConflictKind.TtlExpiryDiffers, ConflictOn(report, "files", "expiresAt_1"));
        // The upstream non-unique messageId_1 holds the name: the required uniqueness is missing, and reported as such.
        Assert.Equal(IndexConflictKind.SameNameDifferentOptions, ConflictOn(report, "auto_mod_results", "messageId_1"));
        Assert.Equal(["auto_mod_results.messageId_1"], report.RequiredUnsatisfied.Select(result => $"{result.Index.Collection}.{result.Index.Name}"));
        // Since 5.0 a partial unique index is another index than the seed's sparse unique one on the same key: built beside it.
        var messages = await IndexesByNameAsync(catalog.Messages, ct);
        Assert.True(messages["clientMessageId_1"]["sparse"].ToBoolean());
        Assert.Equal(BsonDocument.Parse("{ clientMessageId: { $type: 'string' } }"), messages["clientMessageId_1_string"]["partialFilterExpression"]);
        // The seed's unnamed partial index never existed (its default name was taken); ours is built under its own name.
        Assert.Equal(BsonDocument.Parse("{ deleted: false }"), messages["channelId_1_createdAt_-1_notDeleted"]["partialFilterExpression"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task EnsureAsync_DuplicateMessageIdsAlreadyStored_ReportsDuplicateKeysInsteadOfThrowing()
    {
        var scope = lane.Require();
        var ct = TestContext.Current.CancellationToken;
        var messageId = ObjectId.GenerateNewId();
        // No index yet (or a non-unique one under another name): nothing stopped duplicate results.
        var upstream = await UpstreamDatabase.In(scope).WithDocumentsAsync(
            scope.CreateCatalog().AutoModResults,
            [new BsonDocument { { "messageId", messageId }, { "score", 0.1 } }, new BsonDocument { { "messageId", messageId }, { "score", 0.9 } }],
            ct);

        var report = await Bootstrapper(upstream.Catalog).EnsureAsync([IndexOwner.Moderation], ct);

        var result = Assert.Single(report.Results, r => r.Index.Collection == "auto_mod_results" && r.Index.Name == "messageId_1");
        Assert.Equal(IndexConflictKind.DuplicateKeys, result.ConflictKind);
        Assert.Contains($"{upstream.Catalog.DatabaseName(QuikAppDatabase.Moderation)}.auto_mod_results", result.Detail, StringComparison.Ordinal);
        Assert.Equal([result], report.RequiredUnsatisfied);
        Assert.DoesNotContain("messageId_1", (await IndexesByNameAsync(upstream.Catalog.AutoModResults, ct)).Keys);
    }

    [Fact(Timeout = 120_000)]
    public async Task BootstrapService_RequiredIndexHeldByANonUniqueOne_IsNotReadyAndDoesNotOpenTheGate()
    {
        var scope = lane.Require();
        var ct = TestContext.Current.CancellationToken;
        var upstream = await UpstreamDatabase.In(scope).WithConflictingIndexesAsync(ct);
        var gate = new MongoRequiredIndexGate();
        var service = new MongoIndexBootstrapService(
            Bootstrapper(upstream.Catalog),
            Options.Create(scope.CreateOptions()),
            new MongoIndexOwners([IndexOwner.Moderation]),
            NullLogger<MongoIndexBootstrapService>.Instance,
            gate);

        await service.StartAsync(ct);

        Assert.False(gate.IsOpen);
        var health = await new MongoRequiredIndexesHealthCheck(gate).CheckHealthAsync(new HealthCheckContext(), ct);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("auto_mod_results", health.Description, StringComparison.Ordinal);
        await service.StopAsync(ct);
    }

    [Fact(Timeout = 120_000)]
    public async Task ClientMessageIdIndex_TwoExplicitNulls_BothStored_ADuplicateStringRefused()
    {
        var scope = lane.Require();
        var ct = TestContext.Current.CancellationToken;
        var catalog = scope.CreateCatalog();
        var index = Assert.Single(MongoIndexCatalog.All, i => i.Name == MongoIndexCatalog.ClientMessageIdIndexName);
        await Bootstrapper(catalog).EnsureAsync([index], ct);
        var (workspace, channel, user) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var now = DateTime.UtcNow;

        // The seed writes clientMessageId: null when the client sent none; the seed's sparse index refused the second one.
        await catalog.Messages.InsertOneAsync(UpstreamDatabase.SeedMessage(workspace, channel, user, now), cancellationToken: ct);
        await catalog.Messages.InsertOneAsync(UpstreamDatabase.SeedMessage(workspace, channel, user, now), cancellationToken: ct);
        await catalog.Messages.InsertOneAsync(UpstreamDatabase.SeedMessage(workspace, channel, user, now, "client-1"), cancellationToken: ct);
        var duplicate = await Assert.ThrowsAsync<MongoWriteException>(() =>
            catalog.Messages.InsertOneAsync(UpstreamDatabase.SeedMessage(workspace, channel, user, now, "client-1"), cancellationToken: ct));

        Assert.Equal(ServerErrorCategory.DuplicateKey, duplicate.WriteError.Category);
        Assert.Equal(3, await catalog.Messages.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task SeedsSparseClientMessageIdIndex_SecondExplicitNull_IsRefused_WhyTheCatalogDeviates()
    {
        var scope = lane.Require();
        var ct = TestContext.Current.CancellationToken;
        var upstream = await UpstreamDatabase.In(scope).WithSeedIndexesAsync(ct);
        var (workspace, channel, user) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await upstream.Catalog.Messages.InsertOneAsync(UpstreamDatabase.SeedMessage(workspace, channel, user, DateTime.UtcNow), cancellationToken: ct);

        var second = await Assert.ThrowsAsync<MongoWriteException>(() =>
            upstream.Catalog.Messages.InsertOneAsync(UpstreamDatabase.SeedMessage(workspace, channel, user, DateTime.UtcNow), cancellationToken: ct));

        // A sparse index skips only documents without the field; an explicit null is indexed, so two collide.
        Assert.Equal(ServerErrorCategory.DuplicateKey, second.WriteError.Category);
    }

    private static MongoIndexBootstrapper Bootstrapper(MongoCatalog catalog) => new(catalog, NullLogger<MongoIndexBootstrapper>.Instance);

    private static IndexConflictKind? ConflictOn(MongoIndexBootstrapReport report, string collection, string name) =>
        Assert.Single(report.Results, result => result.Index.Collection == collection && result.Index.Name == name).ConflictKind;

    private static Task<string> CreateAsync(IMongoCollection<BsonDocument> collection, string keys, CreateIndexOptions options, CancellationToken ct) =>
        collection.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(BsonDocument.Parse(keys), options), cancellationToken: ct);

    private static async Task<List<BsonDocument>> ListIndexesAsync(MongoCatalog catalog, MongoCollectionRef collection, CancellationToken ct)
    {
        using var cursor = await catalog.Collection<BsonDocument>(collection.Database, collection.Collection).Indexes.ListAsync(ct);
        return await cursor.ToListAsync(ct);
    }

    private static async Task<Dictionary<string, BsonDocument>> IndexesByNameAsync(IMongoCollection<BsonDocument> collection, CancellationToken ct)
    {
        using var cursor = await collection.Indexes.ListAsync(ct);
        return (await cursor.ToListAsync(ct)).ToDictionary(index => index["name"].AsString);
    }

    /// <summary>Every index spec in every collection the catalog declares indexes for, as JSON, sorted.</summary>
    private static async Task<List<string>> SnapshotAsync(MongoCatalog catalog, CancellationToken ct)
    {
        var snapshot = new List<string>();
        foreach (var collection in MongoIndexCatalog.All.Select(index => index.CollectionRef).Distinct())
        {
            foreach (var index in await ListIndexesAsync(catalog, collection, ct))
            {
                snapshot.Add($"{collection.Collection}:{index.ToJson()}");
            }
        }

        snapshot.Sort(StringComparer.Ordinal);
        return snapshot;
    }
}
