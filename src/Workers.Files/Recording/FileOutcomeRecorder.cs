using System.Globalization;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Producing;

namespace QuikApp.Workers.Files.Recording;

/// <summary>
/// Makes outcomes durable and announced, in that order: one bulk write of the documents, then <c>quikapp.file.scanned</c>
/// for every outcome (and <c>quikapp.file.processed</c> for done files), then <c>processing.published: true</c>.
/// </summary>
/// <remarks>
/// Events are published only after the document says what they say (consumers may read it). A crash or Kafka failure
/// between the write and the publish leaves <c>processing.published: false</c>: a redelivered event, or the sweeper,
/// publishes them from the document (<see cref="RepublishAsync"/>) with the same event ids, which are derived from the
/// source event id and the attempt: a redelivery republishes the same ids, a new attempt publishes new ones.
/// </remarks>
public sealed class FileOutcomeRecorder(IFileDocumentStore documents, EventPublisher publisher, RetryPolicy retries, TimeProvider time)
{
    /// <summary>The <c>metadata.source</c> of the events this worker publishes.</summary>
    public const string Source = "files-worker";

    /// <summary>The record of attempt <paramref name="attempt"/> from event <paramref name="eventId"/>, with the retry policy's decision applied.</summary>
    public FileOutcomeRecord Record(FileOutcome outcome, int attempt, Guid eventId)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var now = time.GetUtcNow();
        var decision = retries.Decide(outcome, attempt, now);
        return new FileOutcomeRecord(outcome with { Reason = decision.Reason }, attempt, eventId, now, decision.RetryAfter);
    }

    /// <summary>Writes the outcomes, publishes the events of those that are now stored, marks them published.</summary>
    /// <returns>The records that were stored (the others met a finished or deleted document).</returns>
    public async Task<IReadOnlyList<FileOutcomeRecord>> WriteAndPublishAsync(
        IReadOnlyList<(FileOutcomeRecord Record, string? CorrelationId)> outcomes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return [];
        }

        var applied = await documents.WriteOutcomesAsync([.. outcomes.Select(o => o.Record)], cancellationToken).ConfigureAwait(false);
        var stored = outcomes.Where((_, i) => applied[i]).ToList();
        await Task.WhenAll(stored.Select(o => PublishAsync(o.Record, o.CorrelationId, cancellationToken))).ConfigureAwait(false);
        await documents.MarkPublishedAsync([.. stored.Select(o => o.Record)], cancellationToken).ConfigureAwait(false);
        return [.. stored.Select(o => o.Record)];
    }

    /// <summary>Publishes the events of stored outcomes whose publication was interrupted, from the documents, and marks them published.</summary>
    public async Task RepublishAsync(IReadOnlyList<(FileDocument Document, string? CorrelationId)> unpublished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unpublished);
        var records = unpublished
            .Select(u => (Record: FromDocument(u.Document), u.CorrelationId))
            .Where(u => u.Record is not null)
            .Select(u => (Record: u.Record!, u.CorrelationId))
            .ToList();
        if (records.Count == 0)
        {
            return;
        }

        await Task.WhenAll(records.Select(r => PublishAsync(r.Record, r.CorrelationId, cancellationToken))).ConfigureAwait(false);
        await documents.MarkPublishedAsync([.. records.Select(r => r.Record)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The id of the derived event <paramref name="eventType"/> about <paramref name="fileId"/>, of attempt
    /// <paramref name="attempt"/>, caused by <paramref name="sourceEventId"/> (two files sharing a source eventId still get two).
    /// </summary>
    public static Guid DerivedEventId(Guid sourceEventId, Guid fileId, string eventType, int attempt) =>
        EventEnvelope.DerivedEventId(sourceEventId, fileId.ToString(), string.Create(CultureInfo.InvariantCulture, $"{eventType}#{attempt}"));

    private async Task PublishAsync(FileOutcomeRecord record, string? correlationId, CancellationToken cancellationToken)
    {
        var outcome = record.Outcome;
        var key = outcome.FileId.ToString();
        var scanned = new FileScanned(outcome.FileId, outcome.WorkspaceId, outcome.Scan.Status, outcome.Scan.Signature, outcome.Scan.ScannedAt);
        await publisher.PublishAsync(
            EventEnvelope.Create(scanned, Source, correlationId, DerivedEventId(record.EventId, outcome.FileId, "file.scanned", record.Attempt)),
            key,
            cancellationToken).ConfigureAwait(false);
        if (outcome.Status == ProcessingStatus.Done)
        {
            var processed = new FileProcessed(outcome.FileId, outcome.WorkspaceId, outcome.ThumbnailUrl, outcome.Metadata);
            await publisher.PublishAsync(
                EventEnvelope.Create(processed, Source, correlationId, DerivedEventId(record.EventId, outcome.FileId, "file.processed", record.Attempt)),
                key,
                cancellationToken).ConfigureAwait(false);
        }
    }

    // Only what the events carry is rebuilt; the rest of the outcome is already in the document.
    private static FileOutcomeRecord? FromDocument(FileDocument document)
    {
        if (document.Processing is not { EventId: { } eventId } processing || document.ScanStatusValue is not { } status)
        {
            return null;
        }

        var scan = new ScanVerdict(status, document.Signature, null, null, document.ScannedAt ?? processing.ProcessedAt ?? DateTimeOffset.UnixEpoch);
        var outcomeStatus = processing.Status switch
        {
            "done" => ProcessingStatus.Done,
            "skipped" => ProcessingStatus.Skipped,
            _ => ProcessingStatus.Failed,
        };
        var outcome = new FileOutcome(document.FileId, document.WorkspaceId, scan, null, document.Metadata, [], processing.Derivatives,
            document.ThumbnailUrl, null, outcomeStatus, processing.Reason, processing.Rejection, StageTimings.None);
        return new FileOutcomeRecord(outcome, processing.Attempts, eventId, processing.ProcessedAt ?? scan.ScannedAt, processing.RetryAfter);
    }
}
