using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

public sealed class RunJobArgumentsTests
{
    [Fact]
    public void Parse_NameOnly_HasAnOpenWindow()
    {
        var parsed = RunJobArguments.Parse(["daily-message-stats"]);

        Assert.Equal("daily-message-stats", parsed.Job);
        Assert.True(parsed.Window.IsEmpty);
    }

    [Theory]
    [InlineData("daily-message-stats", "--from", "2026-11-01", "--to", "2026-11-03")]
    [InlineData("--from=2026-11-01", "daily-message-stats", "--to=2026-11-03")]
    [InlineData("--to", "2026-11-03", "--from", "2026-11-01", "daily-message-stats")]
    public void Parse_WindowInAnyOrderAndEitherSpelling_IsUtcMidnights(params string[] arguments)
    {
        var parsed = RunJobArguments.Parse(arguments);

        Assert.Equal("daily-message-stats", parsed.Job);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), parsed.Window.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero), parsed.Window.To);
    }

    [Fact]
    public void Parse_FromOnly_LeavesToOpen()
    {
        var parsed = RunJobArguments.Parse(["j", "--from", "2026-02-28"]);

        Assert.Equal(new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero), parsed.Window.From);
        Assert.Null(parsed.Window.To);
    }

    [Theory]
    [InlineData("the job name is missing")]
    [InlineData("the job name is missing", "--from", "2026-11-01")]
    [InlineData("unexpected argument 'b': give one job name", "a", "b")]
    [InlineData("--from '11/01/2026' is not a date (yyyy-MM-dd)", "j", "--from", "11/01/2026")]
    [InlineData("--from '2026-02-30' is not a date (yyyy-MM-dd)", "j", "--from", "2026-02-30")]
    [InlineData("--to needs a date (yyyy-MM-dd)", "j", "--to")]
    [InlineData("--from needs a date (yyyy-MM-dd)", "j", "--from", "--to", "2026-11-01")]
    [InlineData("--from is given twice", "j", "--from", "2026-11-01", "--from=2026-11-02")]
    [InlineData("unknown option '--window'", "j", "--window", "7d")]
    [InlineData("--to (2026-11-01) must be after --from (2026-11-01); --to is exclusive", "j", "--from", "2026-11-01", "--to", "2026-11-01")]
    public void Parse_Malformed_SaysWhat(string expected, params string[] arguments)
    {
        var failure = Assert.Throws<ArgumentException>(() => RunJobArguments.Parse(arguments));

        Assert.Equal(expected, failure.Message);
    }
}

/// <summary>The run-job verb end to end over the in-memory stores: exit codes and the JSON it prints.</summary>
public sealed class RunJobCommandTests
{
    [Fact(Timeout = 10_000)]
    public async Task RunAsync_KnownJob_RunsItOnceAndPrintsTheOutcome()
    {
        using var harness = new SchedulingHarness();
        var (exit, output, _) = await RunAsync(harness, TestContext.Current.CancellationToken, "daily-message-stats", "--from", "2026-11-01", "--to", "2026-11-02");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("daily-message-stats", root.GetProperty("job").GetString());
        Assert.Equal("cli", root.GetProperty("trigger").GetString());
        Assert.Equal("succeeded", root.GetProperty("status").GetString());
        Assert.Equal(12, root.GetProperty("counts").GetProperty("fixed").GetInt64());
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), root.GetProperty("window").GetProperty("from").GetDateTimeOffset());
        Assert.Equal(Assert.Single(harness.Runs.Runs.Keys), root.GetProperty("runId").GetGuid());
        Assert.Equal(JobRunTrigger.Cli, Assert.Single(harness.Probe.Runs).Trigger);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_UnknownJob_ListsThisWorkersJobsAndExits2()
    {
        using var harness = new SchedulingHarness();

        var (exit, output, error) = await RunAsync(harness, TestContext.Current.CancellationToken, "daily-stats");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("unknown job 'daily-stats'", error, StringComparison.Ordinal);
        Assert.Contains("jobs: daily-message-stats (0 15 0 * * ?)", error, StringComparison.Ordinal);
        Assert.Empty(harness.Probe.Runs);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_BadArguments_PrintsUsageAndExits2()
    {
        using var harness = new SchedulingHarness();

        var (exit, _, error) = await RunAsync(harness, TestContext.Current.CancellationToken, "daily-message-stats", "--from", "yesterday");

        Assert.Equal(2, exit);
        Assert.Contains("usage: run-job <name> [--from yyyy-MM-dd] [--to yyyy-MM-dd]", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_JobFails_PrintsTheErrorAndExits1()
    {
        using var harness = new SchedulingHarness();
        harness.Probe.Behaviour = (_, _) => throw new InvalidOperationException("boom");

        var (exit, output, _) = await RunAsync(harness, TestContext.Current.CancellationToken, "daily-message-stats");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("boom", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_AnotherReplicaIsRunningIt_SaysNotRunAndExits1()
    {
        using var harness = new SchedulingHarness();
        harness.Leases.Seed(new LeaseState("daily-message-stats", "analytics/pod-b#2", SchedulingHarness.Start.AddMinutes(1), null, null, null));

        var (exit, output, _) = await RunAsync(harness, TestContext.Current.CancellationToken, "daily-message-stats");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("not-run", json.RootElement.GetProperty("status").GetString());
        Assert.Contains("lease held by analytics/pod-b#2", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(SchedulingHarness harness, CancellationToken cancellationToken, params string[] arguments)
    {
        var command = Assert.IsType<RunJobCommand>(harness.Provider.GetServices<IWorkerCommand>().Single(c => c.Name == "run-job"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await command.RunAsync(harness.Provider, arguments, output, error, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
