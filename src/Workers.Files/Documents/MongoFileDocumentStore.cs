using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Files.Documents;

/// <summary>
/// <c>QuikApp_files.files</c> as the files worker sees it: reads a batch's documents with one <c>$in</c> on the unique
/// <c>fileId</c> index, writes outcomes in one unordered bulk of guarded <c>updateOne</c>s, and finds the files the
/// sweeper must process.
/// </summary>
/// <remarks>
/// <para>
/// Written shape (the seed's fields plus <c>processing</c>): <c>virusScan: {status, signature, engine, scannedAt, reason}</c>,
/// <c>urls.thumbnail</c>, <c>metadata: {width, height, duration, pages}</c> (clean files only), and
/// <c>processing: {status, reason, sniffedType, notes, derivatives, quarantinedTo, rejection, attempts, eventId,
/// published, processedAt, retryAfter}</c>.
/// </para>
/// <para>
/// The guard <c>processing.status ∉ {done, skipped}</c> and <c>deleted ≠ true</c> in every outcome's filter is what keeps
/// a redelivered or late event (or a sweeper racing the consumer) from regressing a finished document: <c>$nin</c> and
/// <c>$ne</c> also match documents without the field, i.e. never processed. Nothing is upserted: the file-service owns
/// the document, and a missing one is the handler's concern. Reads go to the primary: the file-service writes the
/// document just before publishing the event, and a lagging secondary would report it missing.
/// </para>
/// <para>Dotted <c>$set</c>s (<c>urls.thumbnail</c>, <c>processing.*</c>) assume <c>urls</c> is a sub-document or absent, as the seed writes it; MongoDB refuses to create a field inside a null.</para>
/// </remarks>
public sealed class MongoFileDocumentStore(MongoCatalog catalog) : IFileDocumentStore
{
    private static readonly ProjectionDefinition<BsonDocument> Projection = new BsonDocument
    {
        { "fileId", 1 }, { "workspaceId", 1 }, { "mimeType", 1 }, { "storage", 1 }, { "createdAt", 1 }, { "deleted", 1 },
        { "virusScan", 1 }, { "urls.thumbnail", 1 }, { "metadata", 1 }, { "processing", 1 },
    };

    private IMongoCollection<BsonDocument> Files => catalog.Files;

    public async Task<IReadOnlyDictionary<Guid, FileDocument>> ReadAsync(IReadOnlyCollection<Guid> fileIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileIds);
        if (fileIds.Count == 0)
        {
            return new Dictionary<Guid, FileDocument>();
        }

        var found = await Files.Find(ReadFilter(fileIds)).Project(Projection).ToListAsync(cancellationToken).ConfigureAwait(false);
        return found.Select(Parse).OfType<FileDocument>().GroupBy(d => d.FileId).ToDictionary(g => g.Key, g => g.First());
    }

    public async Task<IReadOnlyList<bool>> WriteOutcomesAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        var result = await Files.BulkWriteAsync(records.Select(OutcomeModel), new BulkWriteOptions { IsOrdered = false }, cancellationToken)
            .ConfigureAwait(false);
        if (result.MatchedCount == records.Count)
        {
            return [.. records.Select(_ => true)];
        }

        // Some filters matched nothing (a finished or deleted document): read back which records are the stored ones.
        var stored = await ReadAsync([.. records.Select(r => r.FileId).Distinct()], cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => stored.TryGetValue(r.FileId, out var d) && d.Processing is { } p && p.EventId == r.EventId && p.Attempts == r.Attempt)];
    }

    public async Task MarkPublishedAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count > 0)
        {
            await Files.BulkWriteAsync(records.Select(PublishedModel), new BulkWriteOptions { IsOrdered = false }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task MarkDerivativesDeletedAsync(IReadOnlyList<DerivativeDeletion> deletions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletions);
        if (deletions.Count > 0)
        {
            await Files.BulkWriteAsync(deletions.Select(DeletionModel), new BulkWriteOptions { IsOrdered = false }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<FileDocument>> FindStuckAsync(DateTimeOffset pendingCreatedBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        // Two queries rather than one $or: each is served by its own index, pending (never scanned) files first.
        var pending = await Files.Find(PendingFilter(pendingCreatedBefore)).Sort(new BsonDocument("createdAt", 1)).Limit(limit)
            .Project(Projection).ToListAsync(cancellationToken).ConfigureAwait(false);
        var due = pending.Count >= limit
            ? []
            : await Files.Find(RetryDueFilter(now)).Sort(new BsonDocument("processing.retryAfter", 1)).Limit(limit - pending.Count)
                .Project(Projection).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. pending.Concat(due).Select(Parse).OfType<FileDocument>()];
    }

    public async Task<IReadOnlyList<FileDocument>> FindUnpublishedAsync(DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var found = await Files.Find(UnpublishedFilter(writtenBefore)).Limit(limit).Project(Projection).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. found.Select(Parse).OfType<FileDocument>()];
    }

    internal static BsonDocument ReadFilter(IEnumerable<Guid> fileIds) =>
        new("fileId", new BsonDocument("$in", new BsonArray(fileIds.Select(Uuid))));

    /// <summary>Scans stuck in pending: served by <c>virusScan.status_1_createdAt_1</c> (equality, then the range it is sorted by).</summary>
    internal static BsonDocument PendingFilter(DateTimeOffset createdBefore) => new()
    {
        { "virusScan.status", "pending" },
        { "createdAt", new BsonDocument("$lt", createdBefore.UtcDateTime) },
        { "deleted", new BsonDocument("$ne", true) },
    };

    /// <summary>Failed files whose retry is due: served by the partial index <c>processing.retryAfter_1</c> (only those with a retry have the field).</summary>
    internal static BsonDocument RetryDueFilter(DateTimeOffset now) => new()
    {
        { "processing.retryAfter", new BsonDocument { { "$exists", true }, { "$lte", now.UtcDateTime } } },
        { "deleted", new BsonDocument("$ne", true) },
    };

    /// <summary>Outcomes whose events were never published: served by the partial index <c>processing.published_1</c>.</summary>
    internal static BsonDocument UnpublishedFilter(DateTimeOffset writtenBefore) => new()
    {
        { "processing.published", false },
        { "processing.processedAt", new BsonDocument("$lt", writtenBefore.UtcDateTime) },
    };

    /// <summary>One outcome's guarded update (exposed for tests that compare it with the intended command).</summary>
    internal static UpdateOneModel<BsonDocument> OutcomeModel(FileOutcomeRecord record)
    {
        var outcome = record.Outcome;
        var filter = new BsonDocument
        {
            { "fileId", Uuid(outcome.FileId) },
            { "processing.status", new BsonDocument("$nin", new BsonArray { "done", "skipped" }) },
            { "deleted", new BsonDocument("$ne", true) },
        };

        var scan = outcome.Scan;
        var set = new BsonDocument
        {
            {
                "virusScan", new BsonDocument
                {
                    { "status", scan.Status.Name() },
                    { "signature", (BsonValue?)scan.Signature ?? BsonNull.Value },
                    { "engine", (BsonValue?)scan.Engine ?? BsonNull.Value },
                    { "scannedAt", scan.ScannedAt.UtcDateTime },
                    { "reason", (BsonValue?)scan.Reason ?? BsonNull.Value },
                }
            },
            { "urls.thumbnail", (BsonValue?)outcome.ThumbnailUrl ?? BsonNull.Value },
            { "processing.status", outcome.Status.Name() },
            { "processing.reason", (BsonValue?)outcome.Reason ?? BsonNull.Value },
            { "processing.sniffedType", (BsonValue?)outcome.Type?.MimeType ?? BsonNull.Value },
            { "processing.notes", new BsonArray(outcome.Notes) },
            { "processing.derivatives", new BsonArray(outcome.Derivatives.Select(Derivative)) },
            { "processing.quarantinedTo", outcome.QuarantinedTo is { } q ? Location(q) : BsonNull.Value },
            { "processing.rejection", (BsonValue?)outcome.Rejection ?? BsonNull.Value },
            { "processing.attempts", record.Attempt },
            { "processing.eventId", Uuid(record.EventId) },
            { "processing.published", false },
            { "processing.processedAt", record.ProcessedAt.UtcDateTime },
        };

        // Metadata only from a clean file: an infected or unscanned one was never parsed, and the file-service's values stay.
        if (outcome.Status == ProcessingStatus.Done)
        {
            var media = outcome.Metadata;
            set.Add("metadata", new BsonDocument
            {
                { "width", (BsonValue?)media.Width ?? BsonNull.Value },
                { "height", (BsonValue?)media.Height ?? BsonNull.Value },
                { "duration", (BsonValue?)media.Duration ?? BsonNull.Value },
                { "pages", (BsonValue?)media.Pages ?? BsonNull.Value },
            });
        }

        var update = new BsonDocument();
        if (record.RetryAfter is { } retryAfter)
        {
            set.Add("processing.retryAfter", retryAfter.UtcDateTime);
            update.Add("$set", set);
        }
        else
        {
            // Unset rather than null: only files with a retry due are in the partial index.
            update.Add("$set", set);
            update.Add("$unset", new BsonDocument("processing.retryAfter", ""));
        }

        return new UpdateOneModel<BsonDocument>(filter, update);
    }

    internal static UpdateOneModel<BsonDocument> PublishedModel(FileOutcomeRecord record) => new(
        new BsonDocument
        {
            { "fileId", Uuid(record.FileId) },
            { "processing.eventId", Uuid(record.EventId) },
            { "processing.attempts", record.Attempt },
        },
        new BsonDocument("$set", new BsonDocument("processing.published", true)));

    internal static UpdateOneModel<BsonDocument> DeletionModel(DerivativeDeletion deletion) => new(
        new BsonDocument("fileId", Uuid(deletion.FileId)),
        new BsonDocument
        {
            { "$set", new BsonDocument { { "urls.thumbnail", BsonNull.Value }, { "processing.derivatives", new BsonArray() } } },
            // $min sets a missing field and keeps an earlier one: a redelivered deletion keeps the first time.
            { "$min", new BsonDocument("processing.derivativesDeletedAt", deletion.DeletedAt.UtcDateTime) },
        });

    /// <summary>Reads a stored document defensively (it is another service's data): null when it has no usable fileId.</summary>
    internal static FileDocument? Parse(BsonDocument document)
    {
        if (AsGuid(document.GetValue("fileId", BsonNull.Value)) is not { } fileId)
        {
            return null;
        }

        var scan = document.GetValue("virusScan", BsonNull.Value) as BsonDocument;
        var urls = document.GetValue("urls", BsonNull.Value) as BsonDocument;
        var metadata = document.GetValue("metadata", BsonNull.Value) as BsonDocument;
        return new FileDocument(
            fileId,
            AsGuid(document.GetValue("workspaceId", BsonNull.Value)) ?? Guid.Empty,
            AsString(document, "mimeType"),
            ParseStorage(document.GetValue("storage", BsonNull.Value) as BsonDocument),
            AsTime(document.GetValue("createdAt", BsonNull.Value)),
            document.GetValue("deleted", BsonNull.Value) is BsonBoolean { Value: true },
            (scan is null ? null : AsString(scan, "status")) ?? "pending",
            scan is null ? null : AsString(scan, "signature"),
            scan is null ? null : AsTime(scan.GetValue("scannedAt", BsonNull.Value)),
            urls is null ? null : AsString(urls, "thumbnail"),
            new FileMediaMetadata(AsInt(metadata, "width"), AsInt(metadata, "height"), AsDouble(metadata, "duration"), AsInt(metadata, "pages")),
            ParseProcessing(document.GetValue("processing", BsonNull.Value) as BsonDocument));
    }

    private static FileProcessingState? ParseProcessing(BsonDocument? processing)
    {
        if (processing is null || AsString(processing, "status") is not { } status)
        {
            return null;
        }

        var derivatives = (processing.GetValue("derivatives", BsonNull.Value) as BsonArray ?? [])
            .OfType<BsonDocument>()
            .Select(d => ParseLocation(d) is { } location && AsString(d, "size") is { } size
                ? new StoredDerivative(size, location, AsInt(d, "width") ?? 0, AsInt(d, "height") ?? 0)
                : null)
            .OfType<StoredDerivative>()
            .ToList();
        return new FileProcessingState(
            status,
            AsString(processing, "reason"),
            AsString(processing, "rejection"),
            AsInt(processing, "attempts") ?? 0,
            AsGuid(processing.GetValue("eventId", BsonNull.Value)),
            processing.GetValue("published", BsonNull.Value) is not BsonBoolean { Value: false },
            derivatives,
            AsTime(processing.GetValue("processedAt", BsonNull.Value)),
            AsTime(processing.GetValue("retryAfter", BsonNull.Value)));
    }

    private static FileStorageLocation? ParseStorage(BsonDocument? storage) =>
        storage is not null && AsString(storage, "provider") is { } provider && AsString(storage, "bucket") is { } bucket && AsString(storage, "key") is { } key
            ? new FileStorageLocation(provider, bucket, key, AsString(storage, "region"))
            : null;

    private static ObjectLocation? ParseLocation(BsonDocument document) =>
        AsString(document, "provider") is { } provider && AsString(document, "bucket") is { } bucket && AsString(document, "key") is { } key
            ? new ObjectLocation(provider, bucket, key)
            : null;

    private static BsonDocument Derivative(StoredDerivative derivative)
    {
        var document = Location(derivative.Location);
        document.InsertAt(0, new BsonElement("size", derivative.Size));
        document.Add("width", derivative.Width);
        document.Add("height", derivative.Height);
        return document;
    }

    private static BsonDocument Location(ObjectLocation location) => new()
    {
        { "provider", location.Provider },
        { "bucket", location.Bucket },
        { "key", location.Key },
    };

    private static string? AsString(BsonDocument document, string name) =>
        document.GetValue(name, BsonNull.Value) is BsonString text ? text.Value : null;

    private static int? AsInt(BsonDocument? document, string name) => document?.GetValue(name, BsonNull.Value) switch
    {
        BsonInt32 value => value.Value,
        BsonInt64 value when value.Value is >= int.MinValue and <= int.MaxValue => (int)value.Value,
        BsonDouble value when value.Value is >= int.MinValue and <= int.MaxValue && value.Value == Math.Floor(value.Value) => (int)value.Value,
        _ => null,
    };

    private static double? AsDouble(BsonDocument? document, string name) => document?.GetValue(name, BsonNull.Value) switch
    {
        BsonDouble value => value.Value,
        BsonInt32 value => value.Value,
        BsonInt64 value => value.Value,
        _ => null,
    };

    private static DateTimeOffset? AsTime(BsonValue value) =>
        value is BsonDateTime time ? new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero) : null;

    private static Guid? AsGuid(BsonValue value) => value switch
    {
        BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } binary => binary.ToGuid(GuidRepresentation.Standard),
        BsonString text when Guid.TryParse(text.Value, out var parsed) => parsed,
        _ => null,
    };

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);
}
