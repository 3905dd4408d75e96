using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Policies;

/// <summary>The fleet-wide thresholds and how often workspace overrides are re-read (section <c>Moderation:Policy</c>).</summary>
public sealed class ModerationPolicyOptions
{
    public const string SectionName = "Moderation:Policy";

    [Required]
    public CheckThresholds Profanity { get; set; } = ModerationPolicy.Default.Profanity;

    [Required]
    public CheckThresholds Spam { get; set; } = ModerationPolicy.Default.Spam;

    [Required]
    public CheckThresholds Toxicity { get; set; } = ModerationPolicy.Default.Toxicity;

    /// <summary>How often the <c>QuikApp_moderation.policies</c> overrides are re-read.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    public ModerationPolicy ToPolicy() => new(Profanity, Spam, Toxicity, "default");
}
