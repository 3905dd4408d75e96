using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

public sealed class MongoClientFactoryTests
{
    private const string AppName = "quikapp-workers/files";

    [Fact]
    public void CreateSettings_BareUrl_AppliesTheSeedDefaults()
    {
        var settings = MongoClientFactory.CreateSettings(new MongoOptions { ConnectionString = "mongodb://mongo:27017/" }, AppName);

        Assert.Equal(new WriteConcern("majority", TimeSpan.FromSeconds(30), journal: true), settings.WriteConcern);
        Assert.Equal(ReadPreferenceMode.Primary, settings.ReadPreference.ReadPreferenceMode);
        Assert.Equal(20, settings.MaxConnectionPoolSize);
        Assert.Equal(5, settings.MinConnectionPoolSize);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ServerSelectionTimeout);
        Assert.Equal(AppName, settings.ApplicationName);
    }

    [Fact]
    public void CreateSettings_OptionsGiven_UsesThemWhereTheUrlIsSilent()
    {
        var options = new MongoOptions
        {
            ConnectionString = "mongodb://mongo/",
            MaxPoolSize = 50,
            MinPoolSize = 0,
            ServerSelectionTimeout = TimeSpan.FromSeconds(3),
        };

        var settings = MongoClientFactory.CreateSettings(options, AppName);

        Assert.Equal(50, settings.MaxConnectionPoolSize);
        Assert.Equal(0, settings.MinConnectionPoolSize);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.ServerSelectionTimeout);
    }

    [Fact]
    public void CreateSettings_WriteConcernTimeoutGiven_BoundsTheMajorityWait()
    {
        // Without wtimeout a w:majority write waits for ever while a majority is down (issue 11, defect 12).
        var settings = MongoClientFactory.CreateSettings(
            new MongoOptions { ConnectionString = "mongodb://mongo/", WriteConcernTimeout = TimeSpan.FromSeconds(7) }, AppName);

        Assert.Equal(TimeSpan.FromSeconds(7), settings.WriteConcern.WTimeout);
    }

    [Fact]
    public void CreateSettings_UrlSetsW_UrlWinsAndJournalIsStillAdded()
    {
        var settings = MongoClientFactory.CreateSettings(new MongoOptions { ConnectionString = "mongodb://mongo/?w=1" }, AppName);

        Assert.Equal(new WriteConcern(1, TimeSpan.FromSeconds(30), journal: true), settings.WriteConcern);
    }

    [Fact]
    public void CreateSettings_UrlSetsJournalFalse_UrlWins()
    {
        var settings = MongoClientFactory.CreateSettings(new MongoOptions { ConnectionString = "mongodb://mongo/?journal=false" }, AppName);

        Assert.Equal(new WriteConcern("majority", TimeSpan.FromSeconds(30), journal: false), settings.WriteConcern);
    }

    [Fact]
    public void CreateSettings_UrlSetsUnacknowledgedWrites_DoesNotAddJournal()
    {
        var settings = MongoClientFactory.CreateSettings(new MongoOptions { ConnectionString = "mongodb://mongo/?w=0" }, AppName);

        Assert.Equal(WriteConcern.Unacknowledged, settings.WriteConcern);
    }

    [Fact]
    public void CreateSettings_UrlSetsWTimeout_KeepsItAlongsideTheDefaults()
    {
        var settings = MongoClientFactory.CreateSettings(new MongoOptions { ConnectionString = "mongodb://mongo/?wtimeoutMS=5000" }, AppName);

        Assert.Equal(new WriteConcern("majority", TimeSpan.FromSeconds(5), journal: true), settings.WriteConcern);
    }

    [Fact]
    public void CreateSettings_UrlSetsEverything_UrlWinsOverOptions()
    {
        const string url = "mongodb://mongo/?maxPoolSize=7&minPoolSize=2&serverSelectionTimeoutMS=500&appName=ops-console";
        var options = new MongoOptions { ConnectionString = url, MaxPoolSize = 50, MinPoolSize = 10 };

        var settings = MongoClientFactory.CreateSettings(options, AppName);

        Assert.Equal(7, settings.MaxConnectionPoolSize);
        Assert.Equal(2, settings.MinConnectionPoolSize);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.ServerSelectionTimeout);
        Assert.Equal("ops-console", settings.ApplicationName);
    }

    [Fact]
    public void CreateSettings_SrvUrl_ParsesWithoutTouchingDns()
    {
        var settings = MongoClientFactory.CreateSettings(
            new MongoOptions { ConnectionString = "mongodb+srv://app:secret@cluster0.example.invalid/" }, AppName);

        Assert.Equal(MongoDB.Driver.Core.Configuration.ConnectionStringScheme.MongoDBPlusSrv, settings.Scheme);
    }

    [Fact]
    public void CreateSettings_UrlAsksForSecondaries_ClientStillReadsThePrimary()
    {
        var settings = MongoClientFactory.CreateSettings(
            new MongoOptions { ConnectionString = "mongodb://mongo/?readPreference=secondaryPreferred" }, AppName);

        Assert.Equal(ReadPreferenceMode.Primary, settings.ReadPreference.ReadPreferenceMode);
    }

    [Fact]
    public void ApplicationNameFor_Worker_IsPrefixed()
    {
        Assert.Equal("quikapp-workers/moderation", MongoClientFactory.ApplicationNameFor("moderation"));
    }

    [Fact]
    public void CreateClient_CollectionsInheritMajorityJournaledWrites()
    {
        using var client = MongoClientFactory.CreateClient(new MongoOptions { ConnectionString = "mongodb://127.0.0.1:1/" }, AppName);
        var catalog = new MongoCatalog(client, new MongoOptions());

        Assert.Equal(new WriteConcern("majority", TimeSpan.FromSeconds(30), journal: true), catalog.Messages.Settings.WriteConcern);
        Assert.Equal(AppName, client.Settings.ApplicationName);
    }
}
