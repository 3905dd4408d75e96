using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>Registers the spam model: options validated at start-up and one <see cref="SpamModelHolder"/> for the process.</summary>
public static class SpamModelRegistration
{
    public static IServiceCollection AddSpamModel(this IServiceCollection services)
    {
        services.AddOptions<SpamModelOptions>()
            .BindConfiguration(SpamModelOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.ModelPath) || File.Exists(o.ModelPath),
                $"{SpamModelOptions.Section}:ModelPath names a file that does not exist")
            .ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var path = provider.GetRequiredService<IOptions<SpamModelOptions>>().Value.ModelPath;
            // Built once, before the first message; DI factories are synchronous, and a few MB read at start-up is fine.
            var classifier = string.IsNullOrWhiteSpace(path)
                ? BundledSpamModel.Load()
                : SpamClassifier.LoadFileAsync(path, CancellationToken.None).GetAwaiter().GetResult();
            return new SpamModelHolder(classifier);
        });
        return services;
    }
}
