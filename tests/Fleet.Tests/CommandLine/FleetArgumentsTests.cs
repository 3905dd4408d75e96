using QuikApp.Workers.Fleet.Chaos;
using QuikApp.Workers.Fleet.CommandLine;
using QuikApp.Workers.Fleet.Workload;

namespace QuikApp.Workers.Fleet.Tests.CommandLine;

/// <summary>The demo, bench and chaos command lines.</summary>
public sealed class FleetArgumentsTests
{
    [Fact]
    public void Parse_Demo_HasTheDemoDefaults()
    {
        var options = FleetArguments.Parse(["demo"], out var error)!;

        Assert.Null(error);
        Assert.Equal((FleetVerb.Demo, 2_000, 60, 42, 400.0, false), (options.Verb, options.Messages, options.Files, options.Seed, options.Rate!.Value, options.Processes));
    }

    [Fact]
    public void Parse_Bench_IsBiggerUnpacedAndQuiet()
    {
        var options = FleetArguments.Parse(["bench"], out _)!;

        Assert.Equal((200_000, 500, null, true), (options.Messages, options.Files, options.Rate, options.Plain));
    }

    [Fact]
    public void Parse_Options_OverrideTheDefaultsAndKeepTheCommand()
    {
        var options = FleetArguments.Parse(["bench", "--messages", "50000", "--files", "200", "--seed", "7", "--rate", "0", "--json", "r.json",
            "--processes", "--timeout", "90", "--keep", "--run-dir", "runs/a"], out var error)!;

        Assert.Null(error);
        Assert.Equal((50_000, 200, 7, (double?)null, "r.json", true, TimeSpan.FromSeconds(90), true, "runs/a"),
            (options.Messages, options.Files, options.Seed, options.Rate, options.JsonPath, options.Processes, options.Timeout, options.Keep, options.RunDirectory));
        Assert.Equal("fleet bench --messages 50000 --files 200 --seed 7 --rate 0 --json r.json --processes --timeout 90 --keep --run-dir runs/a", options.Command);
    }

    [Fact]
    public void Parse_Chaos_RunsEveryScenario_OnAWorkloadThatOutlastsTheFaults()
    {
        var options = FleetArguments.Parse(["chaos"], out var error)!;

        Assert.Null(error);
        Assert.Equal((FleetVerb.Chaos, 1_500, 40, 300.0, null), (options.Verb, options.Messages, options.Files, options.Rate!.Value, options.Scenarios));
        // At the chaos pace the workload takes longer to produce than the faults last (they heal 6.5 s in).
        var records = WorkloadGenerator.Generate(WorkloadSpec.Create(options.Messages, options.Files, options.Seed, DateTimeOffset.UnixEpoch, null)).Events.Count;
        Assert.True(records / options.Rate > ChaosScenarios.FaultStart + ChaosScenarios.Outage, $"{records} records at {options.Rate}/s");
    }

    [Fact]
    public void Parse_ChaosScenarios_AreCheckedAgainstTheCatalog()
    {
        var options = FleetArguments.Parse(["chaos", "--scenario", "worker-killed, clamd-restart"], out var error)!;
        var unknown = FleetArguments.Parse(["chaos", "--scenario", "worker-killed,meteor"], out var refused);
        var demo = FleetArguments.Parse(["demo", "--scenario", "worker-killed"], out var notForDemo);

        Assert.Null(error);
        Assert.Equal(["worker-killed", "clamd-restart"], options.Scenarios);
        Assert.Null(unknown);
        Assert.StartsWith("unknown scenario 'meteor' (there are: broker-down, all-brokers-down, request-errors, worker-killed", refused, StringComparison.Ordinal);
        Assert.Null(demo);
        Assert.Equal("unknown option '--scenario'", notForDemo);
        Assert.Null(FleetArguments.Parse(["chaos", "--processes"], out var processes));
        Assert.Equal("chaos has no --processes: each scenario says where its workers run", processes);
    }

    [Theory]
    [InlineData(new[] { "launch" }, "unknown verb 'launch'")]
    [InlineData(new[] { "demo", "--messages" }, "--messages needs a value")]
    [InlineData(new[] { "demo", "--messages", "-3" }, "--messages takes a whole number of at least 0 (got '-3')")]
    [InlineData(new[] { "demo", "--colour" }, "unknown option '--colour'")]
    public void Parse_Mistakes_SayWhat(string[] args, string expected)
    {
        Assert.Null(FleetArguments.Parse(args, out var error));
        Assert.Equal(expected, error);
    }
}
