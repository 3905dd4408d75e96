using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>
/// Every read the fleet makes feeds a write or a watermark, so every handle the catalog gives out reads from the
/// primary, whatever the URL asks for (docs/mongodb.md, "Read preference").
/// </summary>
public sealed class MongoCatalogReadPreferenceTests : IDisposable
{
    // Nothing listens on port 1; the catalog never does I/O. The URL asks for secondaries, as the seed's clients do.
    private readonly MongoClient _client = new(
        MongoClientSettings.FromConnectionString("mongodb://127.0.0.1:1/?readPreference=secondaryPreferred"));

    public void Dispose() => _client.Dispose();

    public static TheoryData<QuikAppDatabase, string> KnownCollections()
    {
        var data = new TheoryData<QuikAppDatabase, string>();
        foreach (var known in MongoCatalog.KnownCollections)
        {
            data.Add(known.Database, known.Collection);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KnownCollections))]
    public void Collection_ClientDefaultsToSecondaries_ReadsThePrimary(QuikAppDatabase database, string collection)
    {
        var catalog = new MongoCatalog(_client, new MongoOptions());

        Assert.Equal(ReadPreference.Primary, catalog.Collection<MongoDB.Bson.BsonDocument>(database, collection).Settings.ReadPreference);
    }

    [Fact]
    public void NamedCollections_ClientDefaultsToSecondaries_AllReadThePrimary()
    {
        var catalog = new MongoCatalog(_client, new MongoOptions());

        Assert.All(
            [catalog.Messages, catalog.Reactions, catalog.ReadReceipts, catalog.Users, catalog.Reports, catalog.AutoModResults,
             catalog.Policies, catalog.TrainingSets, catalog.TrainingExamples, catalog.Models, catalog.ReplyPairs, catalog.Files,
             catalog.TempUploads, catalog.DailyMessageStats, catalog.ModerationDaily, catalog.JobRuns, catalog.Locks, catalog.JobState],
            collection => Assert.Equal(ReadPreference.Primary, collection.Settings.ReadPreference));
    }

    [Fact]
    public void Databases_ClientDefaultsToSecondaries_ReadThePrimary()
    {
        var catalog = new MongoCatalog(_client, new MongoOptions());

        Assert.All(Enum.GetValues<QuikAppDatabase>(), database =>
            Assert.Equal(ReadPreference.Primary, catalog.Database(database).Settings.ReadPreference));
    }

    [Fact]
    public void GridFsBuckets_ClientDefaultsToSecondaries_ReadThePrimary()
    {
        var catalog = new MongoCatalog(_client, new MongoOptions());

        // The models bucket's existence check guards a delete of chunks (issue 11, defect 3).
        Assert.Equal(ReadPreference.Primary, catalog.ModelsBucket().Options.ReadPreference);
        Assert.Equal(ReadPreference.Primary, catalog.FilesBucket().Options.ReadPreference);
        Assert.Equal(ReadPreference.Primary, catalog.GridFsBucket("fs").Options.ReadPreference);
    }
}
