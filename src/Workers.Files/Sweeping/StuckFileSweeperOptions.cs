using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Files.Sweeping;

/// <summary>What the stuck-file sweeper picks up and how much per run (configuration section <c>Files:Sweeper</c>).</summary>
/// <remarks>The schedule itself is <c>Scheduling:Jobs:files-stuck-sweeper:Cron</c> (default every 10 minutes).</remarks>
public sealed class StuckFileSweeperOptions
{
    public const string SectionName = "Files:Sweeper";

    /// <summary>A file still pending this long after its <c>createdAt</c> is processed by the sweeper (its event was lost, or clamd was out).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Files:Sweeper:PendingAfter must be between {1} and {2}.")]
    public TimeSpan PendingAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An outcome written this long ago whose events were never published (a crash in between) is published by the sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Files:Sweeper:UnpublishedAfter must be between {1} and {2}.")]
    public TimeSpan UnpublishedAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most files one run processes (pending first, then failed ones due for a retry); the next run takes the rest.</summary>
    [Range(1, 100_000, ErrorMessage = "Files:Sweeper:MaxFilesPerRun must be between {1} and {2}.")]
    public int MaxFilesPerRun { get; set; } = 200;
}
