using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

public sealed class MongoCatalogTests : IDisposable
{
    // Nothing listens on port 1; the catalog never does I/O, so no test here touches it.
    private readonly MongoDB.Driver.IMongoClient _client =
        MongoClientFactory.CreateClient(new MongoOptions { ConnectionString = "mongodb://127.0.0.1:1/" }, "quikapp-workers/tests");

    public void Dispose() => _client.Dispose();

    [Fact]
    public void Collections_DefaultOptions_LiveInTheSeedDatabases()
    {
        var catalog = new MongoCatalog(_client, new MongoOptions());

        Assert.Equal("QuikApp_messages.messages", catalog.Messages.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_messages.reactions", catalog.Reactions.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_messages.read_receipts", catalog.ReadReceipts.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_messages.users", catalog.Users.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_moderation.reports", catalog.Reports.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_moderation.auto_mod_results", catalog.AutoModResults.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_moderation.policies", catalog.Policies.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_ml.training_sets", catalog.TrainingSets.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_ml.training_examples", catalog.TrainingExamples.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_ml.models", catalog.Models.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_smartreply.reply_pairs", catalog.ReplyPairs.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_files.files", catalog.Files.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_files.temp_uploads", catalog.TempUploads.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_analytics.daily_message_stats", catalog.DailyMessageStats.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_analytics.moderation_daily", catalog.ModerationDaily.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_analytics.job_runs", catalog.JobRuns.CollectionNamespace.FullName);
        Assert.Equal("QuikApp_analytics.locks", catalog.Locks.CollectionNamespace.FullName);
    }

    [Fact]
    public void Collection_RenamedDatabase_UsesTheConfiguredName()
    {
        var catalog = new MongoCatalog(_client, new MongoOptions { FilesDatabase = "staging_files" });

        var files = catalog.Collection<FileRow>(QuikAppDatabase.Files, MongoCatalog.Collections.Files);

        Assert.Equal("staging_files.files", files.CollectionNamespace.FullName);
        Assert.Equal("staging_files", catalog.DatabaseName(QuikAppDatabase.Files));
    }

    [Fact]
    public void FilesBucket_UsesTheFsBucketInTheFilesDatabase()
    {
        var bucket = new MongoCatalog(_client, new MongoOptions()).FilesBucket();

        Assert.Equal("fs", bucket.Options.BucketName);
        Assert.Equal("QuikApp_files", bucket.Database.DatabaseNamespace.DatabaseName);
    }

    [Fact]
    public void ModelsBucket_UsesTheModelsBucketInTheMlDatabase()
    {
        var bucket = new MongoCatalog(_client, new MongoOptions()).ModelsBucket();

        Assert.Equal("models", bucket.Options.BucketName);
        Assert.Equal("QuikApp_ml", bucket.Database.DatabaseNamespace.DatabaseName);
    }

    [Fact]
    public void KnownCollections_CoverEveryDatabaseAndHaveNoDuplicates()
    {
        Assert.Equal(Enum.GetValues<QuikAppDatabase>().Order(), MongoCatalog.KnownCollections.Select(known => known.Database).Distinct().Order());
        Assert.Equal(MongoCatalog.KnownCollections.Count, MongoCatalog.KnownCollections.Distinct().Count());
    }

    public sealed class FileRow
    {
        public Guid FileId { get; set; }
    }
}
