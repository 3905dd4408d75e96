using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Moderation.Scoring;

/// <summary>How the checks are combined and cached (configuration section <c>Moderation:Scoring</c>).</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Moderation:Scoring";

    /// <summary>
    /// Weight of the ML.NET spam model in the spam score. The bootstrap model learnt from e-mail (SpamAssassin) and calls
    /// much casual chat spam, so by default it cannot flag a message on its own (0.65 stays below the default spam flag
    /// threshold 0.7): it corroborates the chat heuristics and flood signals. Measured in docs/moderation.md.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SpamModelWeight { get; set; } = 0.65;

    /// <summary>How long identical content is scored once (the hash cache that makes floods cheap).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ContentCacheWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most distinct contents kept in the hash cache (bounds its memory).</summary>
    [Range(1, 10_000_000)]
    public int ContentCacheEntries { get; set; } = 50_000;
}
