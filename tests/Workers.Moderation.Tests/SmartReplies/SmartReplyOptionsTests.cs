using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Hosting;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>Moderation:SmartReplies binding and validation, and what AddSmartReplyTraining registers.</summary>
public sealed class SmartReplyOptionsTests
{
    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var options = Bind([]);

        Assert.Equal((true, 3, TimeSpan.FromMinutes(2), 2, 500, 1000),
            (options.Enabled, options.ContextMessages, options.QuickReplyWindow, options.MinCharacters, options.MaxCharacters, options.MaxRepliesPerEdit));
    }

    [Fact]
    public void Options_Configured_AreBound()
    {
        var options = Bind(new()
        {
            ["Moderation:SmartReplies:Enabled"] = "false",
            ["Moderation:SmartReplies:ContextMessages"] = "5",
            ["Moderation:SmartReplies:QuickReplyWindow"] = "00:00:45",
            ["Moderation:SmartReplies:MinCharacters"] = "3",
            ["Moderation:SmartReplies:MaxCharacters"] = "280",
        });

        Assert.Equal((false, 5, TimeSpan.FromSeconds(45), 3, 280),
            (options.Enabled, options.ContextMessages, options.QuickReplyWindow, options.MinCharacters, options.MaxCharacters));
    }

    [Theory]
    [InlineData("ContextMessages", "21", "Moderation:SmartReplies:ContextMessages must be between 0 and 20.")]
    [InlineData("QuickReplyWindow", "00:00:00", "Moderation:SmartReplies:QuickReplyWindow must be between 1 second and 1 hour.")]
    [InlineData("MinCharacters", "0", "Moderation:SmartReplies:MinCharacters must be between 1 and 10000.")]
    [InlineData("MaxCharacters", "100000", "Moderation:SmartReplies:MaxCharacters must be between 1 and 10000.")]
    [InlineData("MinCharacters", "600", "Moderation:SmartReplies:MinCharacters must not exceed Moderation:SmartReplies:MaxCharacters.")]
    public void Options_Invalid_FailNamingTheSetting(string setting, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"Moderation:SmartReplies:{setting}"] = value }));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSmartReplyTraining_CalledTwice_RegistersOneObserverOneVerbAndTheJob()
    {
        var services = new ServiceCollection().AddSmartReplyTraining().AddSmartReplyTraining();

        Assert.Single(services, d => d.ServiceType == typeof(IMessageModerationObserver) && d.ImplementationType == typeof(SmartReplyTrainingObserver));
        Assert.Single(services, d => d.ServiceType == typeof(IWorkerCommand) && d.ImplementationType == typeof(ExportTrainingSetCommand));
        Assert.Single(services, d => d.ServiceType == typeof(QuikApp.Workers.Shared.Scheduling.IScheduledJob)
            && Equals(d.ServiceKey, SmartReplySnapshotJob.Name) && d.KeyedImplementationType == typeof(SmartReplySnapshotJob));
        Assert.Contains(services, d => d.ServiceType == typeof(IWorkerCommand) && d.ImplementationType?.Name == "RunJobCommand");
    }

    private static SmartReplyOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSmartReplyTraining().BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SmartReplyOptions>>().Value;
    }
}
