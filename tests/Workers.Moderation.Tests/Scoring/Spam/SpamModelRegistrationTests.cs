using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

public sealed class SpamModelRegistrationTests
{
    [Fact]
    public void AddSpamModel_NoModelPath_HoldsTheBundledModel()
    {
        using var provider = Services(new Dictionary<string, string?>());

        var holder = provider.GetRequiredService<SpamModelHolder>();

        Assert.Equal(SpamTestData.BundledClassifier.ModelVersion, holder.Current.ModelVersion);
    }

    [Fact]
    public void AddSpamModel_ModelPathToAMissingFile_FailsNamingTheSetting()
    {
        using var provider = Services(new Dictionary<string, string?> { ["Moderation:SpamModel:ModelPath"] = "/nonexistent/spam-model.zip" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SpamModelOptions>>().Value);

        Assert.Contains("Moderation:SpamModel:ModelPath", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSpamModel();
        return services.BuildServiceProvider();
    }
}
