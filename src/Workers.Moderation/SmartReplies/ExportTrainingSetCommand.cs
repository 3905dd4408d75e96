using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// <c>export-training-set &lt;version&gt; [--output path]</c>: writes a smart-reply snapshot as JSON lines,
/// <c>{"kind":…,"context":[{"text":…,"sameAuthorAsReply":…}],"reply":…}</c>, to stdout or a file; a summary goes to
/// stderr. Exit 0 when written, 1 when MongoDB or the file failed, 2 on usage errors or an unknown version (the recent
/// versions are listed).
/// </summary>
/// <remarks>
/// A snapshot is a cutoff, not a copy: the export streams the pairs built at or before it as they are now. A pair
/// removed since (its messages deleted, flagged by an edit) is not exported, and a pair rebuilt since carries a later
/// <c>builtAt</c> and is not either — deleted content must never be exported, even from an older snapshot. The export
/// can therefore hold fewer pairs than the snapshot counted. A file is written beside its destination and moved into
/// place when complete, so a failed export never leaves a truncated file under the requested name.
/// </remarks>
internal sealed class ExportTrainingSetCommand : IWorkerCommand
{
    /// <summary>How many versions an unknown-version error lists.</summary>
    public const int RecentVersionsListed = 10;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Training text stays readable (UTF-8 as is); the file is never embedded in HTML, which is what the strict encoder guards.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Name => "export-training-set";

    public string Usage => "export-training-set <version> [--output path]   (a smart-reply snapshot as JSON lines; stdout without --output)";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(services, arguments, Console.Out, Console.Error, cancellationToken);

    internal async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ExportArguments parsed;
        try
        {
            parsed = ExportArguments.Parse(arguments);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\nusage: {Usage}").ConfigureAwait(false);
            return 2;
        }

        var snapshots = services.GetRequiredService<ISmartReplySnapshotStore>();
        var pairs = services.GetRequiredService<ISmartReplyPairStore>();
        try
        {
            var snapshot = await snapshots.FindAsync(parsed.Version, cancellationToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                var recent = await snapshots.RecentVersionsAsync(RecentVersionsListed, cancellationToken).ConfigureAwait(false);
                await error.WriteLineAsync($"unknown training set version '{parsed.Version}'\n" + (recent.Count == 0
                    ? "no smart-reply snapshot exists yet (run-job smart-reply-snapshot takes one)"
                    : $"recent versions: {string.Join(", ", recent)}")).ConfigureAwait(false);
                return 2;
            }

            var stream = pairs.StreamAsync(snapshot.Cutoff, cancellationToken);
            var written = parsed.OutputPath is null
                ? await WriteLinesAsync(stream, output, cancellationToken).ConfigureAwait(false)
                : await WriteFileAsync(stream, parsed.OutputPath, cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"exported {written} pairs of {snapshot.Version} (built up to {snapshot.Cutoff:O}) to {parsed.OutputPath ?? "stdout"}; " +
                $"the snapshot counted {snapshot.Counts.Pairs} when it was taken: pairs removed or rebuilt since are not exported")).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            // Driver messages can carry connection strings: the same redaction and bound as job_runs records.
            var failure = JobRunError.From(ex);
            await error.WriteLineAsync($"export failed: {failure.Type}: {failure.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Writes one JSON line per pair; returns how many.</summary>
    internal static async Task<long> WriteLinesAsync(IAsyncEnumerable<SnapshotPair> pairs, TextWriter output, CancellationToken cancellationToken)
    {
        long written = 0;
        await foreach (var pair in pairs.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await output.WriteLineAsync(Line(pair).AsMemory(), cancellationToken).ConfigureAwait(false);
            written++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>One pair as its JSON line: kind, context (text, sameAuthorAsReply), reply.</summary>
    internal static string Line(SnapshotPair pair) => JsonSerializer.Serialize(
        new ExportLine(pair.Kind.ToWire(), [.. pair.Context.Select(c => new ExportContext(c.Text, c.SameAuthorAsReply))], pair.Reply), Json);

    private static async Task<long> WriteFileAsync(IAsyncEnumerable<SnapshotPair> pairs, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var partial = $"{full}.{Guid.NewGuid():N}.partial";
        try
        {
            long written;
            var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                var writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                await using (writer.ConfigureAwait(false))
                {
                    written = await WriteLinesAsync(pairs, writer, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(partial, full, overwrite: true);
            return written;
        }
        finally
        {
            File.Delete(partial); // nothing left after the move; the partial file after a failure
        }
    }

    private sealed record ExportLine(string Kind, IReadOnlyList<ExportContext> Context, string Reply);

    private sealed record ExportContext(string Text, bool SameAuthorAsReply);
}

/// <summary>The parsed arguments of <c>export-training-set</c>.</summary>
internal sealed record ExportArguments(string Version, string? OutputPath)
{
    /// <exception cref="ArgumentException">The arguments are not <c>&lt;version&gt; [--output path]</c>.</exception>
    public static ExportArguments Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string? version = null;
        string? output = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.StartsWith("--output=", StringComparison.Ordinal))
            {
                output = output is null ? argument["--output=".Length..] : throw new ArgumentException("--output is given twice");
            }
            else if (argument == "--output")
            {
                if (i + 1 >= arguments.Count || arguments[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException("--output needs a file path");
                }

                output = output is null ? arguments[++i] : throw new ArgumentException("--output is given twice");
            }
            else if (argument.StartsWith('-'))
            {
                throw new ArgumentException($"unknown option '{argument}'");
            }
            else
            {
                version = version is null ? argument : throw new ArgumentException($"unexpected argument '{argument}': give one version");
            }
        }

        if (string.IsNullOrWhiteSpace(version))
        {
            throw new ArgumentException("the version is missing (e.g. smart-reply-20261125T0230Z)");
        }

        return string.IsNullOrWhiteSpace(output) && output is not null
            ? throw new ArgumentException("--output needs a file path")
            : new ExportArguments(version, output);
    }
}
