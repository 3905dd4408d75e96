using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>Which conversations become smart-reply training pairs (section <c>Moderation:SmartReplies</c>).</summary>
public sealed class SmartReplyOptions
{
    public const string SectionName = "Moderation:SmartReplies";

    /// <summary>
    /// Whether pairs are built. When false no pair is built, but edits and deletions still remove the pairs that contain
    /// the message: switching the feature off must never leave content in the training data that should be gone.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Thread messages before a thread reply that join its parent as context.</summary>
    [Range(0, 20, ErrorMessage = "Moderation:SmartReplies:ContextMessages must be between 0 and 20.")]
    public int ContextMessages { get; set; } = 3;

    /// <summary>How soon after the previous channel message a message by someone else counts as a quick reply to it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Moderation:SmartReplies:QuickReplyWindow must be between 1 second and 1 hour.")]
    public TimeSpan QuickReplyWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Fewest characters (user-perceived, after scrubbing) a context or reply text may have.</summary>
    [Range(1, 10_000, ErrorMessage = "Moderation:SmartReplies:MinCharacters must be between 1 and 10000.")]
    public int MinCharacters { get; set; } = 2;

    /// <summary>Most characters (user-perceived, after scrubbing) a context or reply text may have.</summary>
    [Range(1, 10_000, ErrorMessage = "Moderation:SmartReplies:MaxCharacters must be between 1 and 10000.")]
    public int MaxCharacters { get; set; } = 500;

    /// <summary>
    /// Most replies rebuilt when one message is edited (editing a thread's parent touches every reply in the thread).
    /// Only rebuilding is capped: every pair that contains an edited message is removed whatever this says, so a cap
    /// can cost pairs, never keep content that should be gone.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Moderation:SmartReplies:MaxRepliesPerEdit must be between 1 and 100000.")]
    public int MaxRepliesPerEdit { get; set; } = 1_000;

    /// <summary>Null when the settings agree with each other, otherwise what is wrong, naming the settings.</summary>
    public string? Problem() => MinCharacters > MaxCharacters
        ? $"{SectionName}:MinCharacters ({MinCharacters}) must not exceed {SectionName}:MaxCharacters ({MaxCharacters})."
        : null;
}
