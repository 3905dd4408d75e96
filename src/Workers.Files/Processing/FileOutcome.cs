using QuikApp.Workers.Files.Sniffing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Files.Processing;

/// <summary>One file to put through the pipeline: its identity and where its original is (untrusted: from an event or a document).</summary>
/// <param name="DeclaredMimeType">The uploader's mimeType: compared with the content, never used to pick a decoder.</param>
public sealed record FileToProcess(Guid FileId, Guid WorkspaceId, ObjectLocation Original, string? DeclaredMimeType);

/// <summary>What the pipeline decided about one file, ready to be written to its document and published.</summary>
/// <param name="Scan">The virus scan (for a refused location: an error that says so; never clean).</param>
/// <param name="Type">The sniffed type, or null when no byte was read.</param>
/// <param name="Metadata">Width, height, duration, pages; all null unless the file is clean and has them.</param>
/// <param name="Notes">Why a fact is missing (metadata reader notes, declared-type mismatch).</param>
/// <param name="Derivatives">The thumbnails written to derivative storage (clean files only).</param>
/// <param name="ThumbnailUrl">The CDN URL of the <c>Files:Processing:ThumbnailUrlSize</c> thumbnail, when there is one.</param>
/// <param name="QuarantinedTo">Where an infected original was moved.</param>
/// <param name="Status">done (clean), skipped (infected), failed (no verdict, or refused).</param>
/// <param name="Reason">Why there is no thumbnail (done), why it was skipped, or why it failed.</param>
/// <param name="Rejection">Set when the event's location can never be processed (not allowed, missing, too large): the dead-letter reason.</param>
public sealed record FileOutcome(
    Guid FileId,
    Guid WorkspaceId,
    ScanVerdict Scan,
    SniffedType? Type,
    FileMediaMetadata Metadata,
    IReadOnlyList<string> Notes,
    IReadOnlyList<StoredDerivative> Derivatives,
    string? ThumbnailUrl,
    ObjectLocation? QuarantinedTo,
    ProcessingStatus Status,
    string? Reason,
    string? Rejection,
    StageTimings Timings);

/// <summary>A virus scan's result as the document records it: status, signature or reason, clamd's engine string, when.</summary>
/// <param name="Engine">clamd's VERSION (engine/database version/date); null when clamd was not asked (refused by size or location).</param>
public sealed record ScanVerdict(FileScanStatus Status, string? Signature, string? Reason, string? Engine, DateTimeOffset ScannedAt);

/// <summary>A thumbnail written to derivative storage: its size's name, where it is, its pixel size.</summary>
public sealed record StoredDerivative(string Size, ObjectLocation Location, int Width, int Height);

/// <summary>The document's <c>processing.status</c>: what became of the file as a whole.</summary>
public enum ProcessingStatus
{
    /// <summary>Scanned clean; metadata read and thumbnails made where they apply. Final.</summary>
    Done,

    /// <summary>Infected: quarantined, not thumbnailed. Final.</summary>
    Skipped,

    /// <summary>No verdict (clamd error, too large) or the location was refused: retried by the sweeper until the attempts run out.</summary>
    Failed,
}

/// <summary>Wire names of <see cref="ProcessingStatus"/> (<c>done</c>, <c>skipped</c>, <c>failed</c>) and of scan statuses.</summary>
public static class ProcessingWire
{
    public static string Name(this ProcessingStatus status) => status switch
    {
        ProcessingStatus.Done => "done",
        ProcessingStatus.Skipped => "skipped",
        _ => "failed",
    };

    public static string Name(this FileScanStatus status) => status switch
    {
        FileScanStatus.Clean => "clean",
        FileScanStatus.Infected => "infected",
        _ => "error",
    };

    /// <summary>True for the statuses a later event may not overwrite.</summary>
    public static bool IsFinal(string? processingStatus) => processingStatus is "done" or "skipped";
}
