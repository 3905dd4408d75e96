using QuikApp.Workers.Fleet.Reporting;

namespace QuikApp.Workers.Fleet.Bench;

/// <summary>Puts the bench's pipeline figures beside the baselines measured in the same run.</summary>
internal static class BenchSummaries
{
    public static BenchSummary From(FleetReport report, BaselineFigures baselines)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(baselines);
        return new BenchSummary(
            report.Throughput.ModerationEventsPerSecond,
            baselines.RawConsumePerSecond,
            baselines.RawConsumed,
            report.Throughput.FilesPerSecond,
            baselines.ClamdFilesPerSecond,
            baselines.VipsImagesPerSecond,
            baselines.Images,
            (baselines.ClamdElapsed + (baselines.VipsElapsed ?? TimeSpan.Zero)).TotalSeconds,
            report.Throughput.FilesSeconds,
            report.Memory.PeakRssMiB,
            baselines.ClamdVersion,
            baselines.VipsVersion);
    }
}
