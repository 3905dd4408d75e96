using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Toxicity;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.Tests.Learning;

public sealed class LearningRegistrationTests
{
    [Fact]
    public void AddModerationLearning_Defaults_RegistersTheJobTheWatcherAndOneToxicityHolderForTheScorer()
    {
        var services = Collection(new Dictionary<string, string?>());
        using var provider = services.BuildServiceProvider();

        using var scope = provider.CreateScope();
        Assert.IsType<ModerationRetrainingJob>(scope.ServiceProvider.GetRequiredKeyedService<IScheduledJob>(ModerationRetrainingJob.Name));
        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PromotedModelWatcher));
        var registration = Assert.Single(provider.GetServices<ScheduledJobRegistration>());
        Assert.Equal((ModerationRetrainingJob.Name, "0 0 3 ? * SUN"), (registration.Name, registration.DefaultCron));
        Assert.Same(provider.GetRequiredService<ToxicityModelHolder>(), provider.GetRequiredService<ToxicityModelHolder>());
        Assert.NotNull(provider.GetRequiredService<MessageScorer>());
        Assert.Equal(TimeSpan.FromSeconds(60), provider.GetRequiredService<IOptions<LearningOptions>>().Value.ReloadInterval);
    }

    [Theory]
    [InlineData("MinAucGain", "1.5", "Moderation:Learning:MinAucGain must be between 0 and 1 (was 1.5).")]
    [InlineData("MaxF1Loss", "-0.1", "Moderation:Learning:MaxF1Loss must be between 0 and 1 (was -0.1).")]
    [InlineData("HeldOutFraction", "0.9", "Moderation:Learning:HeldOutFraction must be between 0.05 and 0.5 (was 0.9).")]
    [InlineData("MinExamples", "1", "Moderation:Learning:MinExamples must be at least 2 (was 1).")]
    [InlineData("MinExamples", "4", "Moderation:Learning:MinExamples × Moderation:Learning:HeldOutFraction must be at least 1")]
    [InlineData("ReloadInterval", "00:00:00", "Moderation:Learning:ReloadInterval must be between 00:00:01 and 1.00:00:00 (was 00:00:00).")]
    [InlineData("KeepTrainingSets", "0", "Moderation:Learning:KeepTrainingSets must be at least 1 (was 0).")]
    public void AddModerationLearning_BadSetting_FailsNamingIt(string setting, string value, string message)
    {
        using var provider = Services(new Dictionary<string, string?> { [$"Moderation:Learning:{setting}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LearningOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddModerationWorker_HostedServices_StartTheWatcherBeforeTheMessageConsumer()
    {
        var builder = WebApplication.CreateBuilder();

        builder.AddModerationWorker();

        // Hosted services start in registration order: promoted models are loaded before the first message is scored.
        var hosted = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        var watcher = hosted.FindIndex(d => d.ImplementationType == typeof(PromotedModelWatcher));
        var consumer = hosted.FindLastIndex(d => d.ImplementationType is null && d.ImplementationFactory is not null);   // the consumer is registered last
        Assert.InRange(watcher, 0, consumer - 1);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) => Collection(settings).BuildServiceProvider();

    private static ServiceCollection Collection(Dictionary<string, string?> settings)
    {
        // Nothing connects: resolving services opens no connection, and MongoDB is never asked anything here.
        settings["Mongo:ConnectionString"] = "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddQuikAppMongo(configuration, "moderation");
        services.AddScoring();
        services.AddModerationLearning();
        return services;
    }
}
