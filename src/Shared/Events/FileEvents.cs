namespace QuikApp.Workers.Shared.Events;

/// <summary>Data of <c>file.uploaded</c>: a file the file-service has stored and recorded as pending a scan (no expiry when ExpiresAt is null).</summary>
public sealed record FileUploaded(
    Guid FileId,
    Guid WorkspaceId,
    Guid UploadedBy,
    string Filename,
    string OriginalFilename,
    string MimeType,
    long Size, // bytes
    FileStorageLocation Storage,
    DateTimeOffset? ExpiresAt) : IEventData;

/// <summary>Where an uploaded file's bytes live.</summary>
/// <remarks><c>Provider</c> names the storage backend, e.g. s3 or local; <c>Region</c> is null where it has none.</remarks>
public sealed record FileStorageLocation(string Provider, string Bucket, string Key, string? Region);

/// <summary>Data of <c>file.deleted</c>.</summary>
public sealed record FileDeleted(
    Guid FileId,
    Guid WorkspaceId,
    Guid DeletedBy,
    DateTimeOffset DeletedAt) : IEventData;

/// <summary>Data of <c>file.scanned</c> (produced): the outcome of a virus scan.</summary>
public sealed record FileScanned(
    Guid FileId,
    Guid WorkspaceId,
    FileScanStatus Status,
    string? Signature, // the matched signature when infected
    DateTimeOffset ScannedAt) : IEventData;

/// <summary>The outcome of a virus scan.</summary>
public enum FileScanStatus
{
    Clean,
    Infected,

    /// <summary>
    /// Extension to the contract (which lists clean/infected): the file cannot be scanned (too large, encrypted or
    /// unreadable archive), so no verdict will come. Consumers must treat it as "not known clean". A scanner that is
    /// merely unavailable is retried, not reported as an error.
    /// </summary>
    Error,
}

/// <summary>Data of <c>file.processed</c> (produced): a file's media metadata and thumbnail are written.</summary>
public sealed record FileProcessed(
    Guid FileId,
    Guid WorkspaceId,
    string? ThumbnailUrl, // null when the file type gets no thumbnail
    FileMediaMetadata Metadata) : IEventData;

/// <summary>Media facts extracted from a file; each is null when it does not apply to the file type.</summary>
/// <remarks>Width and height are pixels (images, video); <c>Duration</c> is seconds (audio, video); <c>Pages</c> counts document pages.</remarks>
public sealed record FileMediaMetadata(int? Width, int? Height, double? Duration, int? Pages);
