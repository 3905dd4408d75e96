using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>The createIndexes command the bootstrapper sends, and what it reports when a build cannot finish.</summary>
public sealed class MongoIndexBuildTests
{
    private static MongoIndexDefinition AutoModMessageId =>
        Assert.Single(MongoIndexCatalog.All, index => index.Collection == MongoCatalog.Collections.AutoModResults && index.Name == "messageId_1");

    [Fact]
    public void CreateIndexesCommand_Defaults_BoundsTheBuildAndAsksForAMajorityCommitQuorum()
    {
        var command = MongoIndexBootstrapper.CreateIndexesCommand(AutoModMessageId, new MongoOptions(), WriteConcern.WMajority);

        Assert.Equal(
            BsonDocument.Parse("""
                { createIndexes: 'auto_mod_results', indexes: [ { key: { messageId: 1 }, name: 'messageId_1', unique: true } ],
                  commitQuorum: 'majority', maxTimeMS: NumberLong(120000), writeConcern: { w: 'majority' } }
                """),
            command);
    }

    [Fact]
    public void CreateIndexesCommand_MemberCountAndNoQuorum_RenderAsTheServerExpects()
    {
        var counted = MongoIndexBootstrapper.CreateIndexesCommand(AutoModMessageId, new MongoOptions { IndexCommitQuorum = "2" }, WriteConcern.Unacknowledged);
        var standalone = MongoIndexBootstrapper.CreateIndexesCommand(
            AutoModMessageId, new MongoOptions { IndexCommitQuorum = "", IndexBuildTimeout = TimeSpan.FromSeconds(1.5) }, new WriteConcern());

        Assert.Equal(new BsonInt32(2), counted["commitQuorum"]);
        Assert.False(standalone.Contains("commitQuorum"));
        Assert.Equal(1500L, standalone["maxTimeMS"].ToInt64());
        Assert.False(standalone.Contains("writeConcern"));
    }

    [Fact]
    public void ClientDeadline_ShortAndLongBuildTimeouts_AddABoundedGrace()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), MongoIndexBootstrapper.ClientDeadline(TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(135), MongoIndexBootstrapper.ClientDeadline(TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void DuplicateKeysConflict_NamesTheCollectionAndSaysDuplicatesExist()
    {
        var result = MongoIndexBootstrapper.DuplicateKeysConflict(AutoModMessageId, "QuikApp_moderation");

        Assert.Equal(IndexBootstrapOutcome.Conflict, result.Outcome);
        Assert.Equal(IndexConflictKind.DuplicateKeys, result.ConflictKind);
        Assert.Contains("QuikApp_moderation.auto_mod_results", result.Detail, StringComparison.Ordinal);
        Assert.Contains("duplicate values", result.Detail, StringComparison.Ordinal);
        Assert.True(result.IsUnsatisfied);
    }

    [Fact(Timeout = 30_000)]
    public async Task EnsureAsync_NoServerAnswersWithinTheBuildTimeout_ReportsTimedOutInsteadOfWaiting()
    {
        // Nothing listens on port 1: server selection would wait its full 30 s; the build timeout must end it first.
        var options = new MongoOptions
        {
            ConnectionString = "mongodb://127.0.0.1:1/?directConnection=true",
            ServerSelectionTimeout = TimeSpan.FromSeconds(30),
            IndexBuildTimeout = TimeSpan.FromMilliseconds(300),
        };
        using var client = MongoClientFactory.CreateClient(options, "quikapp-workers/tests");
        var bootstrapper = new MongoIndexBootstrapper(new MongoCatalog(client, options), NullLogger<MongoIndexBootstrapper>.Instance, Options.Create(options));
        var started = TimeProvider.System.GetTimestamp();

        var report = await bootstrapper.EnsureAsync([AutoModMessageId], TestContext.Current.CancellationToken);

        var result = Assert.Single(report.Results);
        Assert.Equal(IndexBootstrapOutcome.TimedOut, result.Outcome);
        Assert.Contains("Mongo:IndexBuildTimeout", result.Detail, StringComparison.Ordinal);
        Assert.True(report.HasConflicts);
        Assert.Equal([result], report.RequiredUnsatisfied);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }
}
