using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

public sealed class MongoOptionsValidationTests
{
    private const string Password = "s3cretPW";

    [Fact]
    public void Defaults_MatchTheSeedDesign()
    {
        var options = new MongoOptions();

        Assert.Equal(20, options.MaxPoolSize);
        Assert.Equal(5, options.MinPoolSize);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ServerSelectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.HealthCheckTimeout);
        Assert.True(options.EnsureIndexesOnStart);
        Assert.Equal("QuikApp_messages", options.MessagesDatabase);
        Assert.Equal("QuikApp_moderation", options.ModerationDatabase);
        Assert.Equal("QuikApp_ml", options.MlDatabase);
        Assert.Equal("QuikApp_smartreply", options.SmartReplyDatabase);
        Assert.Equal("QuikApp_files", options.FilesDatabase);
        Assert.Equal("QuikApp_analytics", options.AnalyticsDatabase);
    }

    [Theory]
    [InlineData("mongodb://localhost:27017")]
    [InlineData("mongodb://QuikApp:secret@mongo1:27017,mongo2:27017/?replicaSet=rs0&authSource=admin")]
    [InlineData("mongodb+srv://QuikApp:secret@cluster0.example.net/?retryWrites=true")]
    public void Validate_GoodConnectionString_Succeeds(string connectionString)
    {
        var result = Validate(new Dictionary<string, string?> { ["Mongo:ConnectionString"] = connectionString });

        Assert.Null(result);
    }

    [Fact]
    public void Validate_MissingConnectionString_NamesTheSetting()
    {
        var message = Validate([]);

        Assert.Contains("Mongo:ConnectionString", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData($"http://app:{Password}@mongo:27017/")]
    [InlineData($"mongodb://app:{Password}@mongo:notaport/")]
    [InlineData($"mongodb://app:{Password}@/")]
    [InlineData($"mongodb://app:{Password}@mongo/?maxPoolSize=-3")]
    [InlineData($"mongodb://app:{Password}@mongo/?readPreference=bogus")]
    [InlineData($"mongodb+srv://app:{Password}@host1,host2/")]
    [InlineData($"mongodb://app:{Password}%zz@mongo/")]
    public void Validate_BadConnectionString_NamesTheSettingAndHidesThePassword(string connectionString)
    {
        var message = Validate(new Dictionary<string, string?> { ["Mongo:ConnectionString"] = connectionString });

        Assert.NotNull(message);
        Assert.Contains("Mongo:ConnectionString", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, message, StringComparison.Ordinal);
        Assert.DoesNotContain(connectionString, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_DriverMessageEchoingTheUrl_RemovesUrlAndPassword()
    {
        const string url = "mongodb://app:p%40ss@mongo/";

        var redacted = MongoOptionsValidator.Redact($"The connection string '{url}' is not valid; password p@ss", url);

        Assert.DoesNotContain("p%40ss", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("p@ss", redacted, StringComparison.Ordinal);
        Assert.Contains("<Mongo:ConnectionString>", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MinPoolSizeAboveMax_NamesBothSettings()
    {
        var message = Validate(new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = "mongodb://mongo/",
            ["Mongo:MinPoolSize"] = "30",
            ["Mongo:MaxPoolSize"] = "10",
        });

        Assert.Contains("Mongo:MinPoolSize", message, StringComparison.Ordinal);
        Assert.Contains("Mongo:MaxPoolSize", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UrlMaxPoolSizeBelowConfiguredMin_ReportsTheEffectiveSizes()
    {
        var message = Validate(new Dictionary<string, string?> { ["Mongo:ConnectionString"] = $"mongodb://app:{Password}@mongo/?maxPoolSize=3" });

        Assert.Contains("Mongo:MinPoolSize", message, StringComparison.Ordinal);
        Assert.Contains("(3)", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void Validate_MaxPoolSizeOutOfRange_NamesTheSetting(string value)
    {
        var message = Validate(new Dictionary<string, string?> { ["Mongo:ConnectionString"] = "mongodb://mongo/", ["Mongo:MaxPoolSize"] = value });

        Assert.Contains("Mongo:MaxPoolSize", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonPositiveTimeout_NamesTheSetting()
    {
        var message = Validate(new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = "mongodb://mongo/",
            ["Mongo:ServerSelectionTimeout"] = "00:00:00",
        });

        Assert.Contains("Mongo:ServerSelectionTimeout", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mongo:IndexBuildTimeout", "00:00:00")]
    [InlineData("Mongo:IndexBuildTimeout", "30.00:00:00")]
    [InlineData("Mongo:RequiredIndexRetryInterval", "-00:00:01")]
    [InlineData("Mongo:IndexCommitQuorum", "everyone")]
    [InlineData("Mongo:IndexCommitQuorum", "-1")]
    public void Validate_BadIndexBuildSetting_NamesTheSetting(string key, string value)
    {
        var message = Validate(new Dictionary<string, string?> { ["Mongo:ConnectionString"] = "mongodb://mongo/", [key] = value });

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("majority")]
    [InlineData("votingMembers")]
    [InlineData("2")]
    [InlineData("")]
    public void Validate_CommitQuorumTheServerAccepts_Succeeds(string quorum)
    {
        Assert.Null(Validate(new Dictionary<string, string?> { ["Mongo:ConnectionString"] = "mongodb://mongo/", ["Mongo:IndexCommitQuorum"] = quorum }));
    }

    [Fact]
    public void Defaults_IndexBuilds_AreBoundedAndDoNotWaitForEveryVotingMember()
    {
        var options = new MongoOptions();

        Assert.Equal(TimeSpan.FromMinutes(2), options.IndexBuildTimeout);
        Assert.Equal("majority", options.IndexCommitQuorum);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequiredIndexRetryInterval);
    }

    [Theory]
    [InlineData("QuikApp.files")]
    [InlineData("QuikApp files")]
    [InlineData("QuikApp$files")]
    public void Validate_InvalidDatabaseName_NamesTheSetting(string databaseName)
    {
        var message = Validate(new Dictionary<string, string?> { ["Mongo:ConnectionString"] = "mongodb://mongo/", ["Mongo:FilesDatabase"] = databaseName });

        Assert.Contains("Mongo:FilesDatabase", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateOnStart_BadConfiguration_FailsStartUpNamingTheSetting()
    {
        using var provider = Provider(new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = $"mongodb://app:{Password}@mongo/",
            ["Mongo:MaxPoolSize"] = "0",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Mongo:MaxPoolSize", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs the validation the host runs at start-up; returns the failure message, or null when valid.</summary>
    private static string? Validate(Dictionary<string, string?> settings)
    {
        using var provider = Provider(settings);
        try
        {
            _ = provider.GetRequiredService<IOptions<MongoOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddQuikAppMongo(configuration, "tests").BuildServiceProvider();
    }
}
