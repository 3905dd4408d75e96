using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>When repeated messages count as flooding or cross-posting, and how much state that may keep (section <c>Moderation:Spam:Flood</c>).</summary>
public sealed record FloodDetectorOptions
{
    public const string SectionName = "Moderation:Spam:Flood";

    /// <summary>How far back, in event time (<c>ScoringInput.At</c>), earlier messages are compared with a new one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Moderation:Spam:Flood:Window must be between 1 second and 1 hour.")]
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages (this one included) with the same or near-same text from one user within the window that make a flood.</summary>
    [Range(2, 1000, ErrorMessage = "Moderation:Spam:Flood:RepeatThreshold must be between 2 and 1000.")]
    public int RepeatThreshold { get; init; } = 5;

    /// <summary>Distinct channels (this one included) one user posted the same or near-same text to within the window that make a cross-post.</summary>
    [Range(2, 1000, ErrorMessage = "Moderation:Spam:Flood:CrossPostChannels must be between 2 and 1000.")]
    public int CrossPostChannels { get; init; } = 3;

    /// <summary>
    /// Most bits two fingerprints may differ in and still be "near-same" (of 64; unrelated texts differ in about 32).
    /// 0 accepts only texts equal after normalising (case, digits, punctuation, whitespace).
    /// </summary>
    [Range(0, 16, ErrorMessage = "Moderation:Spam:Flood:MaxFingerprintDistance must be between 0 and 16.")]
    public int MaxFingerprintDistance { get; init; } = 8;

    /// <summary>Users whose recent messages are remembered; past it the least recently active are forgotten.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Moderation:Spam:Flood:MaxUsers must be between 1 and 10000000.")]
    public int MaxUsers { get; init; } = 100_000;

    /// <summary>
    /// Recent messages remembered per user (oldest dropped first). Counts saturate here, so it must be at least
    /// <see cref="RepeatThreshold"/> and <see cref="CrossPostChannels"/>; state is at most MaxUsers × this × 32 bytes.
    /// </summary>
    [Range(2, 1024, ErrorMessage = "Moderation:Spam:Flood:MaxEntriesPerUser must be between 2 and 1024.")]
    public int MaxEntriesPerUser { get; init; } = 16;
}
