using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// <c>QuikApp_files.files</c> in memory, running the MongoDB store's own commands: documents are kept as BSON (so dates
/// keep milliseconds only), filters and update pipelines are executed by <see cref="MongoSemantics.DocumentCommands"/>
/// (type-bracketed equality, error 28 on a dotted <c>$set</c> through a null), and <c>fileId</c> is unique as its index is.
/// </summary>
public sealed class InMemoryFileDocumentStore : IFileDocumentStore
{
    private readonly Lock _lock = new();

    // Keyed by the fileId value as stored (a missing one counts as null), as the unique index fileId_1 keys it.
    private readonly Dictionary<BsonValue, BsonDocument> _documents = [];
    private readonly Dictionary<Guid, FileOutcomeRecord> _lastRecords = [];
    private readonly List<DerivativeDeletion> _deletions = [];
    private int _failuresLeft;

    /// <summary>Calls of <see cref="ReadAsync"/> (one per handled batch with file events).</summary>
    public int Reads { get; private set; }

    /// <summary>Outcomes stored, in order.</summary>
    public int OutcomesWritten { get; private set; }

    public static FileDocument Pending(Guid fileId, Guid workspaceId, FileStorageLocation storage, string mimeType, DateTimeOffset createdAt) =>
        new(fileId, workspaceId, mimeType, storage, createdAt, false, "pending", null, null, null, new FileMediaMetadata(null, null, null, null), null);

    /// <summary>Seeds <paramref name="document"/> as the file-service writes it (explicit nulls: <c>urls: null</c> until a thumbnail exists).</summary>
    public void Seed(FileDocument document) => SeedRaw(ToBson(document), replace: true);

    /// <summary>
    /// Seeds a raw upstream document, whatever its shape (explicit nulls, a fileId of another BSON type). Throws the
    /// driver's duplicate-key error when another document has the same fileId, unless <paramref name="replace"/>.
    /// </summary>
    public void SeedRaw(BsonDocument raw, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var stored = raw.DeepClone().AsBsonDocument;
        if (!stored.Contains("_id"))
        {
            stored.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
        }

        var key = stored.GetValue("fileId", BsonNull.Value);
        lock (_lock)
        {
            if (!replace && _documents.ContainsKey(key))
            {
                throw MongoSemantics.DuplicateKey("QuikApp_files.files", "fileId_1", $"fileId: {key}");
            }

            _documents[key] = stored;
        }
    }

    /// <summary>
    /// One pass of MongoDB's TTL monitor over <c>files.expiresAt</c> (the index's <paramref name="expireAfter"/>): deletes
    /// every document whose expiresAt date is that long past at <paramref name="now"/>, as the server does on its own.
    /// Returns how many it deleted.
    /// </summary>
    public int RunTtlMonitor(DateTimeOffset now, TimeSpan expireAfter)
    {
        lock (_lock)
        {
            var expired = _documents.Where(d => MongoSemantics.TtlExpired(d.Value.GetValue("expiresAt", BsonNull.Value), expireAfter, now))
                .Select(d => d.Key).ToList();
            foreach (var key in expired)
            {
                _documents.Remove(key);
            }

            return expired.Count;
        }
    }

    public FileDocument? Document(Guid fileId)
    {
        lock (_lock)
        {
            return _documents.TryGetValue(Uuid(fileId), out var raw) ? MongoFileDocumentStore.Parse(raw) : null;
        }
    }

    /// <summary>The stored BSON of the file's document (a copy), as a query without projection would return it.</summary>
    public BsonDocument? Raw(Guid fileId)
    {
        lock (_lock)
        {
            return _documents.TryGetValue(Uuid(fileId), out var raw) ? raw.DeepClone().AsBsonDocument : null;
        }
    }

    /// <summary>The last outcome stored for the file (what the document's virusScan and processing were set from).</summary>
    public FileOutcomeRecord? LastRecord(Guid fileId)
    {
        lock (_lock)
        {
            return _lastRecords.GetValueOrDefault(fileId);
        }
    }

    public IReadOnlyList<DerivativeDeletion> Deletions
    {
        get
        {
            lock (_lock)
            {
                return [.. _deletions];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> calls fail as a MongoDB outage would.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public Task<IReadOnlyDictionary<Guid, FileDocument>> ReadAsync(IReadOnlyCollection<Guid> fileIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileIds);
        ThrowIfFailing();
        lock (_lock)
        {
            Reads++;
            return Task.FromResult<IReadOnlyDictionary<Guid, FileDocument>>(ReadLocked(fileIds));
        }
    }

    public async Task<IReadOnlyList<bool>> WriteOutcomesAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ThrowIfFailing();
        if (records.Count == 0)
        {
            return [];
        }

        long matched = 0;
        var failed = new HashSet<int>();
        IReadOnlyDictionary<Guid, FileDocument> readBack;
        lock (_lock)
        {
            for (var i = 0; i < records.Count; i++)
            {
                var (filter, pipeline) = MongoFileDocumentStore.OutcomeCommand(records[i]);
                switch (UpdateOneLocked(filter, new BsonArray(pipeline)))
                {
                    case true:
                        matched++;
                        _lastRecords[records[i].FileId] = records[i];
                        OutcomesWritten++;
                        break;
                    case null:
                        failed.Add(i);
                        break;
                }
            }

            readBack = ReadLocked([.. records.Select(r => r.FileId).Distinct()]);
        }

        // The store's own decision over what the bulk reported, so both report the same records as stored.
        return await MongoFileDocumentStore.StoredOutcomesAsync(records, matched, failed, (_, _) => Task.FromResult(readBack), cancellationToken)
            .ConfigureAwait(false);
    }

    public Task MarkPublishedAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ThrowIfFailing();
        lock (_lock)
        {
            foreach (var record in records)
            {
                var (filter, update) = MongoFileDocumentStore.PublishedCommand(record);
                UpdateOneLocked(filter, update);
            }
        }

        return Task.CompletedTask;
    }

    public Task MarkDerivativesDeletedAsync(IReadOnlyList<DerivativeDeletion> deletions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletions);
        ThrowIfFailing();
        lock (_lock)
        {
            foreach (var deletion in deletions)
            {
                _deletions.Add(deletion);
                var (filter, pipeline) = MongoFileDocumentStore.DeletionCommand(deletion);
                UpdateOneLocked(filter, new BsonArray(pipeline));
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FileDocument>> FindStuckAsync(DateTimeOffset pendingCreatedBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ThrowIfFailing();
        lock (_lock)
        {
            // The store's two queries, each sorted and limited as the store sends it.
            var pending = FindLocked(MongoFileDocumentStore.PendingFilter(pendingCreatedBefore), "createdAt", limit);
            var due = pending.Count >= limit ? [] : FindLocked(MongoFileDocumentStore.RetryDueFilter(now), "processing.retryAfter", limit - pending.Count);
            IReadOnlyList<FileDocument> found = [.. pending.Concat(due).Select(MongoFileDocumentStore.Parse).OfType<FileDocument>()];
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<FileDocument>> FindUnpublishedAsync(DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ThrowIfFailing();
        lock (_lock)
        {
            IReadOnlyList<FileDocument> found =
                [.. FindLocked(MongoFileDocumentStore.UnpublishedFilter(writtenBefore), sortBy: null, limit).Select(MongoFileDocumentStore.Parse).OfType<FileDocument>()];
            return Task.FromResult(found);
        }
    }

    /// <summary>Every (readable) document as it is now.</summary>
    public IReadOnlyList<FileDocument> Snapshot()
    {
        lock (_lock)
        {
            return [.. _documents.Values.Select(MongoFileDocumentStore.Parse).OfType<FileDocument>()];
        }
    }

    /// <summary>What the file-service does when a user deletes a file: sets <c>deleted: true</c> on the document as it is now.</summary>
    /// <returns>False when there is no such document.</returns>
    public bool MarkDeletedUpstream(Guid fileId)
    {
        lock (_lock)
        {
            return UpdateOneLocked(new BsonDocument("fileId", Uuid(fileId)), new BsonDocument("$set", new BsonDocument("deleted", true))) == true;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 50 ms), or fails naming <paramref name="what"/>.</summary>
    public async Task WaitForAsync(Func<InMemoryFileDocumentStore, bool> condition, string what, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private Dictionary<Guid, FileDocument> ReadLocked(IReadOnlyCollection<Guid> fileIds)
    {
        var filter = MongoFileDocumentStore.ReadFilter(fileIds);
        return _documents.Values
            .Where(d => MongoSemantics.DocumentCommands.Matches(d, filter))
            .Select(MongoFileDocumentStore.Parse)
            .OfType<FileDocument>()
            .GroupBy(d => d.FileId)
            .ToDictionary(g => g.Key, g => g.First());
    }

    private List<BsonDocument> FindLocked(BsonDocument filter, string? sortBy, int limit)
    {
        var found = _documents.Values.Where(d => MongoSemantics.DocumentCommands.Matches(d, filter));
        if (sortBy is not null)
        {
            found = found.Order(Comparer<BsonDocument>.Create((a, b) => MongoSemantics.DocumentCommands.CompareForSort(
                MongoSemantics.DocumentCommands.Resolve(a, sortBy), MongoSemantics.DocumentCommands.Resolve(b, sortBy))));
        }

        return [.. found.Take(limit)];
    }

    /// <summary>updateOne without upsert: true when applied, false when nothing matched, null when the server would refuse it (a per-item write error of the bulk).</summary>
    private bool? UpdateOneLocked(BsonDocument filter, BsonValue update)
    {
        var target = _documents.Values.FirstOrDefault(d => MongoSemantics.DocumentCommands.Matches(d, filter));
        if (target is null)
        {
            return false;
        }

        try
        {
            MongoSemantics.DocumentCommands.Apply(target, update);
            return true;
        }
        catch (MongoWriteException)
        {
            return null;
        }
    }

    /// <summary>A document in the shape the file-service writes (the seed's), with this worker's processing when it has one.</summary>
    private static BsonDocument ToBson(FileDocument document)
    {
        var metadata = document.Metadata;
        var raw = new BsonDocument
        {
            { "fileId", Uuid(document.FileId) },
            { "workspaceId", Uuid(document.WorkspaceId) },
            { "mimeType", (BsonValue?)document.MimeType ?? BsonNull.Value },
            {
                "storage", document.Storage is { } storage
                    ? new BsonDocument { { "provider", storage.Provider }, { "bucket", storage.Bucket }, { "key", storage.Key }, { "region", (BsonValue?)storage.Region ?? BsonNull.Value } }
                    : BsonNull.Value
            },
            { "urls", document.ThumbnailUrl is { } thumbnail ? new BsonDocument("thumbnail", thumbnail) : BsonNull.Value },
            {
                "metadata", new BsonDocument
                {
                    { "width", (BsonValue?)metadata.Width ?? BsonNull.Value }, { "height", (BsonValue?)metadata.Height ?? BsonNull.Value },
                    { "duration", (BsonValue?)metadata.Duration ?? BsonNull.Value }, { "pages", (BsonValue?)metadata.Pages ?? BsonNull.Value },
                }
            },
            {
                "virusScan", new BsonDocument
                {
                    { "status", document.ScanStatus }, { "signature", (BsonValue?)document.Signature ?? BsonNull.Value },
                    { "scannedAt", document.ScannedAt is { } scannedAt ? scannedAt.UtcDateTime : BsonNull.Value },
                }
            },
            { "deleted", document.Deleted },
            { "deletedAt", BsonNull.Value },
            { "createdAt", document.CreatedAt is { } createdAt ? createdAt.UtcDateTime : BsonNull.Value },
            { "expiresAt", BsonNull.Value },
        };
        if (document.Processing is { } processing)
        {
            var state = new BsonDocument
            {
                { "status", processing.Status },
                { "reason", (BsonValue?)processing.Reason ?? BsonNull.Value },
                { "rejection", (BsonValue?)processing.Rejection ?? BsonNull.Value },
                { "attempts", processing.Attempts },
                { "eventId", processing.EventId is { } eventId ? Uuid(eventId) : BsonNull.Value },
                { "published", processing.Published },
                {
                    "derivatives", new BsonArray(processing.Derivatives.Select(d => new BsonDocument
                    {
                        { "size", d.Size }, { "provider", d.Location.Provider }, { "bucket", d.Location.Bucket }, { "key", d.Location.Key },
                        { "width", d.Width }, { "height", d.Height },
                    }))
                },
                { "processedAt", processing.ProcessedAt is { } processedAt ? processedAt.UtcDateTime : BsonNull.Value },
            };
            if (processing.RetryAfter is { } retryAfter)
            {
                state.Add("retryAfter", retryAfter.UtcDateTime);
            }

            raw.Add("processing", state);
        }

        return raw;
    }

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    private void ThrowIfFailing()
    {
        if (Volatile.Read(ref _failuresLeft) > 0 && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new TimeoutException("MongoDB did not answer (in-memory store)");
        }
    }
}
