using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using QuikApp.Workers.Fleet.CommandLine;
using QuikApp.Workers.Fleet.Progress;
using QuikApp.Workers.Fleet.Reporting;
using QuikApp.Workers.Fleet.Running;

namespace QuikApp.Workers.Fleet.Chaos;

/// <summary>How one scenario ended.</summary>
/// <param name="Result">PASS, FAIL, or SKIPPED (with the reason in <paramref name="Problems"/>).</param>
/// <param name="Evidence">The workers' warnings, errors and consumer lifecycle events by name (<see cref="ChaosEvidence"/>).</param>
/// <param name="Problems">The failed rules' first problems, a failed timeline step, a fault that left no trace, or why it was skipped.</param>
internal sealed record ChaosResult(
    string Scenario,
    string Description,
    string Result,
    int ExitCode,
    string Workers,
    double Seconds,
    int RulesPassed,
    int Rules,
    int DerivedCopies,
    int DeadLetterCopies,
    IReadOnlyList<InjectedFault> Faults,
    IReadOnlyDictionary<string, int> Evidence,
    IReadOnlyList<string> Problems,
    string? Report)
{
    public bool Passed => Result != ChaosRunner.Failed;
}

/// <summary>The chaos run's summary, as <c>--json</c> writes it; each scenario's full report is beside it.</summary>
internal sealed record ChaosReport(string Command, int Seed, int Messages, int Files, string Stores, MachineSummary Machine, IReadOnlyList<ChaosResult> Scenarios)
{
    public bool Passed => Scenarios.All(s => s.Passed);
}

/// <summary>
/// <c>fleet chaos</c>: each scenario is a fleet run of its own (fresh brokers, clamd, storage and stores) with the
/// scenario's faults played beside the workload, ending with the conservation check — derived-event and dead-letter
/// copies allowed, as at-least-once delivery allows them. Prints a line per scenario as it ends, then the table.
/// </summary>
internal sealed class ChaosRunner(FleetOptions options, FleetOutput output, string? mongoUrl)
{
    public const string Passed = "PASS";
    public const string Failed = "FAIL";
    public const string Skipped = "SKIPPED";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (mongoUrl is null)
        {
            output.Line(FleetRun.NoMongoNotice);
            output.Line("(chaos without MongoDB: worker processes reach the fleet's in-memory stores over loopback, so a killed worker comes back to its state)");
        }

        var directory = Path.GetFullPath(options.RunDirectory ?? Path.Join(".fleet", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-chaos"));
        Directory.CreateDirectory(directory);
        var scenarios = options.Scenarios is { Count: > 0 } names ? ChaosScenarios.All.Where(s => names.Contains(s.Name)).ToList() : [.. ChaosScenarios.All];
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"chaos: {scenarios.Count} scenarios, each a run of its own · seed {options.Seed} · {options.Messages:N0} messages · {options.Files:N0} files · {options.Rate:N0} events/s · output in {directory}"));

        var results = new List<ChaosResult>();
        foreach (var (scenario, index) in scenarios.Select((s, i) => (s, i + 1)))
        {
            output.Line($"[{index}/{scenarios.Count}] {scenario.Name}: {scenario.Description}");
            var result = await RunScenarioAsync(scenario, Path.Join(directory, scenario.Name), cancellationToken).ConfigureAwait(false);
            results.Add(result);
            foreach (var fault in result.Faults)
            {
                output.Line(string.Create(CultureInfo.InvariantCulture, $"      +{fault.AtSeconds,5:N1} s  {fault.What}"));
            }

            if (result.Evidence.Count > 0)
            {
                output.Line("      workers logged: " + string.Join(" · ", result.Evidence.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value}"))));
            }

            output.ReportLine(string.Create(CultureInfo.InvariantCulture,
                $"      {result.Result} · rules {result.RulesPassed}/{result.Rules} · copies {result.DerivedCopies} derived, {result.DeadLetterCopies} dead letters · {result.Seconds:N1} s"));
            foreach (var problem in result.Problems)
            {
                output.Line($"        {problem}");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        var report = new ChaosReport(options.Command, options.Seed, options.Messages, options.Files,
            mongoUrl is null ? "in-memory stores (no MongoDB)" : "MongoDB", MachineInfo.Describe(), results);
        foreach (var line in Table(report))
        {
            output.ReportLine(line);
        }

        var json = options.JsonPath ?? Path.Join(directory, "chaos.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, ReportText.Json), cancellationToken).ConfigureAwait(false);
        output.Line($"report: {Path.GetFullPath(json)} (each scenario's full report and output beside it, in {directory})");
        return results.Any(r => r.ExitCode == FleetRun.EnvironmentError) ? FleetRun.EnvironmentError : report.Passed ? 0 : 1;
    }

    public static ChaosReport? FromJson(string json) => JsonSerializer.Deserialize<ChaosReport>(json, ReportText.Json);

    /// <summary>The table printed at the end: scenario → result.</summary>
    public static IReadOnlyList<string> Table(ChaosReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var width = Math.Max("scenario".Length, report.Scenarios.Select(s => s.Scenario.Length).DefaultIfEmpty(0).Max());
        var workers = Math.Max("workers".Length, report.Scenarios.Select(s => s.Workers.Length).DefaultIfEmpty(0).Max());
        var lines = new List<string>
        {
            "── QuikApp fleet chaos report ──",
            $"run          seed {report.Seed} · {report.Messages:N0} messages · {report.Files:N0} files per scenario · {report.Stores}",
            $"machine      {report.Machine.Cores} cores ({report.Machine.Cpu}) · {report.Machine.OperatingSystem} · {report.Machine.Runtime}",
            $"command      {report.Command}",
            $"{"scenario".PadRight(width)}  {"workers".PadRight(workers)}  result   rules  copies (derived/dlq)  faults  time",
        };
        lines.AddRange(report.Scenarios.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Scenario.PadRight(width)}  {s.Workers.PadRight(workers)}  {s.Result,-7}  {s.RulesPassed,2}/{s.Rules,-2}  {s.DerivedCopies,6}/{s.DeadLetterCopies,-13}  {s.Faults.Count,6}  {s.Seconds,5:N1} s")));
        var failed = report.Scenarios.Count(s => !s.Passed);
        lines.Add(failed == 0
            ? $"result       {Passed}: in every scenario each valid event has exactly one effect and the DLQ holds only the malformed events (exit 0)"
            : $"result       {Failed}: {failed} of {report.Scenarios.Count} scenario(s) failed (exit 1)");
        return lines;
    }

    private async Task<ChaosResult> RunScenarioAsync(ChaosScenario scenario, string directory, CancellationToken cancellationToken)
    {
        if (scenario.NeedsInMemoryStores && mongoUrl is not null)
        {
            return new ChaosResult(scenario.Name, scenario.Description, Skipped, 0, "-", 0, 0, 0, 0, 0, [], new Dictionary<string, int>(),
                ["skipped: it drives the in-memory stores' failures; a MongoDB outage is not injected from here"], null);
        }

        Directory.CreateDirectory(directory);
        var run = new ChaosScenarioRun(scenario);
        var scenarioOptions = options with
        {
            RunDirectory = directory,
            Processes = scenario.Processes,
            Rate = scenario.Rate ?? options.Rate,
            JsonPath = Path.Join(directory, "report.json"),
            Command = $"{options.Command} (scenario {scenario.Name})",
        };
        var clock = Stopwatch.StartNew();
        FleetRunOutcome outcome;
        var outputPath = Path.Join(directory, "output.txt");
        await using (var writer = new StreamWriter(outputPath))
        {
            outcome = await new FleetRun(scenarioOptions, new FleetOutput(writer, interactive: false), mongoUrl) { Chaos = run }
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        var report = outcome.Report;
        var problems = new List<string>();
        if (report is null)
        {
            problems.Add($"the run did not get to a report (exit {outcome.ExitCode}): {outputPath}");
        }
        else
        {
            if (report.Run.TimedOut)
            {
                problems.Add("timed out waiting for the effects");
            }

            problems.AddRange(report.Conservation.Where(r => !r.Passed).SelectMany(r => r.Problems.Take(3).Prepend($"{Failed} {r.Name}")));
        }

        if (run.TimelineFailed)
        {
            problems.Add("a step of the scenario's timeline failed (see its faults)");
        }

        var evidence = ChaosEvidence.Read(directory);
        var felt = scenario.Felt.Holds(evidence);
        if (!felt)
        {
            problems.Add($"the fault left no trace in the workers' logs (expected: {scenario.Felt.Description}): it tested nothing");
        }

        var passed = outcome.ExitCode == 0 && !run.TimelineFailed && felt;
        return new ChaosResult(scenario.Name, scenario.Description, passed ? Passed : Failed, passed ? 0 : Math.Max(1, outcome.ExitCode),
            report?.Run.Workers ?? (scenario.Processes ? "as processes" : "in this process"), clock.Elapsed.TotalSeconds,
            report?.Conservation.Count(r => r.Passed) ?? 0, report?.Conservation.Count ?? 0,
            report?.Chaos?.DerivedCopies ?? 0, report?.Chaos?.DeadLetterCopies ?? 0, run.Log, evidence, problems, report is null ? null : scenarioOptions.JsonPath);
    }
}
