using System.Text.RegularExpressions;

namespace QuikApp.Workers.Deployment.Tests.Images;

/// <summary>The one parameterised Dockerfile: multi-stage, restore cached apart from the sources, non-root, self-probing.</summary>
public sealed class DockerfileTests
{
    private static readonly string Dockerfile = RepositoryFiles.Text("Dockerfile");

    private static List<string> Instructions() =>
        [.. Dockerfile.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !char.IsWhiteSpace(l[0]))];

    [Fact]
    public void Build_IsMultiStage_SdkToAspNetRuntime()
    {
        var froms = Instructions().Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(["FROM ${SDK_IMAGE} AS build", "FROM ${RUNTIME_IMAGE} AS runtime"], froms);
        Assert.Contains("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_RunsOnTheProjectFilesAlone_BeforeTheSourcesAreCopied()
    {
        var instructions = Instructions();
        var restore = instructions.FindIndex(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var sources = instructions.FindIndex(l => l == "COPY src/ src/");

        Assert.InRange(restore, 0, sources - 1);
        var beforeRestore = instructions.Take(restore).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)).ToList();
        Assert.All(beforeRestore, c => Assert.DoesNotMatch(@"COPY (src/ |\. )", c));
        foreach (var project in Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryFiles.Root, project).Replace('\\', '/');
            Assert.Contains(beforeRestore, c => c.StartsWith($"COPY {relative} ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Runtime_IsTheImagesNonRootUser_OnPort8080_WithAHealthcheckThroughTheWorkerItself()
    {
        var runtime = Dockerfile[Dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)..];

        Assert.Contains("USER $APP_UID", runtime, StringComparison.Ordinal);
        Assert.Contains("Health__Port=8080", runtime, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 8080", runtime, StringComparison.Ordinal);
        Assert.Matches(@"HEALTHCHECK [^\n]*CMD \[""/app/quikapp-worker"", ""health-probe""\]", runtime);
        Assert.Contains("ENTRYPOINT [\"/app/quikapp-worker\"]", runtime, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSecret_IsBakedIn_AndTheContextLeavesOutTestsToolsAndEnvFiles()
    {
        Assert.DoesNotMatch(new Regex(@"^(ARG|ENV)\s[^\n]*(PASSWORD|SECRET|TOKEN|ConnectionString)", RegexOptions.Multiline | RegexOptions.IgnoreCase), Dockerfile);
        var ignored = RepositoryFiles.Text(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string> { "tests/", "tools/", ".git/", ".env", "**/bin/", "**/obj/" }, ignored);
    }
}
