using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuikApp.Workers.Fleet.Reporting;

/// <summary>The report as text (one line per fact, the conservation check last) and as JSON (<c>--json</c>).</summary>
internal static class ReportText
{
    public const string Pass = "PASS";
    public const string Fail = "FAIL";

    /// <summary>How the fleet's reports are written as JSON (the demo's and bench's, and chaos's summary).</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string ToJson(FleetReport report) => JsonSerializer.Serialize(report, Json);

    public static FleetReport? FromJson(string json) => JsonSerializer.Deserialize<FleetReport>(json, Json);

    public static IReadOnlyList<string> Lines(FleetReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = report.Run;
        var lines = new List<string>
        {
            $"── QuikApp fleet {run.Verb} report ──",
            F($"run          seed {run.Seed} · {run.Messages:N0} messages · {run.Files:N0} files · {run.Stores} · workers {run.Workers} · {run.Seconds:N1} s{(run.TimedOut ? " · TIMED OUT waiting for effects" : "")}"),
            $"machine      {run.Machine.Cores} cores ({run.Machine.Cpu}) · {run.Machine.OperatingSystem} · {run.Machine.Runtime} · load {run.Machine.LoadAverage}",
            $"command      {run.Command}",
        };

        var workload = report.Workload;
        lines.Add(F($"produced     {workload.ProducedByTopic.Values.Sum():N0} records ({workload.Malformed} malformed): ") + string.Join(" · ",
            workload.ProducedByTopic.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => F($"{Short(t.Key)} {t.Value:N0}"))));
        lines.Add(F($"             {workload.ReactionsNotConsumed:N0} reactions produced, consumed by no worker yet (quikapp.message.reaction)"));
        if (workload.ProduceFailures.Count > 0)
        {
            lines.Add(F($"             {workload.ProduceFailures.Count} produce failures, first: {workload.ProduceFailures[0]}"));
        }

        var moderation = report.Moderation;
        lines.Add(F($"moderation   {moderation.Results:N0} results: allow {moderation.Allow:N0} · flag {moderation.Flag:N0} · block {moderation.Block:N0} · ") +
            F($"{moderation.MarkedDeleted:N0} marked deleted · {moderation.FlaggedEvents:N0} moderation.flagged events · {moderation.ReplyPairs:N0} smart-reply pairs"));

        var files = report.Files;
        lines.Add(F($"files        {files.Documents:N0} uploads: scan ") + Pairs(files.ByScanStatus) + " | processing " + Pairs(files.ByProcessingStatus));
        lines.Add(F($"             {files.Thumbnails:N0} thumbnails made, {files.WithThumbnail:N0} files with urls.thumbnail · {files.ScannedEvents:N0} file.scanned · {files.ProcessedEvents:N0} file.processed"));

        lines.Add(F($"dlq          {report.DeadLetters.Sum(d => d.Count):N0} entries"));
        lines.AddRange(report.DeadLetters.Select(d => F($"             {d.Count,3} × {d.Reason} ({string.Join(", ", d.Topics.Select(Short))})")));

        lines.Add($"latency      moderation {Describe(report.Latency.Moderation)}");
        lines.Add($"             files      {Describe(report.Latency.Files)}");
        var throughput = report.Throughput;
        lines.Add(F($"throughput   {throughput.EventsPerSecond:N0} events/s over {throughput.Seconds:N1} s · moderation {throughput.ModerationEventsPerSecond:N0} events/s · files {throughput.FilesPerSecond:N1} files/s"));
        lines.Add(F($"memory       peak RSS {report.Memory.PeakRssMiB:N0} MiB") +
            (report.Memory.ByProcess.Count > 1 ? " (" + string.Join(", ", report.Memory.ByProcess.Select(p => F($"{p.Key} {p.Value:N0}"))) + ")" : ""));
        lines.Add(report.Analytics.Skipped is { } skipped ? $"analytics    skipped: {skipped}"
            : "analytics    " + string.Join(" · ", report.Analytics.Jobs.Select(j => $"{j.Job} {j.Status}" +
                (j.Counts.Count > 0 ? " (" + string.Join(", ", j.Counts.Select(c => F($"{c.Key} {c.Value:N0}"))) + ")" : ""))));

        if (report.Bench is { } bench)
        {
            lines.AddRange(BenchLines(bench));
        }

        if (report.Chaos is { } chaos)
        {
            lines.Add($"chaos        {chaos.Scenario}: {chaos.Description}");
            lines.AddRange(chaos.Faults.Select(f => F($"             +{f.AtSeconds,5:N1} s  {f.What}")));
            lines.Add(F($"             at-least-once copies: {chaos.DerivedCopies} derived events, {chaos.DeadLetterCopies} dead letters (allowed: consumers dedupe by eventId)"));
        }

        lines.Add("conservation");
        var width = report.Conservation.Select(r => r.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var rule in report.Conservation)
        {
            lines.Add(F($"  {(rule.Passed ? Pass : Fail)}  {rule.Name.PadRight(width)}  {rule.Observed:N0}/{rule.Expected:N0}"));
            lines.AddRange(rule.Problems.Select(p => $"          {p}"));
        }

        lines.Add(report.Passed ? $"result       {Pass}: every valid event has exactly one effect; the DLQ holds exactly the malformed events (exit 0)"
            : $"result       {Fail}: {report.Conservation.Count(r => !r.Passed)} rule(s) failed (exit 1)");
        return lines;
    }

    public static IEnumerable<string> BenchLines(BenchSummary bench)
    {
        ArgumentNullException.ThrowIfNull(bench);
        yield return "bench        figure                                                      baseline (same run)";
        yield return F($"  moderation pipeline {bench.ModerationEventsPerSecond,10:N0} events/s           raw consume of quikapp.message.sent {bench.RawConsumePerSecond,10:N0} records/s ({bench.RawConsumed:N0} records, no work)");
        yield return F($"  files pipeline      {bench.FilesPerSecond,10:N1} files/s            clamd INSTREAM alone {bench.ClamdFilesPerSecond,8:N1} files/s") +
            (bench.VipsImagesPerSecond is { } vips ? F($"; vipsthumbnail alone {vips,6:N1} images/s ({bench.Images} pictures)") : "; vipsthumbnail not installed");
        yield return F($"  files pipeline      {bench.FilesPipelineSeconds,10:N1} s                  clamd + vipsthumbnail back to back {bench.ToolsAloneSeconds,6:N1} s");
        yield return F($"  peak RSS            {bench.PeakRssMiB,10:N0} MiB");
    }

    private static string Describe(Percentiles p) =>
        p.Samples == 0 ? "no samples" : F($"p50 {p.P50Ms:N0} ms · p95 {p.P95Ms:N0} ms · p99 {p.P99Ms:N0} ms · max {p.MaxMs:N0} ms ({p.Samples:N0} results)");

    private static string Pairs(IReadOnlyDictionary<string, int> counts) =>
        string.Join(" · ", counts.Where(c => c.Value > 0).Select(c => F($"{c.Key} {c.Value:N0}")));

    private static string Short(string topic) => topic.StartsWith("quikapp.", StringComparison.Ordinal) ? topic["quikapp.".Length..] : topic;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
