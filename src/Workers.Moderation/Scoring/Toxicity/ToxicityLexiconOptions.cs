using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Scoring.Toxicity;

/// <summary>How much each kind of toxic term weighs in <see cref="ToxicityLexiconCheck"/>'s score.</summary>
/// <remarks>
/// A match weighs its category's weight times its severity's factor (capped at 0.99); distinct matches combine as
/// "any of them is toxic" (1 - Π(1 - w)). Threats and identity attacks weigh more than insults because they do more
/// harm; an insult aimed at the reader ("you are an idiot") weighs more than one that isn't ("what an idiot").
/// </remarks>
public sealed record ToxicityLexiconOptions
{
    [Range(0.0, 0.99)]
    public double ThreatWeight { get; init; } = 0.85;

    [Range(0.0, 0.99)]
    public double IdentityAttackWeight { get; init; } = 0.85;

    /// <summary>An insult not aimed at anyone in particular.</summary>
    [Range(0.0, 0.99)]
    public double InsultWeight { get; init; } = 0.4;

    /// <summary>An insult aimed at the reader: a second-person word ("you", "ur") before it, joined only by link words.</summary>
    [Range(0.0, 0.99)]
    public double TargetedInsultWeight { get; init; } = 0.7;

    [Range(0.1, 2.0)]
    public double MildFactor { get; init; } = 0.8;

    [Range(0.1, 2.0)]
    public double SevereFactor { get; init; } = 1.15;

    /// <summary>How many link words ("are", "such", "a", "fucking") may stand between "you" and the insult.</summary>
    [Range(0, 10)]
    public int TargetWindow { get; init; } = 5;

    /// <summary>Signals listed per message; the rest are summarised as "toxicity:+N more".</summary>
    [Range(1, 100)]
    public int MaxSignals { get; init; } = 10;

    internal void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException(
                $"Invalid {nameof(ToxicityLexiconOptions)}: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
    }
}
