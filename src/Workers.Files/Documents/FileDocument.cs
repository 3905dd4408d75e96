using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Files.Documents;

/// <summary>
/// What the worker reads of a <c>QuikApp_files.files</c> document: identity, where the original is, the scan and
/// processing state it may have written before. Written by the file-service first (<c>virusScan.status: "pending"</c>);
/// every field is untrusted input.
/// </summary>
/// <param name="ScanStatus"><c>virusScan.status</c>: pending, clean, infected or error (whatever the document says).</param>
/// <param name="Processing">Null until this worker has written an outcome.</param>
public sealed record FileDocument(
    Guid FileId,
    Guid WorkspaceId,
    string? MimeType,
    FileStorageLocation? Storage,
    DateTimeOffset? CreatedAt,
    bool Deleted,
    string ScanStatus,
    string? Signature,
    DateTimeOffset? ScannedAt,
    string? ThumbnailUrl,
    FileMediaMetadata Metadata,
    FileProcessingState? Processing)
{
    /// <summary>True when processing is done or skipped: no later event may change the outcome.</summary>
    public bool IsFinal => ProcessingWire.IsFinal(Processing?.Status);

    /// <summary>The scan status as the contract's enum, or null while pending (or unreadable).</summary>
    public FileScanStatus? ScanStatusValue => ScanStatus switch
    {
        "clean" => FileScanStatus.Clean,
        "infected" => FileScanStatus.Infected,
        "error" => FileScanStatus.Error,
        _ => null,
    };
}

/// <summary>The document's <c>processing</c> sub-document, written by this worker with each outcome.</summary>
/// <param name="Status">done, skipped or failed.</param>
/// <param name="Rejection">Why the location of the event that produced this outcome was refused (the dead-letter reason), or null.</param>
/// <param name="Attempts">Attempts made so far (the sweeper gives up at Files:Processing:MaxAttempts).</param>
/// <param name="EventId">The event (or sweeper attempt) the stored outcome came from: the derived events' ids are computed from it.</param>
/// <param name="Published">False between writing an outcome and publishing its events: a redelivery or the sweeper publishes them.</param>
/// <param name="RetryAfter">When the sweeper may try a failed file again; null when final or given up.</param>
public sealed record FileProcessingState(
    string Status,
    string? Reason,
    string? Rejection,
    int Attempts,
    Guid? EventId,
    bool Published,
    IReadOnlyList<StoredDerivative> Derivatives,
    DateTimeOffset? ProcessedAt,
    DateTimeOffset? RetryAfter);

/// <summary>One outcome to write: the pipeline's result, which attempt it was, the event it came from, and the retry decision.</summary>
/// <param name="Outcome">Its <see cref="FileOutcome.Reason"/> is the one to record (the retry policy's, with "gave up …" when it did).</param>
public sealed record FileOutcomeRecord(FileOutcome Outcome, int Attempt, Guid EventId, DateTimeOffset ProcessedAt, DateTimeOffset? RetryAfter)
{
    public Guid FileId => Outcome.FileId;
}

/// <summary>A file deleted upstream whose derivatives this worker removed.</summary>
public sealed record DerivativeDeletion(Guid FileId, DateTimeOffset DeletedAt);

/// <summary>Reads and writes the worker's part of <c>QuikApp_files.files</c> (the narrow interface the handler and the sweeper depend on).</summary>
public interface IFileDocumentStore
{
    /// <summary>The documents of <paramref name="fileIds"/> that exist, by fileId (one query).</summary>
    Task<IReadOnlyDictionary<Guid, FileDocument>> ReadAsync(IReadOnlyCollection<Guid> fileIds, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the outcomes in one bulk. A document whose processing is final (done or skipped) or that is deleted is
    /// left alone, so an old or redelivered event cannot regress it; nothing is created for a missing document.
    /// </summary>
    /// <returns>Per record, true when it is the stored outcome now.</returns>
    Task<IReadOnlyList<bool>> WriteOutcomesAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken);

    /// <summary>Records that the events of these outcomes were published (only where the stored outcome is still that record).</summary>
    Task MarkPublishedAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken);

    /// <summary>Clears <c>urls.thumbnail</c> and <c>processing.derivatives</c> of deleted files and stamps when (the first time). Idempotent.</summary>
    Task MarkDerivativesDeletedAsync(IReadOnlyList<DerivativeDeletion> deletions, CancellationToken cancellationToken);

    /// <summary>
    /// Files the sweeper should process: still pending and created before <paramref name="pendingCreatedBefore"/>, then
    /// failed ones whose retry is due at <paramref name="now"/>; never deleted ones; at most <paramref name="limit"/>, oldest first.
    /// </summary>
    Task<IReadOnlyList<FileDocument>> FindStuckAsync(DateTimeOffset pendingCreatedBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Outcomes written before <paramref name="writtenBefore"/> whose events were never published (a crash in between).</summary>
    Task<IReadOnlyList<FileDocument>> FindUnpublishedAsync(DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken);
}
