using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Handling;

/// <summary>Limits of the message handler (section <c>Moderation:Handling</c>).</summary>
public sealed class ModerationHandlingOptions
{
    public const string SectionName = "Moderation:Handling";

    /// <summary>Characters of a message that are scored; a longer message is judged by its head.</summary>
    [Range(100, 1_000_000)]
    public int MaxScoredLength { get; set; } = 20_000;
}
