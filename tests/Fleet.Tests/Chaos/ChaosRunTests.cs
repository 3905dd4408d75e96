using QuikApp.Workers.Fleet.Chaos;
using QuikApp.Workers.Fleet.CommandLine;
using QuikApp.Workers.Fleet.Progress;

namespace QuikApp.Workers.Fleet.Tests.Chaos;

/// <summary>
/// <c>fleet chaos</c> end to end, small: the embedded brokers, a real clamd, the workers — as child processes killed
/// with SIGKILL for <c>worker-killed</c> — and the conservation check after the faults. About 25 s each.
/// </summary>
public sealed class ChaosRunTests
{
    [Fact(Timeout = 240_000)]
    public async Task WorkerKilled_WorkerProcessesKilledMidBatchAndRestarted_LoseNothing() =>
        await RunAsync("worker-killed", report =>
        {
            var scenario = Assert.Single(report.Scenarios);
            Assert.Equal("as 2 processes", scenario.Workers);
            Assert.Equal(4, scenario.Faults.Count(f => f.What.Contains("killed with SIGKILL", StringComparison.Ordinal)));
            Assert.Equal(4, scenario.Faults.Count(f => f.What.Contains("restarted", StringComparison.Ordinal)));
        });

    [Fact(Timeout = 240_000)]
    public async Task ClamdRestart_FilesWaitForClamd_AndGetTheirExpectedOutcome() =>
        // The conservation rule "every upload has exactly one outcome, the expected one" fails for a file scanned as
        // an error while clamd was away; the evidence shows the files partitions paused and retried meanwhile.
        await RunAsync("clamd-restart", report => Assert.True(Assert.Single(report.Scenarios).Evidence.Count(ChaosEvidence.Retrying) > 0));

    private static async Task RunAsync(string scenario, Action<ChaosReport> inspect)
    {
        var directory = Directory.CreateTempSubdirectory("quikapp-fleet-chaos-").FullName;
        try
        {
            var json = Path.Join(directory, "chaos.json");
            // 500 messages and 20 uploads at 100 events/s: production outlasts the faults (1.5 s to 6.5 s in).
            var options = FleetOptions.Chaos($"fleet chaos --scenario {scenario}") with
            {
                Messages = 500, Files = 20, Rate = 100, Scenarios = [scenario], RunDirectory = directory, JsonPath = json, Timeout = TimeSpan.FromSeconds(150),
            };
            using var text = new StringWriter();

            var exit = await new ChaosRunner(options, new FleetOutput(text, interactive: false), mongoUrl: null).RunAsync(TestContext.Current.CancellationToken);

            var output = text.ToString();
            Assert.True(exit == 0, output);
            var report = ChaosRunner.FromJson(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken))!;
            Assert.True(report.Passed, output);
            var result = Assert.Single(report.Scenarios);
            Assert.Equal((scenario, ChaosRunner.Passed, 9, 9), (result.Scenario, result.Result, result.RulesPassed, result.Rules));
            Assert.Contains($"{scenario}", output, StringComparison.Ordinal);
            Assert.Contains("── QuikApp fleet chaos report ──", output, StringComparison.Ordinal);
            inspect(report);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
