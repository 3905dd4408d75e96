using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using QuikApp.Workers.Files.Commands;
using QuikApp.Workers.Files.Tests.ClamAV;
using QuikApp.Workers.Files.Tests.Processing;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.Commands;

/// <summary>The <c>process-file</c> verb as an operator runs it: the worker executable on a local file, JSON out, no Kafka, MongoDB or storage.</summary>
public sealed class ProcessFileCommandTests(ClamdFixture clamd) : IClassFixture<ClamdFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("quikapp-process-file-").FullName;

    private async Task<(int ExitCode, JsonElement Result, string Errors)> RunAsync(UploadSample sample, int? clamdPort = null, params string[] extra)
    {
        var path = Path.Join(_directory, sample.FileName);
        await File.WriteAllBytesAsync(path, sample.Content, TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "QuikApp.Workers.Files.dll"));
        start.ArgumentList.Add("process-file");
        start.ArgumentList.Add(path);
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add(Path.Join(_directory, "out"));
        foreach (var argument in extra)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"--Files:Clamd:Port={(clamdPort ?? clamd.Port).ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"--Files:Clamd:MaxStreamLength={ClamdFixture.StreamMaxLength.ToString(CultureInfo.InvariantCulture)}");
        // Nothing near: the verb must not try to reach them.
        start.ArgumentList.Add("--Kafka:BootstrapServers=127.0.0.1:1");
        start.ArgumentList.Add("--Mongo:ConnectionString=mongodb://127.0.0.1:1");
        start.ArgumentList.Add("--Serilog:MinimumLevel:Default=Warning");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var text = await output;
        Assert.True(text.Length > 0, $"no output (exit {process.ExitCode}): {await errors}");
        return (process.ExitCode, JsonDocument.Parse(text).RootElement.Clone(), await errors);
    }

    [Fact(Timeout = 120_000)]
    public async Task ProcessFile_CleanPhoto_PrintsTheVerdictTypeMetadataAndWritesTheThumbnails()
    {
        var (exitCode, result, errors) = await RunAsync(UploadCorpus.JpegRotated);

        Assert.True(exitCode == ProcessFileCommand.Clean, errors);
        Assert.Equal("clean", result.GetProperty("status").GetString());
        Assert.StartsWith("ClamAV 1.", result.GetProperty("engine").GetString(), StringComparison.Ordinal);
        Assert.Equal("image/jpeg", result.GetProperty("type").GetProperty("mimeType").GetString());
        Assert.Equal(1200, result.GetProperty("metadata").GetProperty("width").GetInt32());
        Assert.Equal(1600, result.GetProperty("metadata").GetProperty("height").GetInt32());
        var thumbnail = result.GetProperty("thumbnails")[0];
        Assert.Equal(("thumbnail", 270, 360), (thumbnail.GetProperty("size").GetString(), thumbnail.GetProperty("width").GetInt32(), thumbnail.GetProperty("height").GetInt32()));
        Assert.True(File.Exists(thumbnail.GetProperty("path").GetString()));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("noThumbnail").ValueKind);
        foreach (var stage in new[] { "read", "scan", "metadata", "thumbnail", "write", "total" })
        {
            Assert.True(result.GetProperty("timingsMs").GetProperty(stage).GetDouble() >= 0, stage);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task ProcessFile_Eicar_IsInfected_ExitsOne_AndMakesNoThumbnail()
    {
        var (exitCode, result, _) = await RunAsync(UploadCorpus.EicarZipped);

        Assert.Equal(ProcessFileCommand.NotClean, exitCode);
        Assert.Equal("infected", result.GetProperty("status").GetString());
        Assert.StartsWith("QuikApp.Test.EICAR.", result.GetProperty("signature").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, result.GetProperty("thumbnails").GetArrayLength());
        Assert.Equal("infected: never thumbnailed", result.GetProperty("noThumbnail").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task ProcessFile_ABombDeclaredAsPng_IsCleanButSaysWhyThereIsNoThumbnail()
    {
        var (exitCode, result, _) = await RunAsync(UploadCorpus.PngBomb, null, "--declared-mime", "image/png");

        Assert.Equal(ProcessFileCommand.Clean, exitCode);
        Assert.StartsWith("decompression bomb: 50000x50000", result.GetProperty("noThumbnail").GetString(), StringComparison.Ordinal);
        Assert.Equal("image/png", result.GetProperty("type").GetProperty("declared").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task ProcessFile_ClamdUnreachable_ExitsThreeWithTheReason()
    {
        var (exitCode, result, _) = await RunAsync(UploadCorpus.Pdf, FreePort.Next());

        Assert.Equal(ProcessFileCommand.ClamdUnreachable, exitCode);
        Assert.Contains("clamd", result.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(new string[0], "the path of the file to process is required")]
    [InlineData(new[] { "a", "b" }, "more than one path: b")]
    [InlineData(new[] { "a", "--output" }, "unknown option or missing value: --output")]
    public void TryParse_BadArguments_SaysWhat(string[] arguments, string problem)
    {
        Assert.False(ProcessFileCommand.TryParse(arguments, out _, out var said));
        Assert.Equal(problem, said);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
