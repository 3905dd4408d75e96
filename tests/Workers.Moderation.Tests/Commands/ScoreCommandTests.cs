using System.Diagnostics;
using System.Text.Json;
using QuikApp.Workers.Moderation.Commands;

namespace QuikApp.Workers.Moderation.Tests.Commands;

/// <summary>The <c>score</c> verb as an operator runs it: the worker executable, JSON lines in, JSON lines out, no Kafka or MongoDB.</summary>
public sealed class ScoreCommandTests
{
    private static async Task<(int ExitCode, string[] Lines, string Errors)> RunAsync(string input, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "QuikApp.Workers.Moderation.dll"));
        start.ArgumentList.Add("score");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No Kafka or MongoDB anywhere near: the verb must not try to reach them.
        start.ArgumentList.Add("--Kafka:BootstrapServers=127.0.0.1:1");
        start.ArgumentList.Add("--Mongo:ConnectionString=mongodb://127.0.0.1:1");
        start.ArgumentList.Add("--Serilog:MinimumLevel:Default=Warning");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries), await errors);
    }

    [Fact(Timeout = 60_000)]
    public async Task Score_JsonLinesOnStdin_WritesOneVerdictPerMessage()
    {
        var input = string.Join('\n',
            """{"content":"can we move standup to 10?"}""",
            """{"content":"you are a worthless idiot, kill yourself","userId":"7d2a53c1-8f3e-4b8e-9a0e-2a0b5c6d7e8f"}""",
            """{"content":"FREE crypto!!! http://bit.ly/x","mentions":["a","b"],"mentionsEveryone":true}""",
            "");

        var (exitCode, lines, errors) = await RunAsync(input);

        Assert.True(exitCode == 0, errors);
        Assert.Equal(3, lines.Length);
        var verdicts = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("allow", verdicts[0].GetProperty("action").GetString());
        Assert.Equal("block", verdicts[1].GetProperty("action").GetString());
        Assert.Contains("toxicity.threat:kill yourself", verdicts[1].GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("spam.everyone", verdicts[2].GetProperty("checks").GetProperty("spam").GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.All(verdicts, v => Assert.Equal(64, v.GetProperty("contentHash").GetString()!.Length));
    }

    [Fact(Timeout = 60_000)]
    public async Task Score_WithAPolicyOverride_DryRunsThatPolicy()
    {
        var (_, fleet, _) = await RunAsync("""{"content":"this is crap"}""");
        var (_, strict, _) = await RunAsync("""{"content":"this is crap"}""", "--Moderation:Policy:Profanity:Flag=0.3", "--Moderation:Policy:Profanity:Block=0.4");

        Assert.Equal("allow", JsonDocument.Parse(fleet[0]).RootElement.GetProperty("action").GetString());
        Assert.Equal("block", JsonDocument.Parse(strict[0]).RootElement.GetProperty("action").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Score_BadLine_ReportsItAndGoesOn_ExitingNonZero()
    {
        var (exitCode, lines, _) = await RunAsync("not json\n{\"nope\":1}\n{\"content\":\"ok\"}\n");

        Assert.Equal(1, exitCode);
        Assert.Equal(3, lines.Length);
        Assert.True(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("error", out _));
        Assert.Contains("content", JsonDocument.Parse(lines[1]).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("allow", JsonDocument.Parse(lines[2]).RootElement.GetProperty("action").GetString());
    }

    [Theory]
    [InlineData("""{"content":"x","mentions":3}""", 3)]
    [InlineData("""{"content":"x","mentions":["a","b"]}""", 2)]
    [InlineData("""{"content":"x"}""", 0)]
    public void ParseLine_MentionsAsCountOrList_CountsThem(string line, int expected) =>
        Assert.Equal(expected, ScoreCommand.ParseLine(line).MentionCount);
}
