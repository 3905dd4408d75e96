using QuikApp.Workers.Fleet.Conservation;

namespace QuikApp.Workers.Fleet.Reporting;

/// <summary>What a fleet run did and whether it conserved every event (docs/fleet.md, "The report").</summary>
internal sealed record FleetReport(
    RunSummary Run,
    WorkloadSummary Workload,
    ModerationSummary Moderation,
    FilesSummary Files,
    IReadOnlyList<DeadLetterGroup> DeadLetters,
    LatencySummary Latency,
    ThroughputSummary Throughput,
    MemorySummary Memory,
    IReadOnlyList<RuleResult> Conservation,
    AnalyticsSummary Analytics,
    BenchSummary? Bench = null,
    ChaosSummary? Chaos = null)
{
    public bool Passed => Conservation.All(rule => rule.Passed);

    /// <summary>0 when every rule of the conservation check passed, 1 otherwise.</summary>
    public int ExitCode => Passed ? 0 : 1;
}

/// <param name="Stores">Where the effects were written: in memory (no MongoDB) or MongoDB.</param>
/// <param name="Workers">In this process, or one process per worker.</param>
/// <param name="TimedOut">The run stopped waiting for effects before all arrived (the check then lists what is missing).</param>
internal sealed record RunSummary(
    string Verb,
    string Command,
    int Seed,
    int Messages,
    int Files,
    string Stores,
    string Workers,
    MachineSummary Machine,
    DateTimeOffset StartedAt,
    double Seconds,
    string RunDirectory,
    bool TimedOut);

internal sealed record MachineSummary(int Cores, string Cpu, string OperatingSystem, string Runtime, string LoadAverage);

/// <param name="ValidEvents">Contract events a worker consumes (sent, edited, deleted, uploaded, file deleted).</param>
/// <param name="ReactionsNotConsumed">quikapp.message.reaction events: produced as the message-service would, read by no worker yet.</param>
internal sealed record WorkloadSummary(
    IReadOnlyDictionary<string, int> ProducedByTopic,
    int ValidEvents,
    int Malformed,
    int ReactionsNotConsumed,
    IReadOnlyList<string> ProduceFailures);

internal sealed record ModerationSummary(int Results, int Allow, int Flag, int Block, int MarkedDeleted, int FlaggedEvents, long ReplyPairs);

/// <param name="Thumbnails">Thumbnail objects the documents list (a large picture has two sizes).</param>
internal sealed record FilesSummary(
    int Documents,
    IReadOnlyDictionary<string, int> ByScanStatus,
    IReadOnlyDictionary<string, int> ByProcessingStatus,
    int Thumbnails,
    int WithThumbnail,
    int ScannedEvents,
    int ProcessedEvents);

/// <summary>Dead letters with the same reason (its detail in parentheses left out), and the dead-letter topics they are in.</summary>
internal sealed record DeadLetterGroup(string Reason, int Count, IReadOnlyList<string> Topics);

/// <summary>Event-to-result latency: from handing the event to the producer to the worker's <c>processedAt</c>.</summary>
internal sealed record Percentiles(int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static Percentiles Of(IReadOnlyCollection<double> millisecondSamples)
    {
        ArgumentNullException.ThrowIfNull(millisecondSamples);
        if (millisecondSamples.Count == 0)
        {
            return new Percentiles(0, 0, 0, 0, 0);
        }

        var sorted = millisecondSamples.Order().ToArray();
        return new Percentiles(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1]);
    }

    // Nearest rank: the smallest sample with at least p of the samples at or below it.
    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

internal sealed record LatencySummary(Percentiles Moderation, Percentiles Files);

/// <param name="Seconds">From the first event produced to the last effect observed.</param>
/// <param name="ModerationSeconds">From the first message event produced to the last moderation result.</param>
/// <param name="FilesSeconds">From the first upload produced to the last file outcome.</param>
internal sealed record ThroughputSummary(
    double Seconds,
    double EventsPerSecond,
    double ModerationSeconds,
    double ModerationEventsPerSecond,
    double FilesSeconds,
    double FilesPerSecond);

/// <param name="PeakRssMiB">The highest resident set (VmHWM) of the fleet: this process, plus the workers' when they are processes.</param>
internal sealed record MemorySummary(double PeakRssMiB, IReadOnlyDictionary<string, double> ByProcess);

/// <param name="Skipped">Why the analytics jobs did not run (no MongoDB), or null when they ran.</param>
internal sealed record AnalyticsSummary(string? Skipped, IReadOnlyList<JobSummary> Jobs);

internal sealed record JobSummary(string Job, string Status, IReadOnlyDictionary<string, long> Counts, string? Message);

/// <summary>The bench's figures, each beside its baseline measured in the same run.</summary>
/// <param name="RawConsumePerSecond">A plain consumer reading quikapp.message.sent with no work.</param>
/// <param name="ClamdFilesPerSecond">clamd INSTREAM alone on the same uploads, as many at a time as the worker scans.</param>
/// <param name="VipsImagesPerSecond">vipsthumbnail alone on the same pictures, with the worker's sizes and plan; null when it is not installed.</param>
/// <param name="ToolsAloneSeconds">clamd on every upload plus vipsthumbnail on every picture, back to back.</param>
/// <param name="FilesPipelineSeconds">The files worker from the first upload to the last outcome.</param>
internal sealed record BenchSummary(
    double ModerationEventsPerSecond,
    double RawConsumePerSecond,
    long RawConsumed,
    double FilesPerSecond,
    double ClamdFilesPerSecond,
    double? VipsImagesPerSecond,
    int Images,
    double ToolsAloneSeconds,
    double FilesPipelineSeconds,
    double PeakRssMiB,
    string ClamdVersion,
    string? VipsVersion);

/// <summary>A chaos scenario's part of its run's report: what was broken and when, and the at-least-once copies it caused.</summary>
/// <param name="Faults">Each fault injected or healed, at seconds since the workers started.</param>
/// <param name="DerivedCopies">Derived events (moderation.flagged, file.scanned, file.processed) published again with the same id.</param>
/// <param name="DeadLetterCopies">Malformed records dead-lettered more than once.</param>
internal sealed record ChaosSummary(string Scenario, string Description, IReadOnlyList<InjectedFault> Faults, int DerivedCopies, int DeadLetterCopies);

/// <summary>One step of a scenario's timeline.</summary>
internal sealed record InjectedFault(double AtSeconds, string What);
