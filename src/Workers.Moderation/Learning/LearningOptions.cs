using System.Globalization;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>How models are retrained from moderators' decisions and picked up by running workers (section <c>Moderation:Learning</c>).</summary>
public sealed class LearningOptions
{
    public const string SectionName = "Moderation:Learning";

    /// <summary>How often every worker looks for a newly promoted model.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A candidate must beat the current model's held-out AUC by at least this much.</summary>
    public double MinAucGain { get; set; } = 0.01;

    /// <summary>A candidate's held-out F1 may be at most this much below the current model's.</summary>
    public double MaxF1Loss { get; set; } = 0.02;

    /// <summary>Distinct labelled texts needed in each class (positive and negative) of a task before it is trained.</summary>
    public int MinExamples { get; set; } = 30;

    /// <summary>Share of each class held out to compare the candidate with the current model.</summary>
    public double HeldOutFraction { get; set; } = 0.2;

    /// <summary>Seeds the held-out split and the learner, so a rerun on the same labels trains the same model.</summary>
    public int Seed { get; set; } = 20251125;

    /// <summary>
    /// Training sets whose examples (message texts) are kept; older sets keep their record and counts but lose their
    /// examples, so a message deleted since does not live on in QuikApp_ml indefinitely.
    /// </summary>
    public int KeepTrainingSets { get; set; } = 4;

    /// <summary>The setting's full configuration key, for messages.</summary>
    public static string Key(string name) => $"{SectionName}:{name}";
}

/// <summary>Fails start-up on learning settings that cannot work, naming the setting.</summary>
public sealed class LearningOptionsValidator : IValidateOptions<LearningOptions>
{
    public ValidateOptionsResult Validate(string? name, LearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ReloadInterval < TimeSpan.FromSeconds(1) || options.ReloadInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"{LearningOptions.Key(nameof(LearningOptions.ReloadInterval))} must be between 00:00:01 and 1.00:00:00 (was {options.ReloadInterval}).");
        }

        Fraction(failures, nameof(LearningOptions.MinAucGain), options.MinAucGain, 0, 1);
        Fraction(failures, nameof(LearningOptions.MaxF1Loss), options.MaxF1Loss, 0, 1);
        Fraction(failures, nameof(LearningOptions.HeldOutFraction), options.HeldOutFraction, 0.05, 0.5);
        if (options.MinExamples < 2)
        {
            failures.Add($"{LearningOptions.Key(nameof(LearningOptions.MinExamples))} must be at least 2 (was {options.MinExamples}).");
        }
        else if (options.MinExamples * options.HeldOutFraction < 1)
        {
            // Otherwise a class at the minimum could be held out with no example at all, and AUC is undefined.
            failures.Add(
                $"{LearningOptions.Key(nameof(LearningOptions.MinExamples))} × {LearningOptions.Key(nameof(LearningOptions.HeldOutFraction))} " +
                $"must be at least 1, so each class has a held-out example (was {options.MinExamples} × {options.HeldOutFraction.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (options.KeepTrainingSets < 1)
        {
            failures.Add($"{LearningOptions.Key(nameof(LearningOptions.KeepTrainingSets))} must be at least 1 (was {options.KeepTrainingSets}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Fraction(List<string> failures, string setting, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{LearningOptions.Key(setting)} must be between {min} and {max} (was {value})."));
        }
    }
}
