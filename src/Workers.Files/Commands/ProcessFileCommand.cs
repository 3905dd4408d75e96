using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;

namespace QuikApp.Workers.Files.Commands;

/// <summary>
/// <c>process-file &lt;path&gt; [--output dir] [--declared-mime type]</c>: runs the worker's scan, sniffing, metadata and
/// thumbnail steps (<see cref="FileAnalyzer"/>) on a local file, without Kafka, MongoDB or object storage (clamd from
/// <c>Files:Clamd</c>), writes the thumbnails to the output directory and prints the result as JSON.
/// </summary>
/// <remarks>Exit codes: 0 clean; 1 infected or no verdict (not known clean); 2 bad arguments or unreadable file; 3 clamd unreachable.</remarks>
internal sealed class ProcessFileCommand : IWorkerCommand
{
    public const int Clean = 0;
    public const int NotClean = 1;
    public const int BadArguments = 2;
    public const int ClamdUnreachable = 3;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Name => "process-file";

    public string Usage => "process-file <path> [--output <dir>] [--declared-mime <type>]   scan, sniff, read metadata and render thumbnails of a local file; JSON on stdout";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(arguments);
        if (!TryParse(arguments, out var parsed, out var problem))
        {
            await Console.Error.WriteLineAsync($"process-file: {problem}\nusage: {Usage}").ConfigureAwait(false);
            return BadArguments;
        }

        if (!File.Exists(parsed.Path))
        {
            await Console.Error.WriteLineAsync($"process-file: no such file: {parsed.Path}").ConfigureAwait(false);
            return BadArguments;
        }

        var analyzer = services.GetRequiredService<FileAnalyzer>();
        var started = Stopwatch.GetTimestamp();
        FileAnalysis analysis;
        try
        {
            analysis = await analyzer.AnalyzeFileAsync(parsed.Path, parsed.DeclaredMimeType, cancellationToken).ConfigureAwait(false);
        }
        catch (ClamdUnavailableException ex)
        {
            await Console.Out.WriteLineAsync(new JsonObject { ["file"] = parsed.Path, ["error"] = ex.Message }.ToJsonString(Indented)).ConfigureAwait(false);
            return ClamdUnreachable;
        }

        var total = Stopwatch.GetElapsedTime(started);
        var writeStarted = Stopwatch.GetTimestamp();
        var thumbnails = await WriteThumbnailsAsync(analysis, parsed, cancellationToken).ConfigureAwait(false);
        var write = analysis.Rendering is { Thumbnails.Count: > 0 } ? Stopwatch.GetElapsedTime(writeStarted) : (TimeSpan?)null;

        var result = Describe(parsed.Path, analysis, thumbnails, total, write);
        await Console.Out.WriteLineAsync(result.ToJsonString(Indented)).ConfigureAwait(false);
        return analysis.Scan.Status == FileScanStatus.Clean ? Clean : NotClean;
    }

    internal static bool TryParse(IReadOnlyList<string> arguments, out ProcessFileArguments parsed, out string problem)
    {
        string? path = null;
        string? output = null;
        string? declared = null;
        parsed = default;
        problem = string.Empty;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--output" when i + 1 < arguments.Count:
                    output = arguments[++i];
                    break;
                case "--declared-mime" when i + 1 < arguments.Count:
                    declared = arguments[++i];
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    problem = $"unknown option or missing value: {option}";
                    return false;
                case var value when path is null:
                    path = value;
                    break;
                default:
                    problem = $"more than one path: {arguments[i]}";
                    return false;
            }
        }

        if (path is null)
        {
            problem = "the path of the file to process is required";
            return false;
        }

        parsed = new ProcessFileArguments(
            Path.GetFullPath(path),
            Path.GetFullPath(output ?? Path.Join(Path.GetTempPath(), "quikapp-process-file")),
            declared);
        return true;
    }

    private static async Task<List<(string Name, string Path, int Width, int Height, int Bytes)>> WriteThumbnailsAsync(
        FileAnalysis analysis, ProcessFileArguments arguments, CancellationToken cancellationToken)
    {
        var written = new List<(string, string, int, int, int)>();
        if (analysis.Rendering is not { Thumbnails.Count: > 0 } rendering)
        {
            return written;
        }

        Directory.CreateDirectory(arguments.OutputDirectory);
        var stem = Path.GetFileNameWithoutExtension(arguments.Path);
        foreach (var thumbnail in rendering.Thumbnails)
        {
            var extension = thumbnail.MimeType switch
            {
                "image/png" => "png",
                "image/jpeg" => "jpg",
                _ => "webp",
            };
            var path = Path.Join(arguments.OutputDirectory, $"{stem}.{thumbnail.Name}.{extension}");
            await File.WriteAllBytesAsync(path, thumbnail.Content, cancellationToken).ConfigureAwait(false);
            written.Add((thumbnail.Name, path, thumbnail.Width, thumbnail.Height, thumbnail.Content.Length));
        }

        return written;
    }

    internal static JsonObject Describe(
        string path,
        FileAnalysis analysis,
        IReadOnlyList<(string Name, string Path, int Width, int Height, int Bytes)> thumbnails,
        TimeSpan total,
        TimeSpan? write)
    {
        var scan = analysis.Scan;
        var rendering = analysis.Rendering;
        string? noThumbnail = scan.Status switch
        {
            FileScanStatus.Infected => "infected: never thumbnailed",
            FileScanStatus.Error => "not scanned clean: never thumbnailed",
            _ when rendering?.Refusal is { } refusal => refusal.Reason,
            _ when thumbnails.Count == 0 => string.Join("; ", rendering?.Skipped.Select(s => $"{s.Name}: {s.Reason}") ?? []),
            _ => null,
        };
        var media = analysis.Metadata?.Media;
        return new JsonObject
        {
            ["file"] = path,
            ["status"] = scan.Status.Name(),
            ["signature"] = scan.Signature,
            ["reason"] = scan.Reason,
            ["engine"] = scan.Engine,
            ["type"] = analysis.Type is { } type
                ? new JsonObject
                {
                    ["kind"] = type.Kind.ToString().ToLowerInvariant(),
                    ["mimeType"] = type.MimeType,
                    ["extension"] = type.Extension,
                    ["declared"] = type.DeclaredMimeType,
                    ["declaredMismatch"] = type.DeclaredMismatch,
                }
                : null,
            ["metadata"] = media is null
                ? null
                : new JsonObject { ["width"] = media.Width, ["height"] = media.Height, ["duration"] = media.Duration, ["pages"] = media.Pages },
            ["notes"] = new JsonArray([.. (analysis.Metadata?.Notes ?? []).Select(n => JsonValue.Create(n))]),
            ["thumbnails"] = new JsonArray([.. thumbnails.Select(t => new JsonObject
            {
                ["size"] = t.Name,
                ["path"] = t.Path,
                ["width"] = t.Width,
                ["height"] = t.Height,
                ["bytes"] = t.Bytes,
            })]),
            ["noThumbnail"] = noThumbnail,
            ["timingsMs"] = new JsonObject
            {
                ["read"] = Milliseconds(analysis.ReadTime),
                ["scan"] = Milliseconds(analysis.ScanTime),
                ["metadata"] = Milliseconds(analysis.MetadataTime),
                ["thumbnail"] = Milliseconds(analysis.ThumbnailTime),
                ["write"] = Milliseconds(write),
                ["total"] = Milliseconds(total + (write ?? TimeSpan.Zero)),
            },
        };
    }

    private static double? Milliseconds(TimeSpan? span) =>
        span is { } value ? Math.Round(value.TotalMilliseconds, 2, MidpointRounding.AwayFromZero) : null;
}

/// <summary>The parsed arguments of <c>process-file</c>.</summary>
internal readonly record struct ProcessFileArguments(string Path, string OutputDirectory, string? DeclaredMimeType);
