using System.Globalization;

namespace QuikApp.Workers.Fleet.CommandLine;

/// <summary>The fleet's verbs.</summary>
internal enum FleetVerb
{
    Demo,
    Bench,
    Chaos,
    Worker,
    Help,
}

/// <summary>A demo or bench run as the command line asked for it.</summary>
/// <param name="Rate">Events per second the producer may hand over; null: as fast as it can.</param>
/// <param name="MaxBacklog">How far sent messages and uploads may run ahead of their effects (the embedded brokers keep about 5 MiB per partition).</param>
/// <param name="Timeout">How long the run waits for every effect once producing has started.</param>
/// <param name="Plain">Plain progress lines even on a terminal.</param>
/// <param name="Keep">Keep the run's storage (originals, thumbnails, quarantine) after the run; logs and the JSON report always stay.</param>
internal sealed record FleetOptions(
    FleetVerb Verb,
    int Messages,
    int Files,
    int Seed,
    string? JsonPath,
    bool Processes,
    double? Rate,
    long MaxBacklog,
    TimeSpan Timeout,
    bool Plain,
    bool Keep,
    string? RunDirectory,
    string Command,
    IReadOnlyList<string>? Scenarios = null)
{
    public static FleetOptions Demo(string command = "fleet demo") =>
        new(FleetVerb.Demo, 2_000, 60, 42, null, false, 400, 20_000, TimeSpan.FromMinutes(5), false, false, null, command);

    public static FleetOptions Bench(string command = "fleet bench") =>
        new(FleetVerb.Bench, 200_000, 500, 42, null, false, null, 20_000, TimeSpan.FromHours(1), true, false, null, command);

    /// <summary>Per scenario: a workload that takes about 7 s to produce, so every fault (1.5 s to 6.5 s in) meets work in flight.</summary>
    public static FleetOptions Chaos(string command = "fleet chaos") =>
        new(FleetVerb.Chaos, 1_500, 40, 42, null, false, 300, 20_000, TimeSpan.FromMinutes(3), true, false, null, command);
}

/// <summary>Reads the command line. Pure.</summary>
internal static class FleetArguments
{
    public static string Usage { get; } = UsageText.Replace("SCENARIOS", string.Join(", ", Chaos.ChaosScenarios.Names), StringComparison.Ordinal);

    private const string UsageText = """
        usage: fleet demo  [--messages N] [--files N] [--seed N] [--rate EVENTS_PER_S|0] [--json PATH] [--processes] [--timeout S] [--plain] [--keep] [--run-dir DIR]
               fleet bench [--messages N] [--files N] [--seed N] [--json PATH] [--processes] [--timeout S] [--keep] [--run-dir DIR]
               fleet chaos [--scenario NAME[,NAME…]] [--messages N] [--files N] [--seed N] [--rate EVENTS_PER_S] [--json PATH] [--timeout S] [--keep] [--run-dir DIR]

          demo   the whole fleet on this machine: embedded Kafka (3 brokers), clamd, local storage, the three workers,
                 a seeded workload with a live progress bar, then a report and the conservation check (exit 1 if it fails).
                 Defaults: 2,000 messages, 60 files, seed 42, 400 events/s. Without MONGODB_URL the results are kept in memory.
          bench  the same, bigger (defaults 200,000 messages, 500 files) and quieter, produced as fast as the workers take it;
                 prints each figure beside its baseline from the same run (raw consume, clamd and vipsthumbnail alone).
          chaos  one run per scenario (defaults 1,500 messages, 40 files, 300 events/s), each breaking the fleet on purpose
                 while the workload runs — brokers down, request errors, workers killed with SIGKILL, clamd killed,
                 storage failing, a rebalance, store writes failing — and ending with the conservation check; then a
                 table scenario → result (exit 1 if any failed). Scenarios: SCENARIOS.
          --processes  one process per worker (without MONGODB_URL they share this process's stores over loopback).
          docs/fleet.md explains the report.
        """;

    /// <summary>Parses a demo or bench command line; null with an error for anything else wrong.</summary>
    public static FleetOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        error = null;
        var command = "fleet " + string.Join(' ', args);
        var options = args.Count == 0 ? null : args[0] switch
        {
            "demo" => FleetOptions.Demo(command),
            "bench" => FleetOptions.Bench(command),
            "chaos" => FleetOptions.Chaos(command),
            _ => null,
        };
        if (options is null)
        {
            error = args.Count == 0 ? "a verb is needed" : $"unknown verb '{args[0]}'";
            return null;
        }

        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value");
            try
            {
                options = name switch
                {
                    "--messages" => options with { Messages = NonNegative(name, Next()) },
                    "--files" => options with { Files = NonNegative(name, Next()) },
                    "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--rate" => options with { Rate = NonNegative(name, Next()) is var rate and > 0 ? rate : null },
                    "--max-backlog" => options with { MaxBacklog = Math.Max(1, NonNegative(name, Next())) },
                    "--json" => options with { JsonPath = Next() },
                    "--processes" when options.Verb == FleetVerb.Chaos => throw new FormatException("chaos has no --processes: each scenario says where its workers run"),
                    "--processes" => options with { Processes = true },
                    "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Math.Max(1, NonNegative(name, Next()))) },
                    "--plain" => options with { Plain = true },
                    "--keep" => options with { Keep = true },
                    "--run-dir" => options with { RunDirectory = Next() },
                    "--scenario" when options.Verb == FleetVerb.Chaos => options with { Scenarios = Scenarios(Next()) },
                    _ => throw new FormatException($"unknown option '{name}'"),
                };
            }
            catch (FormatException ex)
            {
                error = ex.Message;
                return null;
            }
        }

        return options;
    }

    private static List<string> Scenarios(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = names.Where(n => !Chaos.ChaosScenarios.Names.Contains(n)).ToList();
        return unknown.Count == 0 && names.Count > 0
            ? names
            : throw new FormatException($"unknown scenario '{string.Join(", ", unknown)}' (there are: {string.Join(", ", Chaos.ChaosScenarios.Names)})");
    }

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new FormatException($"{name} takes a whole number of at least 0 (got '{value}')");
}
