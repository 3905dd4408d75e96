using System.Diagnostics;

namespace QuikApp.Workers.Files.Processing;

/// <summary>How long each stage of one file took; a stage that did not run is null.</summary>
/// <param name="Download">Opening the original (allow-list, stat, open) and reading it into memory or a temporary file.</param>
/// <param name="Scan">clamd INSTREAM (and VERSION, when not cached).</param>
/// <param name="Metadata">The metadata reader (sniffing included).</param>
/// <param name="Thumbnail">Rendering the thumbnails (header, decode, encode).</param>
/// <param name="Store">Writing the thumbnails to derivative storage, or moving an infected original to quarantine.</param>
public sealed record StageTimings(TimeSpan? Download, TimeSpan? Scan, TimeSpan? Metadata, TimeSpan? Thumbnail, TimeSpan? Store)
{
    public static StageTimings None { get; } = new(null, null, null, null, null);

    /// <summary>Times <paramref name="work"/> and returns its result with the elapsed time.</summary>
    public static async Task<(T Result, TimeSpan Elapsed)> MeasureAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Stopwatch.GetTimestamp();
        var result = await work().ConfigureAwait(false);
        return (result, Stopwatch.GetElapsedTime(started));
    }
}
