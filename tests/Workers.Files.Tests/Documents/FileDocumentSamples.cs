using MongoDB.Bson;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Sniffing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Files.Tests.Documents;

/// <summary>Documents as the seed writes them and outcomes as the pipeline produces them, for the store tests.</summary>
internal static class FileDocumentSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 30, 0, TimeSpan.Zero);
    public static readonly Guid Workspace = Guid.Parse("0b9c6f4e-2a51-4a8e-9d0f-6d1f3f1c2b7a");

    public static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    /// <summary>A document as the file-service writes it (the seed's QuikApp_files.files), pending a scan.</summary>
    public static BsonDocument Seed(Guid fileId, DateTimeOffset createdAt, bool deleted = false) => new()
    {
        { "fileId", Uuid(fileId) },
        { "workspaceId", Uuid(Workspace) },
        { "uploadedBy", Uuid(Guid.NewGuid()) },
        { "filename", "document.pdf" },
        { "originalFilename", "My Document.pdf" },
        { "mimeType", "application/pdf" },
        { "size", 1024000 },
        { "storage", new BsonDocument { { "provider", "s3" }, { "bucket", "quikapp-files" }, { "key", $"workspaces/{Workspace}/files/{fileId}.pdf" }, { "region", "us-east-1" } } },
        { "urls", new BsonDocument { { "original", "https://cdn.quikapp.dev/files/x" }, { "thumbnail", BsonNull.Value } } },
        { "metadata", new BsonDocument { { "width", BsonNull.Value }, { "height", BsonNull.Value }, { "duration", BsonNull.Value }, { "pages", 10 } } },
        { "virusScan", new BsonDocument { { "status", "pending" }, { "scannedAt", BsonNull.Value } } },
        { "deleted", deleted },
        { "deletedAt", BsonNull.Value },
        { "createdAt", createdAt.UtcDateTime },
        { "expiresAt", BsonNull.Value },
    };

    public static FileOutcomeRecord Record(Guid fileId, ProcessingStatus status, int attempt = 1, Guid? eventId = null, DateTimeOffset? retryAfter = null)
    {
        var scan = status switch
        {
            ProcessingStatus.Done => new ScanVerdict(FileScanStatus.Clean, null, null, "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026", T0),
            ProcessingStatus.Skipped => new ScanVerdict(FileScanStatus.Infected, "Eicar-Signature", null, "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026", T0),
            _ => new ScanVerdict(FileScanStatus.Error, null, "timed out: no verdict within 60 s", "ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026", T0),
        };
        var thumbnail = new StoredDerivative("thumbnail", new ObjectLocation("s3", "quikapp-derivatives", $"thumbs/{Workspace}/{fileId}.thumbnail.webp"), 360, 270);
        var outcome = new FileOutcome(
            fileId, Workspace, scan,
            status == ProcessingStatus.Failed ? null : new SniffedType(FileKind.Image, "image/png", ".png"),
            status == ProcessingStatus.Done ? new FileMediaMetadata(800, 600, null, null) : new FileMediaMetadata(null, null, null, null),
            ["a note"],
            status == ProcessingStatus.Done ? [thumbnail] : [],
            status == ProcessingStatus.Done ? $"https://cdn.quikapp.dev/{thumbnail.Location.Key}" : null,
            status == ProcessingStatus.Skipped ? new ObjectLocation("s3", "quikapp-quarantine", "quarantine/s3/quikapp-files/x.png") : null,
            status,
            status == ProcessingStatus.Failed ? "timed out: no verdict within 60 s" : null,
            null,
            StageTimings.None);
        return new FileOutcomeRecord(outcome, attempt, eventId ?? Guid.NewGuid(), T0.AddSeconds(5), retryAfter);
    }
}
