using QuikApp.Workers.Fleet.CommandLine;
using QuikApp.Workers.Fleet.Progress;
using QuikApp.Workers.Fleet.Reporting;
using QuikApp.Workers.Fleet.Running;

namespace QuikApp.Workers.Fleet.Tests.Running;

/// <summary>
/// The demo end to end in this process, small: embedded Kafka, a real clamd (tools/setup-test-env.sh installs it), the
/// moderation and files workers on the in-memory stores, the seeded workload, the report and the conservation check.
/// </summary>
public sealed class DemoRunTests
{
    [Fact(Timeout = 120_000)]
    public async Task Demo_SmallRunWithoutMongo_SaysSoFirst_PassesTheConservationCheck_AndExitsZero()
    {
        var directory = Directory.CreateTempSubdirectory("quikapp-fleet-demo-").FullName;
        try
        {
            var json = Path.Join(directory, "report.json");
            var options = FleetOptions.Demo("fleet demo --messages 300 --files 20 --rate 0") with
            {
                Messages = 300, Files = 20, Rate = null, RunDirectory = directory, JsonPath = json, Timeout = TimeSpan.FromSeconds(90),
            };
            using var text = new StringWriter();

            var outcome = await new FleetRun(options, new FleetOutput(text, interactive: false), mongoUrl: null).ExecuteAsync(TestContext.Current.CancellationToken);

            var output = text.ToString();
            Assert.StartsWith(FleetRun.NoMongoNotice, output, StringComparison.Ordinal);
            Assert.True(outcome.Report?.Passed, output);
            Assert.Equal(0, outcome.ExitCode);
            var report = ReportText.FromJson(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken))!;
            Assert.Equal(300, report.Moderation.Results);
            Assert.Equal(20, report.Files.Documents);
            Assert.Equal(15, report.DeadLetters.Sum(d => d.Count));
            Assert.True(report.Files.ByScanStatus["infected"] > 0);
            Assert.True(report.Latency.Moderation.Samples == 300 && report.Latency.Moderation.P99Ms > 0);
            Assert.True(report.Memory.PeakRssMiB > 0);
            Assert.True(File.Exists(Path.Join(directory, "workers.log")));
            Assert.False(Directory.Exists(Path.Join(directory, "storage")), "the run's storage goes unless --keep");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
