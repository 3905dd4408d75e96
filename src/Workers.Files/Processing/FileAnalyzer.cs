using System.Diagnostics;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Metadata;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Files.Sniffing;
using QuikApp.Workers.Files.Thumbnails;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Files.Processing;

/// <summary>
/// The pipeline's steps on an original's bytes, with no storage and no MongoDB: clamd scan, type sniffing, and — for
/// clean files only — metadata and thumbnails. <see cref="FileProcessor"/> wraps it with storage; the
/// <c>process-file</c> verb runs it on a local file.
/// </summary>
public sealed class FileAnalyzer(
    ClamdClient clamd,
    ThumbnailRenderer renderer,
    MetadataReader metadataReader,
    IOptions<ThumbnailOptions> thumbnails,
    TimeProvider time)
{
    private readonly long _maxDecodeBytes = (thumbnails ?? throw new ArgumentNullException(nameof(thumbnails))).Value.MaxInputBytes;

    /// <summary>Originals up to this size are held in memory (they can be decoded); larger ones are spooled to a file and only scanned.</summary>
    public long InMemoryLimit => Math.Min(_maxDecodeBytes, Array.MaxLength);

    /// <summary>The most bytes of an original ever read (clamd's <c>Files:Clamd:MaxStreamLength</c>): past it there is no verdict to get.</summary>
    public long MaxReadBytes => clamd.MaxStreamLength;

    /// <summary>The scan error of an original of <paramref name="length"/> bytes that clamd would refuse (so it need not be read), or null.</summary>
    public ClamdScanResult? RefuseByLength(long length) => clamd.RefuseByLength(length);

    /// <summary>Runs the steps on a file on local disk (the <c>process-file</c> verb): read into memory when it can be decoded, else scanned from the file.</summary>
    /// <exception cref="ClamdUnavailableException">clamd cannot be reached.</exception>
    public async Task<FileAnalysis> AnalyzeFileAsync(string path, string? declaredMimeType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var readStarted = Stopwatch.GetTimestamp();
        var length = new FileInfo(path).Length;
        OriginalContent content;
        if (RefuseByLength(length) is not null)
        {
            content = OriginalContent.NotRead(length);
        }
        else if (length <= InMemoryLimit)
        {
            content = OriginalContent.InMemory(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            content = OriginalContent.InFile(path, length);
        }

        var read = Stopwatch.GetElapsedTime(readStarted);
        await using (content.ConfigureAwait(false))
        {
            var analysis = await AnalyzeAsync(content, declaredMimeType, scanOnly: false, cancellationToken).ConfigureAwait(false);
            return analysis with { ReadTime = read };
        }
    }

    /// <summary>Scans <paramref name="content"/>; when clean (and not <paramref name="scanOnly"/>), reads its metadata and renders its thumbnails.</summary>
    internal async Task<FileAnalysis> AnalyzeAsync(OriginalContent content, string? declaredMimeType, bool scanOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var scanStarted = Stopwatch.GetTimestamp();
        var scan = await ScanAsync(content, cancellationToken).ConfigureAwait(false);
        var scanTime = Stopwatch.GetElapsedTime(scanStarted);

        // Sniffing is pure and reads 4 KiB: worth recording for every file that was read, infected ones included.
        var type = content.IsReadable
            ? FileTypeSniffer.Sniff(await content.ReadHeadAsync(cancellationToken).ConfigureAwait(false), declaredMimeType)
            : null;
        if (scan.Status != FileScanStatus.Clean || scanOnly)
        {
            return new FileAnalysis(scan, type, null, null, scanTime, null, null);
        }

        if (content.Bytes is not { } bytes)
        {
            // Only when MaxStreamLength exceeds MaxInputBytes: scanned from the spool, too large to decode.
            var why = $"{content.Length} bytes exceeds the {_maxDecodeBytes}-byte limit for decoding";
            var notes = type!.DeclaredMismatch ? new[] { $"declared {type.DeclaredMimeType} but content is {type.MimeType}", $"not parsed: {why}" } : [$"not parsed: {why}"];
            return new FileAnalysis(scan, type, new FileMetadata(type, FileMetadata.NoMedia, notes),
                ThumbnailRendering.Refused(type, null, ThumbnailRefusalKind.TooLarge, $"too large: {why}"), scanTime, null, null);
        }

        var metadataStarted = Stopwatch.GetTimestamp();
        var metadata = await metadataReader.ReadAsync(bytes, declaredMimeType, cancellationToken).ConfigureAwait(false);
        var metadataTime = Stopwatch.GetElapsedTime(metadataStarted);
        var thumbnailStarted = Stopwatch.GetTimestamp();
        var rendering = await renderer.RenderAsync(bytes, declaredMimeType, cancellationToken).ConfigureAwait(false);
        var thumbnailTime = Stopwatch.GetElapsedTime(thumbnailStarted);
        return new FileAnalysis(scan, type, metadata, rendering, scanTime, metadataTime, thumbnailTime);
    }

    private async Task<ScanVerdict> ScanAsync(OriginalContent content, CancellationToken cancellationToken)
    {
        if (!content.IsReadable)
        {
            var refused = RefuseByLength(content.Length)
                ?? throw new InvalidOperationException("An original that was not read must be one clamd refuses by its length.");
            return new ScanVerdict(refused.Status, null, refused.Reason, null, time.GetUtcNow());
        }

        var stream = content.OpenRead();
        ClamdScanResult result;
        await using (stream.ConfigureAwait(false))
        {
            result = await clamd.ScanAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        // Cached for Files:Clamd:VersionCacheDuration: one VERSION per few minutes, not per file.
        var engine = await clamd.VersionAsync(cancellationToken).ConfigureAwait(false);
        return new ScanVerdict(result.Status, result.Signature, result.Reason, engine, time.GetUtcNow());
    }
}

/// <summary>What the analyzer found: the scan, the sniffed type, and for clean files the metadata and thumbnails, with stage times.</summary>
/// <param name="Type">Null when no byte was read (refused by length).</param>
/// <param name="Metadata">Null unless the file is clean.</param>
/// <param name="Rendering">Null unless the file is clean.</param>
/// <param name="ReadTime">Reading a local file into memory (<see cref="FileAnalyzer.AnalyzeFileAsync"/> only).</param>
public sealed record FileAnalysis(
    ScanVerdict Scan,
    SniffedType? Type,
    FileMetadata? Metadata,
    ThumbnailRendering? Rendering,
    TimeSpan ScanTime,
    TimeSpan? MetadataTime,
    TimeSpan? ThumbnailTime,
    TimeSpan? ReadTime = null);
