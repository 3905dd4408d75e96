using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// <c>QuikApp_files.files</c> in memory with the MongoDB store's semantics: documents are seeded as the file-service
/// writes them (pending), outcomes never overwrite a done, skipped or deleted document, nothing is created for a missing one.
/// </summary>
public sealed class InMemoryFileDocumentStore : IFileDocumentStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, FileDocument> _documents = [];
    private readonly Dictionary<Guid, FileOutcomeRecord> _lastRecords = [];
    private readonly List<DerivativeDeletion> _deletions = [];
    private int _failuresLeft;

    /// <summary>Calls of <see cref="ReadAsync"/> (one per handled batch with file events).</summary>
    public int Reads { get; private set; }

    /// <summary>Outcomes stored, in order.</summary>
    public int OutcomesWritten { get; private set; }

    public static FileDocument Pending(Guid fileId, Guid workspaceId, FileStorageLocation storage, string mimeType, DateTimeOffset createdAt) =>
        new(fileId, workspaceId, mimeType, storage, createdAt, false, "pending", null, null, null, new FileMediaMetadata(null, null, null, null), null);

    public void Seed(FileDocument document)
    {
        lock (_lock)
        {
            _documents[document.FileId] = document;
        }
    }

    public FileDocument? Document(Guid fileId)
    {
        lock (_lock)
        {
            return _documents.GetValueOrDefault(fileId);
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
        ThrowIfFailing();
        lock (_lock)
        {
            Reads++;
            IReadOnlyDictionary<Guid, FileDocument> found = fileIds.Where(_documents.ContainsKey).Distinct().ToDictionary(id => id, id => _documents[id]);
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<bool>> WriteOutcomesAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_lock)
        {
            var applied = new bool[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                if (!_documents.TryGetValue(record.FileId, out var document) || document.IsFinal || document.Deleted)
                {
                    continue;
                }

                var outcome = record.Outcome;
                _documents[record.FileId] = document with
                {
                    ScanStatus = outcome.Scan.Status.Name(),
                    Signature = outcome.Scan.Signature,
                    ScannedAt = outcome.Scan.ScannedAt,
                    ThumbnailUrl = outcome.ThumbnailUrl,
                    Metadata = outcome.Status == ProcessingStatus.Done ? outcome.Metadata : document.Metadata,
                    Processing = new FileProcessingState(outcome.Status.Name(), outcome.Reason, outcome.Rejection, record.Attempt, record.EventId,
                        false, outcome.Derivatives, record.ProcessedAt, record.RetryAfter),
                };
                _lastRecords[record.FileId] = record;
                OutcomesWritten++;
                applied[i] = true;
            }

            return Task.FromResult<IReadOnlyList<bool>>(applied);
        }
    }

    public Task MarkPublishedAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_lock)
        {
            foreach (var record in records)
            {
                if (_documents.TryGetValue(record.FileId, out var document) && document.Processing is { } processing
                    && processing.EventId == record.EventId && processing.Attempts == record.Attempt)
                {
                    _documents[record.FileId] = document with { Processing = processing with { Published = true } };
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task MarkDerivativesDeletedAsync(IReadOnlyList<DerivativeDeletion> deletions, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_lock)
        {
            foreach (var deletion in deletions)
            {
                _deletions.Add(deletion);
                if (_documents.TryGetValue(deletion.FileId, out var document))
                {
                    _documents[deletion.FileId] = document with
                    {
                        ThumbnailUrl = null,
                        Processing = document.Processing is { } processing ? processing with { Derivatives = [] } : null,
                    };
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FileDocument>> FindStuckAsync(DateTimeOffset pendingCreatedBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_lock)
        {
            var pending = _documents.Values.Where(d => !d.Deleted && d.ScanStatus == "pending" && d.CreatedAt < pendingCreatedBefore).OrderBy(d => d.CreatedAt);
            var due = _documents.Values.Where(d => !d.Deleted && d.Processing?.RetryAfter <= now).OrderBy(d => d.Processing!.RetryAfter);
            IReadOnlyList<FileDocument> found = [.. pending.Concat(due).Take(limit)];
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<FileDocument>> FindUnpublishedAsync(DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_lock)
        {
            IReadOnlyList<FileDocument> found = [.. _documents.Values.Where(d => d.Processing is { Published: false } p && p.ProcessedAt < writtenBefore).Take(limit)];
            return Task.FromResult(found);
        }
    }

    /// <summary>Every document as it is now.</summary>
    public IReadOnlyList<FileDocument> Snapshot()
    {
        lock (_lock)
        {
            return [.. _documents.Values];
        }
    }

    /// <summary>What the file-service does when a user deletes a file: sets <c>deleted: true</c> on the document as it is now.</summary>
    /// <returns>False when there is no such document.</returns>
    public bool MarkDeletedUpstream(Guid fileId)
    {
        lock (_lock)
        {
            if (!_documents.TryGetValue(fileId, out var document))
            {
                return false;
            }

            _documents[fileId] = document with { Deleted = true };
            return true;
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

    private void ThrowIfFailing()
    {
        if (Volatile.Read(ref _failuresLeft) > 0 && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new TimeoutException("MongoDB did not answer (in-memory store)");
        }
    }
}
