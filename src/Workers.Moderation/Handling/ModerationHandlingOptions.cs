using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Handling;

/// <summary>Limits of the message handler (section <c>Moderation:Handling</c>).</summary>
public sealed class ModerationHandlingOptions
{
    public const string SectionName = "Moderation:Handling";

    /// <summary>Characters of a message that are scored; a longer message is judged by its head.</summary>
    [Range(100, 1_000_000)]
    public int MaxScoredLength { get; set; } = 20_000;

    /// <summary>
    /// How far in the future a message's <c>createdAt</c> / <c>editedAt</c> may be before it is taken as the time the
    /// worker received it instead: results are ordered by that time, and a producer's clock set to year 9999 would pin a
    /// version so that no later edit is ever applied. Generous on purpose: versions on both sides of the bound can be
    /// reordered (one keeps its time, the next is taken as now), so only a clock that is clearly wrong should reach it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromDays(1);
}
