using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Scoring.Profanity;

/// <summary>How much one profane term of each severity weighs in <see cref="ProfanityCheck"/>'s score.</summary>
/// <remarks>
/// Weights are probabilities combined as "any of them is profane" (1 - Π(1 - w)): one term scores its weight, more
/// terms push the score towards 1 without passing it.
/// </remarks>
public sealed record ProfanityOptions
{
    /// <summary>Severity 1 ("crap", "wtf"; also what cuss only rates "maybe").</summary>
    [Range(0.0, 0.99)]
    public double MildWeight { get; init; } = 0.45;

    /// <summary>Severity 2 ("shit", "ass", "bitch"; unrated upstream terms).</summary>
    [Range(0.0, 0.99)]
    public double ModerateWeight { get; init; } = 0.7;

    /// <summary>Severity 3 (cuss's "surely profane": "fuck", "cunt", slurs).</summary>
    [Range(0.0, 0.99)]
    public double SevereWeight { get; init; } = 0.9;

    /// <summary>Signals listed per message; the rest are summarised as "profanity:+N more".</summary>
    [Range(1, 100)]
    public int MaxSignals { get; init; } = 10;

    public double WeightOf(int severity) => severity switch
    {
        <= 1 => MildWeight,
        2 => ModerateWeight,
        _ => SevereWeight,
    };

    internal void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException(
                $"Invalid {nameof(ProfanityOptions)}: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
    }
}
