using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Commands;
using QuikApp.Workers.Moderation.Handling;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Lexicons;
using QuikApp.Workers.Moderation.Scoring.Profanity;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Scoring.Toxicity;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka;

namespace QuikApp.Workers.Moderation;

/// <summary>Paths of operator-supplied lexicons that replace the built-in ones (section <c>Moderation:Lexicons</c>).</summary>
public sealed class LexiconOptions
{
    public const string SectionName = "Moderation:Lexicons";

    public string? ProfanityPath { get; set; }

    public string? ToxicityPath { get; set; }
}

/// <summary>Registers the moderation worker: checks, scorer, policies, result store, the message consumer and its verbs.</summary>
public static class ModerationWorker
{
    /// <summary>The consumer's name (tuning under <c>Kafka:Consumers:moderation</c>).</summary>
    public const string ConsumerName = "moderation";

    public static WebApplicationBuilder AddModerationWorker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddScoring(services);
        services.AddModerationLearning();

        services.AddOptions<ModerationHandlingOptions>().BindConfiguration(ModerationHandlingOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IModerationPolicyStore, MongoModerationPolicyStore>();
        services.AddSingleton<ModerationPolicyProvider>();
        services.AddHostedService(provider => provider.GetRequiredService<ModerationPolicyProvider>());
        services.AddSingleton<IAutoModerationResultStore, MongoAutoModerationResultStore>();
        services.AddEventConsumer<MessageModerationHandler>(ConsumerName,
            EventTopics.MessageSent, EventTopics.MessageEdited, EventTopics.MessageDeleted);
        return builder;
    }

    /// <summary>Everything scoring needs and nothing else (no Kafka, no MongoDB): the worker and the <c>score</c> verb share it.</summary>
    public static IServiceCollection AddScoring(this IServiceCollection services)
    {
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModerationPolicyOptions>().BindConfiguration(ModerationPolicyOptions.SectionName)
            .Validate(o => !o.ToPolicy().Problems().Any(),
                $"{ModerationPolicyOptions.SectionName}: each check needs 0 <= Flag <= Block <= 1")
            .ValidateOnStart();
        services.AddOptions<LexiconOptions>().BindConfiguration(LexiconOptions.SectionName);
        services.AddOptions<ProfanityOptions>().BindConfiguration("Moderation:Profanity");
        services.AddOptions<ToxicityLexiconOptions>().BindConfiguration("Moderation:Toxicity:Lexicon");
        services.AddOptions<ChatSpamHeuristicsOptions>().BindConfiguration(ChatSpamHeuristicsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FloodDetectorOptions>().BindConfiguration(FloodDetectorOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OnnxToxicityOptions>().BindConfiguration(OnnxToxicityOptions.SectionName);
        services.AddSpamModel();

        services.AddSingleton(provider =>
        {
            var path = provider.GetRequiredService<IOptions<LexiconOptions>>().Value.ProfanityPath;
            var lexicon = LexiconLoader.LoadAsync(BuiltInLexicon.Profanity, path, CancellationToken.None).GetAwaiter().GetResult();
            return new ProfanityCheck(lexicon, provider.GetRequiredService<IOptions<ProfanityOptions>>().Value);
        });
        services.AddSingleton(provider =>
        {
            var path = provider.GetRequiredService<IOptions<LexiconOptions>>().Value.ToxicityPath;
            var lexicon = LexiconLoader.LoadAsync(BuiltInLexicon.Toxicity, path, CancellationToken.None).GetAwaiter().GetResult();
            return new ToxicityLexiconCheck(lexicon, provider.GetRequiredService<IOptions<ToxicityLexiconOptions>>().Value);
        });
        services.AddSingleton(provider => new ChatSpamHeuristics(provider.GetRequiredService<IOptions<ChatSpamHeuristicsOptions>>().Value));
        services.AddSingleton(provider => new FloodDetector(provider.GetRequiredService<IOptions<FloodDetectorOptions>>().Value));
        services.AddSingleton(provider =>
        {
            // The ONNX classifier is optional: an operator drops a model in with Moderation:Toxicity:Onnx:ModelPath.
            var onnx = provider.GetRequiredService<IOptions<OnnxToxicityOptions>>().Value;
            return new MessageScorer(
                provider.GetRequiredService<ProfanityCheck>(),
                provider.GetRequiredService<ToxicityLexiconCheck>(),
                string.IsNullOrWhiteSpace(onnx.ModelPath) ? null : new OnnxToxicityClassifier(onnx),
                provider.GetRequiredService<SpamModelHolder>(),
                provider.GetRequiredService<ChatSpamHeuristics>(),
                provider.GetRequiredService<FloodDetector>(),
                provider.GetRequiredService<IOptions<ScoringOptions>>().Value,
                provider.GetService<ToxicityModelHolder>());
        });
        services.AddSingleton<IWorkerCommand, ScoreCommand>();
        return services;
    }
}
