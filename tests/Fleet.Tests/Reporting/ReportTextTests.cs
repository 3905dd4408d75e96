using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Reporting;

namespace QuikApp.Workers.Fleet.Tests.Reporting;

/// <summary>The report's text, its JSON form, its exit code and the figures it is built from.</summary>
public sealed class ReportTextTests
{
    private static readonly RuleResult Passing = new("dlq: holds exactly the malformed events", true, 15, 15, []);
    private static readonly RuleResult Failing = new("moderation: every sent message has exactly one result", false, 10, 9, ["missing: no result for message 65a0"]);

    [Fact]
    public void Percentiles_Of_UsesTheNearestRank()
    {
        var p = Percentiles.Of([.. Enumerable.Range(1, 100).Select(i => (double)i)]);

        Assert.Equal((100, 50, 95, 99, 100), (p.Samples, p.P50Ms, p.P95Ms, p.P99Ms, p.MaxMs));
    }

    [Fact]
    public void Percentiles_Of_NoSamples_IsZeroes()
    {
        Assert.Equal(new Percentiles(0, 0, 0, 0, 0), Percentiles.Of([]));
    }

    [Fact]
    public void Lines_AllRulesPass_EndWithPassAndExitZero()
    {
        var report = Report(Passing);

        var lines = ReportText.Lines(report);

        Assert.Equal(0, report.ExitCode);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("PASS  dlq: holds exactly the malformed events", StringComparison.Ordinal) && l.EndsWith("15/15", StringComparison.Ordinal));
        Assert.StartsWith("result       PASS", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_ARuleFails_ShowsItsProblemsAndEndsWithFailAndExitOne()
    {
        var report = Report(Passing, Failing);

        var lines = ReportText.Lines(report);

        Assert.Equal(1, report.ExitCode);
        var failed = lines.ToList().FindIndex(l => l.Contains("FAIL  moderation: every sent message", StringComparison.Ordinal));
        Assert.True(failed > 0);
        Assert.Equal("missing: no result for message 65a0", lines[failed + 1].Trim());
        Assert.StartsWith("result       FAIL: 1 rule(s) failed (exit 1)", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_NoMongo_SaysWhyTheAnalyticsJobsDidNotRun()
    {
        var lines = ReportText.Lines(Report(Passing));

        Assert.Contains(lines, l => l.StartsWith("analytics    skipped: needs MongoDB", StringComparison.Ordinal));
    }

    [Fact]
    public void Lines_Bench_PutsEachFigureBesideItsBaseline()
    {
        var bench = new BenchSummary(4_000, 350_000, 200_000, 12.5, 60, 25, 300, 17.5, 40, 900, "ClamAV 1.4.6", "8.14.1");

        var lines = ReportText.Lines(Report(Passing) with { Bench = bench });

        Assert.Contains(lines, l => l.Contains("moderation pipeline", StringComparison.Ordinal) && l.Contains("4,000 events/s", StringComparison.Ordinal)
            && l.Contains("350,000 records/s", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("clamd INSTREAM alone", StringComparison.Ordinal) && l.Contains("vipsthumbnail alone", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_RoundTrips_WithTheRulesAndTheExitCode()
    {
        var report = Report(Passing, Failing);

        var json = ReportText.ToJson(report);
        var read = ReportText.FromJson(json)!;

        Assert.Contains("\"exitCode\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"passed\": false", json, StringComparison.Ordinal);
        Assert.Equal(report.Conservation.Select(r => (r.Name, r.Passed, r.Expected, r.Observed)), read.Conservation.Select(r => (r.Name, r.Passed, r.Expected, r.Observed)));
        Assert.Equal(report.Latency, read.Latency);
        Assert.Equal(report.Run.Machine, read.Run.Machine);
    }

    [Theory]
    [InlineData("malformed: payload: not valid JSON (Expected end of string. BytePositionInLine: 216.)", "malformed: payload: not valid JSON")]
    [InlineData("malformed: data.fileId: expected a UUID string (8-4-4-4-12 hex digits), got 'not-a-uuid'", "malformed: data.fileId: expected a UUID string")]
    [InlineData("rejected: nope", "rejected: nope")]
    public void ReasonWithoutDetail_DropsTheDetailThatDiffersPerRecord(string reason, string grouped)
    {
        Assert.Equal(grouped, FleetReportBuilder.ReasonWithoutDetail(reason));
    }

    internal static FleetReport Report(params RuleResult[] rules) => new(
        new RunSummary("demo", "fleet demo", 42, 2_000, 60, "in-memory stores (no MongoDB)", "in this process",
            new MachineSummary(2, "Test CPU", "Linux", ".NET 10", "1.00 1.00 1.00"), new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero), 12.5, "/tmp/run", false),
        new WorkloadSummary(new Dictionary<string, int> { ["quikapp.message.sent"] = 2_003 }, 2_300, 15, 500, []),
        new ModerationSummary(2_000, 1_600, 350, 50, 60, 420, 1_200),
        new FilesSummary(60, new Dictionary<string, int> { ["clean"] = 53, ["infected"] = 6, ["error"] = 1 },
            new Dictionary<string, int> { ["done"] = 53, ["skipped"] = 6, ["failed"] = 1 }, 42, 36, 60, 53),
        [new DeadLetterGroup("malformed: payload: not valid JSON", 5, ["quikapp.message.sent.dlq"])],
        new LatencySummary(new Percentiles(2_000, 300, 500, 650, 700), new Percentiles(60, 400, 800, 900, 950)),
        new ThroughputSummary(7, 320, 7, 310, 6.5, 9.2),
        new MemorySummary(360, new Dictionary<string, double> { ["fleet"] = 360 }),
        rules,
        new AnalyticsSummary("needs MongoDB (set MONGODB_URL)", []));
}
