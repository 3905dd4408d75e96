using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
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
/// <para>
/// The updates that write inside another service's sub-documents (<c>urls</c>, <c>processing</c>) are update pipelines
/// that rebuild the parent with <c>$mergeObjects</c> over the parent when it is a document and <c>{}</c> otherwise: the
/// seed writes explicit nulls (<c>urls: null</c>), and a classic <c>$set "urls.thumbnail"</c> on a null parent fails with
/// error 28 (PathNotViable). Values go in through <c>$literal</c>, so a string starting with <c>$</c> is never read as a
/// field path. Whole sub-documents this worker owns (<c>virusScan</c>, <c>metadata</c>) are set whole.
/// </para>
/// <para>
/// A per-document write error that remains (document validation, a field of an unexpected type) is mapped to that record
/// only: it is reported as not stored and logged, and the rest of the bulk stands. A write-concern error, a timeout or a
/// network error is the batch's and is thrown.
/// </para>
/// </remarks>
public sealed partial class MongoFileDocumentStore(MongoCatalog catalog, ILogger<MongoFileDocumentStore>? logger = null) : IFileDocumentStore
{
    private readonly ILogger _logger = logger ?? NullLogger<MongoFileDocumentStore>.Instance;

    private static readonly ProjectionDefinition<BsonDocument> Projection = new BsonDocument
    {
        { "fileId", 1 }, { "workspaceId", 1 }, { "mimeType", 1 }, { "storage", 1 }, { "createdAt", 1 }, { "deleted", 1 },
        { "virusScan", 1 }, { "urls.thumbnail", 1 }, { "metadata", 1 }, { "processing", 1 },
    };

    /// <summary>
    /// How long a write waits for a majority before MongoDB answers with a write-concern error (64) instead of blocking:
    /// without it a partition whose write waits on a lost majority hangs past <c>max.poll.interval.ms</c>. The write
    /// itself is applied on the primary; retrying it is safe (the guard, and a redelivery publishes what was written).
    /// </summary>
    internal static readonly TimeSpan MajorityWaitLimit = TimeSpan.FromSeconds(30);

    private IMongoCollection<BsonDocument> Files => catalog.Files;

    /// <summary>The files collection for this store's writes: the client's write concern (w:majority, j) with <see cref="MajorityWaitLimit"/>.</summary>
    internal IMongoCollection<BsonDocument> Writes => field ??= catalog.Files.WithWriteConcern(catalog.Files.Settings.WriteConcern.With(wTimeout: MajorityWaitLimit));

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

        var (matched, failed) = await BulkWriteAsync("outcome", records.Select(OutcomeModel).ToList(), i => records[i].FileId, cancellationToken)
            .ConfigureAwait(false);
        return await StoredOutcomesAsync(records, matched, failed, ReadAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Which records are the stored outcome now, after a bulk that matched <paramref name="matched"/> documents and failed
    /// on the records at <paramref name="failed"/>: all when every filter matched, otherwise read back (a filter that
    /// matched nothing met a finished, deleted or missing document). Shared with the in-memory double.
    /// </summary>
    internal static async Task<IReadOnlyList<bool>> StoredOutcomesAsync(
        IReadOnlyList<FileOutcomeRecord> records,
        long matched,
        IReadOnlySet<int> failed,
        Func<IReadOnlyCollection<Guid>, CancellationToken, Task<IReadOnlyDictionary<Guid, FileDocument>>> read,
        CancellationToken cancellationToken)
    {
        if (failed.Count == 0 && matched == records.Count)
        {
            return [.. records.Select(_ => true)];
        }

        var stored = await read([.. records.Select(r => r.FileId).Distinct()], cancellationToken).ConfigureAwait(false);
        return [.. records.Select((r, i) => !failed.Contains(i)
            && stored.TryGetValue(r.FileId, out var d) && d.Processing is { } p && p.EventId == r.EventId && p.Attempts == r.Attempt)];
    }

    /// <summary>
    /// One unordered bulk. Per-document write errors are logged and returned by index (the others were applied, as
    /// an unordered bulk goes on past an error); a write-concern error is the batch's and is rethrown.
    /// </summary>
    private async Task<(long Matched, IReadOnlySet<int> Failed)> BulkWriteAsync(
        string what, IReadOnlyList<WriteModel<BsonDocument>> models, Func<int, Guid> fileIdAt, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Writes.BulkWriteAsync(models, new BulkWriteOptions { IsOrdered = false }, cancellationToken).ConfigureAwait(false);
            return (result.MatchedCount, new HashSet<int>());
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteConcernError is not null)
        {
            // Applied on the primary, not confirmed by a majority in time (wtimeout, a stepdown): the batch's, and worth
            // retrying once the replica set recovers. The driver's bulk exception carries no label the classifier knows.
            throw new TransientDependencyException($"MongoDB did not confirm the {what} writes: {ex.WriteConcernError.Message} (code {ex.WriteConcernError.Code})", ex);
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteErrors.Any(e => TransientWriteErrorCodes.Contains(e.Code)))
        {
            // A write conflict, a stepdown or a shutdown interrupting some of the writes: nothing wrong with those
            // documents, so the whole batch is retried (every write here is idempotent) instead of refusing them.
            var first = ex.WriteErrors.First(e => TransientWriteErrorCodes.Contains(e.Code));
            throw new TransientDependencyException($"MongoDB interrupted the {what} writes: code {first.Code} ({first.Message})", ex);
        }
        catch (MongoBulkWriteException<BsonDocument> ex) when (ex.WriteConcernError is null && ex.WriteErrors.Count > 0 && ex.Result.IsAcknowledged)
        {
            foreach (var error in ex.WriteErrors)
            {
                LogWriteRefused(_logger, what, fileIdAt(error.Index), error.Code, error.Category);
            }

            return (ex.Result.MatchedCount, ex.WriteErrors.Select(e => e.Index).ToHashSet());
        }
    }

    /// <summary>
    /// Per-document write errors that say nothing about the document: WriteConflict (112), MaxTimeMSExpired (50),
    /// stepdown and shutdown interruptions (11600, 11602, 91, 189, 10107, 13435, 13436).
    /// </summary>
    internal static readonly HashSet<int> TransientWriteErrorCodes = [112, 50, 11600, 11602, 91, 189, 10107, 13435, 13436];

    [LoggerMessage(Level = LogLevel.Warning, Message = "File {FileId}: MongoDB refused the {What} write (code {Code}, {Category}); the rest of the batch is written")]
    private static partial void LogWriteRefused(ILogger logger, string what, Guid fileId, int code, ServerErrorCategory category);

    public async Task MarkPublishedAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count > 0)
        {
            await BulkWriteAsync("published", records.Select(PublishedModel).ToList(), i => records[i].FileId, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task MarkDerivativesDeletedAsync(IReadOnlyList<DerivativeDeletion> deletions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletions);
        if (deletions.Count > 0)
        {
            await BulkWriteAsync("derivatives-deleted", deletions.Select(DeletionModel).ToList(), i => deletions[i].FileId, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Files never scanned: <c>virusScan.status</c> "pending", or no status at all (<c>virusScan</c> missing, null or not a
    /// document: <c>null</c> matches all three), created before <paramref name="createdBefore"/>. A file-service that wrote
    /// no <c>virusScan</c> still stored a file nobody has scanned, and this worker always writes a status with an outcome,
    /// so a missing one means "never processed". Served by <c>virusScan.status_1_createdAt_1</c>: two point intervals
    /// (null covers missing) then the createdAt range, merged in createdAt order.
    /// </summary>
    internal static BsonDocument PendingFilter(DateTimeOffset createdBefore) => new()
    {
        { "virusScan.status", new BsonDocument("$in", new BsonArray { "pending", BsonNull.Value }) },
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
        var (filter, pipeline) = OutcomeCommand(record);
        return new UpdateOneModel<BsonDocument>(filter, new PipelineUpdateDefinition<BsonDocument>(pipeline));
    }

    /// <summary>
    /// The filter and update pipeline of one outcome: what <see cref="OutcomeModel"/> sends, and what the in-memory double
    /// executes, so both run the same command.
    /// </summary>
    internal static (BsonDocument Filter, BsonDocument[] Pipeline) OutcomeCommand(FileOutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var outcome = record.Outcome;
        var filter = new BsonDocument
        {
            { "fileId", Uuid(outcome.FileId) },
            { "processing.status", new BsonDocument("$nin", new BsonArray { "done", "skipped" }) },
            { "deleted", new BsonDocument("$ne", true) },
        };

        var scan = outcome.Scan;
        var processing = new BsonDocument
        {
            { "status", outcome.Status.Name() },
            { "reason", (BsonValue?)outcome.Reason ?? BsonNull.Value },
            { "sniffedType", (BsonValue?)outcome.Type?.MimeType ?? BsonNull.Value },
            { "notes", new BsonArray(outcome.Notes) },
            { "derivatives", new BsonArray(outcome.Derivatives.Select(Derivative)) },
            { "quarantinedTo", outcome.QuarantinedTo is { } q ? Location(q) : BsonNull.Value },
            { "rejection", (BsonValue?)outcome.Rejection ?? BsonNull.Value },
            { "attempts", record.Attempt },
            { "eventId", Uuid(record.EventId) },
            { "published", false },
            { "processedAt", record.ProcessedAt.UtcDateTime },
        };
        if (record.RetryAfter is { } retryAfter)
        {
            processing.Add("retryAfter", retryAfter.UtcDateTime);
        }

        var set = new BsonDocument
        {
            {
                "virusScan", Literal(new BsonDocument
                {
                    { "status", scan.Status.Name() },
                    { "signature", (BsonValue?)scan.Signature ?? BsonNull.Value },
                    { "engine", (BsonValue?)scan.Engine ?? BsonNull.Value },
                    { "scannedAt", scan.ScannedAt.UtcDateTime },
                    { "reason", (BsonValue?)scan.Reason ?? BsonNull.Value },
                })
            },
            { "urls", MergeInto("urls", new BsonDocument("thumbnail", (BsonValue?)outcome.ThumbnailUrl ?? BsonNull.Value)) },
            { "processing", MergeInto("processing", processing) },
        };

        // Metadata only from a clean file: an infected or unscanned one was never parsed, and the file-service's values stay.
        if (outcome.Status == ProcessingStatus.Done)
        {
            var media = outcome.Metadata;
            set.Add("metadata", Literal(new BsonDocument
            {
                { "width", (BsonValue?)media.Width ?? BsonNull.Value },
                { "height", (BsonValue?)media.Height ?? BsonNull.Value },
                { "duration", (BsonValue?)media.Duration ?? BsonNull.Value },
                { "pages", (BsonValue?)media.Pages ?? BsonNull.Value },
            }));
        }

        BsonDocument[] pipeline = record.RetryAfter is null
            // Removed rather than null: only files with a retry due are in the partial index processing.retryAfter_1.
            ? [new BsonDocument("$set", set), new BsonDocument("$unset", "processing.retryAfter")]
            : [new BsonDocument("$set", set)];
        return (filter, pipeline);
    }

    internal static UpdateOneModel<BsonDocument> PublishedModel(FileOutcomeRecord record)
    {
        var (filter, update) = PublishedCommand(record);
        return new UpdateOneModel<BsonDocument>(filter, update);
    }

    /// <summary>
    /// Marks one stored outcome published. A classic dotted <c>$set</c> is safe here: the filter matches only a document
    /// whose <c>processing.eventId</c> is this record's, so <c>processing</c> is a document.
    /// </summary>
    internal static (BsonDocument Filter, BsonDocument Update) PublishedCommand(FileOutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (
            new BsonDocument
            {
                { "fileId", Uuid(record.FileId) },
                { "processing.eventId", Uuid(record.EventId) },
                { "processing.attempts", record.Attempt },
            },
            new BsonDocument("$set", new BsonDocument("processing.published", true)));
    }

    internal static UpdateOneModel<BsonDocument> DeletionModel(DerivativeDeletion deletion)
    {
        var (filter, pipeline) = DeletionCommand(deletion);
        return new UpdateOneModel<BsonDocument>(filter, new PipelineUpdateDefinition<BsonDocument>(pipeline));
    }

    /// <summary>Clears the thumbnail and the derivatives of a deleted file, whatever <c>urls</c> and <c>processing</c> hold (null included).</summary>
    internal static (BsonDocument Filter, BsonDocument[] Pipeline) DeletionCommand(DerivativeDeletion deletion)
    {
        ArgumentNullException.ThrowIfNull(deletion);
        var processing = new BsonDocument
        {
            { "derivatives", Literal(new BsonArray()) },
            // $min ignores a missing or null operand and keeps an earlier time: a redelivered deletion keeps the first one.
            { "derivativesDeletedAt", new BsonDocument("$min", new BsonArray { "$processing.derivativesDeletedAt", deletion.DeletedAt.UtcDateTime }) },
        };
        return (
            new BsonDocument("fileId", Uuid(deletion.FileId)),
            [new BsonDocument("$set", new BsonDocument
            {
                { "urls", MergeInto("urls", new BsonDocument("thumbnail", BsonNull.Value)) },
                { "processing", new BsonDocument("$mergeObjects", new BsonArray { DocumentOrEmpty("processing"), processing }) },
            })]);
    }

    /// <summary>
    /// <c>{$mergeObjects: [&lt;field if it is a document, else {}&gt;, {$literal: fields}]}</c>: the field's other members
    /// stay, <paramref name="fields"/> are set, and a null, missing or non-document field becomes a document.
    /// </summary>
    private static BsonDocument MergeInto(string field, BsonDocument fields) =>
        new("$mergeObjects", new BsonArray { DocumentOrEmpty(field), Literal(fields) });

    private static BsonDocument DocumentOrEmpty(string field) => new("$cond", new BsonArray
    {
        new BsonDocument("$eq", new BsonArray { new BsonDocument("$type", "$" + field), "object" }),
        "$" + field,
        Literal(new BsonDocument()),
    });

    private static BsonDocument Literal(BsonValue value) => new("$literal", value);

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
