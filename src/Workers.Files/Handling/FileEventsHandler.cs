using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Recording;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Files.Handling;

/// <summary>
/// Handles <c>quikapp.file.uploaded</c> and <c>quikapp.file.deleted</c>: one read of the batch's documents, the files
/// processed concurrently (each file's events in order), one bulk write of the outcomes, then their events; deleted
/// files lose the derivatives this worker made.
/// </summary>
/// <remarks>
/// <para>An upload event is skipped when its document is finished (done or skipped), deleted, or already carries the
/// outcome of this very event (a redelivery): it does nothing beyond finishing an interrupted publication. Failed files are
/// retried by the sweeper on its back-off, not by redeliveries.</para>
/// <para>Failures: a refused location is written as a failed outcome <em>and</em> dead-lettered with the reason. Anything
/// thrown for one file (clamd unreachable, storage down) stops that file's later events; the other files' outcomes are
/// still written and published, then the failure is rethrown for the engine to classify (transient: pause and retry; the
/// finished files are then skipped). A missing document is retried as transient for
/// <c>Files:Processing:MissingDocumentGrace</c>, then dead-lettered.</para>
/// </remarks>
public sealed partial class FileEventsHandler(
    FileProcessor processor,
    IFileDocumentStore documents,
    FileOutcomeRecorder recorder,
    IOptions<FileProcessingOptions> options,
    TimeProvider time,
    ILogger<FileEventsHandler> logger) : IEventBatchHandler<EventEnvelope>
{
    private const string FileDocumentLocation = "QuikApp_files.files";

    private readonly FileProcessingOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    // Upload events whose document was missing, by eventId: when the miss was first seen.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _missingSince = new();

    public async Task HandleAsync(EventBatch<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var byFile = new Dictionary<Guid, List<ConsumedEvent<EventEnvelope>>>();
        foreach (var consumed in batch.Events)
        {
            Guid? fileId = consumed.Event.Data switch
            {
                FileUploaded uploaded => uploaded.FileId,
                FileDeleted deleted => deleted.FileId,
                _ => null,
            };
            if (fileId is not { } id)
            {
                batch.Reject(consumed, $"{consumed.Event.EventType} is not handled by the files worker");
                continue;
            }

            if (!byFile.TryGetValue(id, out var events))
            {
                byFile[id] = events = [];
            }

            events.Add(consumed);
        }

        if (byFile.Count == 0)
        {
            return;
        }

        var stored = await documents.ReadAsync(byFile.Keys, cancellationToken).ConfigureAwait(false);
        var results = new ConcurrentBag<FileWork>();
        await Parallel.ForEachAsync(
            byFile,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentFiles, CancellationToken = cancellationToken },
            async (file, token) => results.Add(await HandleFileAsync(batch, file.Key, file.Value, stored.GetValueOrDefault(file.Key), token).ConfigureAwait(false)))
            .ConfigureAwait(false);

        // What finished is made durable and announced even when another file failed: the retry then skips it.
        var written = await recorder.WriteAndPublishAsync([.. results.SelectMany(r => r.Outcomes)], cancellationToken).ConfigureAwait(false);
        await recorder.RepublishAsync([.. results.SelectMany(r => r.Unpublished)], cancellationToken).ConfigureAwait(false);
        var deletions = results.SelectMany(r => r.Deletions).ToList();
        if (deletions.Count > 0)
        {
            await documents.MarkDerivativesDeletedAsync(deletions, cancellationToken).ConfigureAwait(false);
        }

        LogHandled(batch.Topic, batch.Count, written.Count, written.Count(r => r.Outcome.Status == ProcessingStatus.Done),
            written.Count(r => r.Outcome.Status == ProcessingStatus.Skipped), written.Count(r => r.Outcome.Status == ProcessingStatus.Failed), deletions.Count);

        var failures = results.Select(r => r.Failure).OfType<Exception>().ToList();
        if (failures.Count == 1)
        {
            throw failures[0];
        }

        if (failures.Count > 1)
        {
            throw new AggregateException($"{failures.Count} files of the batch failed", failures);
        }
    }

    private async Task<FileWork> HandleFileAsync(
        EventBatch<EventEnvelope> batch,
        Guid fileId,
        List<ConsumedEvent<EventEnvelope>> events,
        FileDocument? document,
        CancellationToken cancellationToken)
    {
        var work = new FileWork();
        foreach (var consumed in events)
        {
            var envelope = consumed.Event;
            try
            {
                switch (envelope.Data)
                {
                    case FileUploaded uploaded:
                        if (document is null)
                        {
                            if (!MissingFor(envelope.EventId, out var missing))
                            {
                                // Stop here: later events of this file must not overtake this one.
                                work.Failure = new TransientDependencyException($"no file document for {fileId} yet (missing for {missing.TotalSeconds:0} s)");
                                return work;
                            }

                            batch.Reject(consumed, $"no file document for fileId {fileId} in {FileDocumentLocation} after {_options.MissingDocumentGrace} (the file-service writes it before publishing)");
                            continue;
                        }

                        _missingSince.TryRemove(envelope.EventId, out _);
                        document = await HandleUploadAsync(batch, consumed, uploaded, document, work, cancellationToken).ConfigureAwait(false);
                        break;

                    case FileDeleted deleted:
                        await DeleteDerivativesAsync(deleted, document, cancellationToken).ConfigureAwait(false);
                        work.Deletions.Add(new DerivativeDeletion(fileId, deleted.DeletedAt));
                        document = document is null ? null : document with { Deleted = true };
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                work.Failure = ex;
                return work;
            }
        }

        return work;
    }

    private async Task<FileDocument> HandleUploadAsync(
        EventBatch<EventEnvelope> batch,
        ConsumedEvent<EventEnvelope> consumed,
        FileUploaded uploaded,
        FileDocument document,
        FileWork work,
        CancellationToken cancellationToken)
    {
        var envelope = consumed.Event;
        var processing = document.Processing;
        if (document.Deleted)
        {
            LogSkipped(uploaded.FileId, "the file is deleted");
            return document;
        }

        if (document.IsFinal || processing?.EventId == envelope.EventId)
        {
            // Already handled (by this event, or finished by another). Only an interrupted publication is finished.
            if (processing is { Published: false })
            {
                work.Unpublished.Add((document, envelope.Metadata.CorrelationId));
            }

            if (processing?.EventId == envelope.EventId && processing.Rejection is { } rejection)
            {
                batch.Reject(consumed, rejection);
            }

            LogSkipped(uploaded.FileId, $"already {processing?.Status}");
            return document;
        }

        var attempt = (processing?.Attempts ?? 0) + 1;
        var file = new FileToProcess(uploaded.FileId, uploaded.WorkspaceId, ObjectLocation.From(uploaded.Storage), uploaded.MimeType);
        var outcome = await processor.ProcessAsync(file, cancellationToken).ConfigureAwait(false);
        var record = recorder.Record(outcome, attempt, envelope.EventId);
        work.Outcomes.Add((record, envelope.Metadata.CorrelationId));
        if (outcome.Rejection is { } reason)
        {
            batch.Reject(consumed, reason);
        }

        // A later event of this file in the same batch sees this outcome, as it would after the write (published by
        // this batch, hence not "unpublished").
        return document with
        {
            Processing = new FileProcessingState(outcome.Status.Name(), record.Outcome.Reason, outcome.Rejection, attempt, envelope.EventId,
                Published: true, outcome.Derivatives, record.ProcessedAt, record.RetryAfter),
        };
    }

    private async Task DeleteDerivativesAsync(FileDeleted deleted, FileDocument? document, CancellationToken cancellationToken)
    {
        // The keys this configuration would write, and any the document lists (e.g. from an earlier size or format),
        // the latter only when they are really this file's derivatives: the file-service owns the original.
        var locations = processor.DerivativeLocations(deleted.WorkspaceId, deleted.FileId).ToHashSet();
        foreach (var recorded in document?.Processing?.Derivatives ?? [])
        {
            if (processor.IsDerivativeOf(recorded.Location, deleted.WorkspaceId, deleted.FileId))
            {
                locations.Add(recorded.Location);
            }
        }

        foreach (var location in locations)
        {
            await processor.DeleteDerivativeAsync(location, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool MissingFor(Guid eventId, out TimeSpan missing)
    {
        var now = time.GetUtcNow();
        var since = _missingSince.GetOrAdd(eventId, now);
        missing = now - since;
        if (missing < _options.MissingDocumentGrace)
        {
            return false;
        }

        _missingSince.TryRemove(eventId, out _);
        // Entries of events another consumer took over after a rebalance would otherwise stay forever.
        foreach (var stale in _missingSince.Where(e => now - e.Value > 10 * _options.MissingDocumentGrace + TimeSpan.FromMinutes(10)))
        {
            _missingSince.TryRemove(stale.Key, out _);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled {Count} events from {Topic}: {Written} outcomes written ({Done} done, {Skipped} skipped, {Failed} failed), {Deleted} deletions")]
    private partial void LogHandled(string topic, int count, int written, int done, int skipped, int failed, int deleted);

    [LoggerMessage(Level = LogLevel.Debug, Message = "File {FileId}: upload event skipped, {Why}")]
    private partial void LogSkipped(Guid fileId, string why);

    /// <summary>One file's share of a batch: outcomes to write, publications to finish, deletions, or the failure that stopped it.</summary>
    private sealed class FileWork
    {
        public List<(FileOutcomeRecord Record, string? CorrelationId)> Outcomes { get; } = [];

        public List<(FileDocument Document, string? CorrelationId)> Unpublished { get; } = [];

        public List<DerivativeDeletion> Deletions { get; } = [];

        public Exception? Failure { get; set; }
    }
}
