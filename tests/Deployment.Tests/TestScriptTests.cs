using System.Diagnostics;

namespace QuikApp.Workers.Deployment.Tests;

/// <summary>tools/test.sh, the README's test command: the MongoDB lane cannot be silently skipped when it is required.</summary>
public sealed class TestScriptTests
{
    [Fact]
    public async Task RequireMongodb_NoMongoDbReachable_ExitsNonZeroWithOneLineReason()
    {
        // Where a MongoDB could be reached, the script would go on to run the whole suite: that is the hosted lane's job.
        Assert.SkipWhen(
            File.Exists("/var/run/docker.sock") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")),
            "a Docker engine is present: --require-mongodb would run the whole suite against it");

        var start = new ProcessStartInfo("bash", [RepositoryFiles.PathOf("tools/test.sh"), "--require-mongodb"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFiles.Root,
        };
        start.Environment.Remove("QUIKAPP_TEST_MONGODB_URL");
        start.Environment.Remove("DOCKER_HOST");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, process.ExitCode);
        var reason = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--require-mongodb", reason, StringComparison.Ordinal);
        Assert.Contains("QUIKAPP_TEST_MONGODB_URL", reason, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await stdout);
    }
}
