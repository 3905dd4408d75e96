using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Thumbnails;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Logging;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Files.Processing;

/// <summary>
/// Puts one file through the pipeline: download the original under the storage rules, analyse it (scan, sniff,
/// metadata, thumbnails), then quarantine it when infected or store its thumbnails when clean. Used by the upload
/// handler and the stuck-file sweeper.
/// </summary>
/// <remarks>
/// <para>
/// Failures: a location the storage rules refuse (provider or bucket not allowed, missing, over Storage:MaxObjectBytes,
/// access denied) comes back as an outcome with a <see cref="FileOutcome.Rejection"/>, nothing fetched; clamd unreachable
/// (<see cref="Scanning.ClamdUnavailableException"/>) and storage outages are thrown, transient, for the caller to retry.
/// </para>
/// <para>
/// Idempotent: a second run after an infected original was quarantined finds the original gone and the quarantined copy
/// present, and rescans that copy for the signature instead of failing; thumbnails go to deterministic keys.
/// </para>
/// </remarks>
public sealed partial class FileProcessor : IDisposable
{
    private static readonly FileMediaMetadata FileMetadataNone = new(null, null, null, null);

    private readonly ObjectStorage _storage;
    private readonly FileAnalyzer _analyzer;
    private readonly FileProcessingOptions _options;
    private readonly IReadOnlyList<ThumbnailSize> _sizes;
    private readonly string _extension;
    private readonly TimeProvider _time;
    private readonly ILogger<FileProcessor> _logger;
    private readonly SemaphoreSlim _originals;

    public FileProcessor(
        ObjectStorage storage,
        FileAnalyzer analyzer,
        IOptions<FileProcessingOptions> options,
        IOptions<ThumbnailOptions> thumbnails,
        TimeProvider time,
        ILogger<FileProcessor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(thumbnails);
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _analyzer = analyzer ?? throw new ArgumentNullException(nameof(analyzer));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options.Value;
        _sizes = thumbnails.Value.EffectiveSizes;
        _extension = ExtensionOf(thumbnails.Value.Format);
        _originals = new SemaphoreSlim(_options.MaxOriginalsInMemory, _options.MaxOriginalsInMemory);
    }

    /// <summary>Originals being downloaded, scanned or decoded right now (at most <c>Files:Processing:MaxOriginalsInMemory</c>).</summary>
    public int OriginalsHeld => _options.MaxOriginalsInMemory - _originals.CurrentCount;

    /// <summary>Processes one file; see the class remarks for what is returned and what is thrown.</summary>
    public async Task<FileOutcome> ProcessAsync(FileToProcess file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        FileAnalysis analysis;
        TimeSpan download;
        ObjectLocation? quarantinedCopy = null;

        // The slot covers the original's bytes: download, scan and decode. Uploading the (small) thumbnails and moving
        // to quarantine happen after it is given back.
        await _originals.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            OriginalContent? content;
            try
            {
                content = await DownloadOriginalAsync(file.Original, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException notFound)
            {
                // A redelivery after the original was quarantined: the copy there says what it was.
                quarantinedCopy = _storage.QuarantineLocation(file.Original);
                content = await DownloadQuarantinedAsync(quarantinedCopy, cancellationToken).ConfigureAwait(false);
                if (content is null)
                {
                    return Rejected(file, notFound.Message, Stopwatch.GetElapsedTime(started));
                }
            }
            catch (PermanentEventException refused)
            {
                return Rejected(file, refused.Message, Stopwatch.GetElapsedTime(started));
            }

            download = Stopwatch.GetElapsedTime(started);
            await using (content.ConfigureAwait(false))
            {
                analysis = await _analyzer.AnalyzeAsync(content, file.DeclaredMimeType, scanOnly: quarantinedCopy is not null, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        finally
        {
            _originals.Release();
        }

        var outcome = quarantinedCopy is not null
            ? FromQuarantinedCopy(file, analysis, quarantinedCopy, download)
            : analysis.Scan.Status switch
            {
                FileScanStatus.Infected => await QuarantineAsync(file, analysis, download, cancellationToken).ConfigureAwait(false),
                FileScanStatus.Clean => await StoreThumbnailsAsync(file, analysis, download, cancellationToken).ConfigureAwait(false),
                _ => Outcome(file, analysis, [], null, null, ProcessingStatus.Failed, analysis.Scan.Reason, Timings(analysis, download, null)),
            };
        LogProcessed(file.FileId, outcome.Status.Name(), outcome.Scan.Status.Name(), outcome.Reason, download.TotalMilliseconds, analysis.ScanTime.TotalMilliseconds);
        return outcome;
    }

    /// <summary>
    /// Every derivative key this worker may have written for a file under the current configuration (one per thumbnail
    /// size): what <c>file.deleted</c> removes, together with the keys recorded in the document.
    /// </summary>
    public IReadOnlyList<ObjectLocation> DerivativeLocations(Guid workspaceId, Guid fileId) =>
        [.. _sizes.Select(size => _storage.DerivativeLocation(workspaceId, fileId, size.Name, _extension))];

    /// <summary>True when <paramref name="location"/> is one of this file's derivatives (a document's list is never trusted to point elsewhere).</summary>
    public bool IsDerivativeOf(ObjectLocation location, Guid workspaceId, Guid fileId)
    {
        ArgumentNullException.ThrowIfNull(location);
        var own = _storage.DerivativeLocation(workspaceId, fileId, "x", _extension);
        var stem = own.Key[..(own.Key.Length - $"x.{_extension}".Length)];
        return string.Equals(location.Provider, own.Provider, StringComparison.OrdinalIgnoreCase)
            && string.Equals(location.Bucket, own.Bucket, StringComparison.Ordinal)
            && location.Key.StartsWith(stem, StringComparison.Ordinal)
            && !location.Key.AsSpan(stem.Length).ContainsAny('/', '\\');
    }

    /// <summary>Deletes one derivative (absent is fine: re-running a deletion is harmless).</summary>
    public Task<bool> DeleteDerivativeAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        return _storage.For(location.Provider).DeleteAsync(location, cancellationToken);
    }

    public void Dispose() => _originals.Dispose();

    private async Task<OriginalContent> DownloadOriginalAsync(ObjectLocation original, CancellationToken cancellationToken)
    {
        var opened = await _storage.OpenOriginalAsync(original, maxBytes: null, cancellationToken).ConfigureAwait(false);
        await using (opened.ConfigureAwait(false))
        {
            // clamd would refuse it whatever it contains: no verdict, so no reason to download it.
            return _analyzer.RefuseByLength(opened.Info.Size) is not null
                ? OriginalContent.NotRead(opened.Info.Size)
                : await OriginalContent.ReadAsync(opened.Content, opened.Info.Size, _analyzer.InMemoryLimit, _analyzer.MaxReadBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<OriginalContent?> DownloadQuarantinedAsync(ObjectLocation copy, CancellationToken cancellationToken)
    {
        var store = _storage.For(copy.Provider);
        var info = await store.StatAsync(copy, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return null;
        }

        // Our own copy of an original that already passed Storage:MaxObjectBytes: only clamd's limit applies.
        if (_analyzer.RefuseByLength(info.Size) is not null)
        {
            return OriginalContent.NotRead(info.Size);
        }

        var stream = await store.OpenReadAsync(copy, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await OriginalContent.ReadAsync(stream, info.Size, _analyzer.InMemoryLimit, _analyzer.MaxReadBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<FileOutcome> QuarantineAsync(FileToProcess file, FileAnalysis analysis, TimeSpan download, CancellationToken cancellationToken)
    {
        var target = _storage.QuarantineLocation(file.Original);
        ObjectLocation? quarantinedTo = target;
        var started = Stopwatch.GetTimestamp();
        var reason = $"infected ({analysis.Scan.Signature}): moved to quarantine {target}";
        try
        {
            await _storage.MoveAsync(file.Original, target, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            // Deleted upstream between the scan and the move: nothing left to quarantine, still infected.
            reason = $"infected ({analysis.Scan.Signature}): the original was gone before it could be quarantined";
            quarantinedTo = null;
        }

        return Outcome(file, analysis, [], null, quarantinedTo, ProcessingStatus.Skipped, reason, Timings(analysis, download, Stopwatch.GetElapsedTime(started)));
    }

    private static FileOutcome FromQuarantinedCopy(FileToProcess file, FileAnalysis analysis, ObjectLocation copy, TimeSpan download)
    {
        if (analysis.Scan.Status == FileScanStatus.Infected)
        {
            return Outcome(file, analysis, [], null, copy, ProcessingStatus.Skipped,
                $"infected ({analysis.Scan.Signature}): moved to quarantine {copy}", Timings(analysis, download, null));
        }

        // The original is gone, so nothing can be served; whatever the copy scans as, this file is not known clean.
        var why = analysis.Scan.Status == FileScanStatus.Clean
            ? $"the original is gone and its quarantined copy {copy} now scans clean"
            : $"the original is gone and its quarantined copy {copy} could not be scanned: {analysis.Scan.Reason}";
        var verdict = analysis.Scan with { Status = FileScanStatus.Error, Signature = null, Reason = why };
        return Outcome(file, analysis with { Scan = verdict }, [], null, copy, ProcessingStatus.Failed, why, Timings(analysis, download, null));
    }

    private async Task<FileOutcome> StoreThumbnailsAsync(FileToProcess file, FileAnalysis analysis, TimeSpan download, CancellationToken cancellationToken)
    {
        var rendering = analysis.Rendering!;
        var started = Stopwatch.GetTimestamp();
        var stored = new List<StoredDerivative>(rendering.Thumbnails.Count);
        foreach (var thumbnail in rendering.Thumbnails)
        {
            var location = _storage.DerivativeLocation(file.WorkspaceId, file.FileId, thumbnail.Name, ExtensionOf(thumbnail.MimeType));
            using var content = AsStream(thumbnail.Content);
            await _storage.For(location.Provider).PutAsync(location, content, thumbnail.MimeType, cancellationToken).ConfigureAwait(false);
            stored.Add(new StoredDerivative(thumbnail.Name, location, thumbnail.Width, thumbnail.Height));
        }

        var store = stored.Count > 0 ? Stopwatch.GetElapsedTime(started) : (TimeSpan?)null;
        var urlSize = stored.FirstOrDefault(d => d.Size == _options.ThumbnailUrlSize);
        var url = urlSize is null ? null : _storage.PublicUrl(urlSize.Location);
        var reason = urlSize is not null ? null
            : rendering.Refusal is { } refusal ? $"no thumbnail: {refusal.Reason}"
            : rendering.Skipped.FirstOrDefault(s => s.Name == _options.ThumbnailUrlSize) is { } skipped ? $"no thumbnail: {skipped.Reason}"
            : "no thumbnail";
        return Outcome(file, analysis, stored, url, null, ProcessingStatus.Done, reason, Timings(analysis, download, store));
    }

    private FileOutcome Rejected(FileToProcess file, string reason, TimeSpan download)
    {
        // The reason quotes the document's bucket and key: untrusted, up to 1 KiB, any characters.
        LogRejected(file.FileId, LogText.Bounded(reason));
        var verdict = new ScanVerdict(FileScanStatus.Error, null, $"not scanned: {reason}", null, _time.GetUtcNow());
        return new FileOutcome(file.FileId, file.WorkspaceId, verdict, null, FileMetadataNone, [], [], null, null,
            ProcessingStatus.Failed, $"rejected: {reason}", reason, StageTimings.None with { Download = download });
    }

    private static FileOutcome Outcome(
        FileToProcess file,
        FileAnalysis analysis,
        IReadOnlyList<StoredDerivative> derivatives,
        string? url,
        ObjectLocation? quarantinedTo,
        ProcessingStatus status,
        string? reason,
        StageTimings timings)
    {
        var notes = analysis.Metadata?.Notes
            ?? (analysis.Type is { DeclaredMismatch: true } type ? [$"declared {type.DeclaredMimeType} but content is {type.MimeType}"] : []);
        return new FileOutcome(file.FileId, file.WorkspaceId, analysis.Scan, analysis.Type, analysis.Metadata?.Media ?? FileMetadataNone,
            notes, derivatives, url, quarantinedTo, status, reason, null, timings);
    }

    private static StageTimings Timings(FileAnalysis analysis, TimeSpan download, TimeSpan? store) =>
        new(download, analysis.ScanTime, analysis.MetadataTime, analysis.ThumbnailTime, store);

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private static string ExtensionOf(ThumbnailFormat format) => format switch
    {
        ThumbnailFormat.Png => "png",
        ThumbnailFormat.Jpeg => "jpg",
        _ => "webp",
    };

    private static string ExtensionOf(string mimeType) => mimeType switch
    {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"No derivative extension for {mimeType}."), nameof(mimeType)),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "File {FileId}: {Status} (scan {ScanStatus}; {Reason}); download {DownloadMs:0} ms, scan {ScanMs:0} ms")]
    private partial void LogProcessed(Guid fileId, string status, string scanStatus, string? reason, double downloadMs, double scanMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File {FileId}: its location is refused and nothing was fetched: {Reason}")]
    private partial void LogRejected(Guid fileId, string reason);
}
