using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Recording;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Files.Sweeping;

/// <summary>
/// <c>files-stuck-sweeper</c>: so that no file stays unscanned, processes files left pending longer than
/// <c>Files:Sweeper:PendingAfter</c> (a lost event, an outage) and failed files whose retry is due, through the same
/// <see cref="FileProcessor"/>, from the location their document records; and publishes outcomes whose publication was
/// interrupted. Runs once across replicas (the scheduling lease).
/// </summary>
/// <remarks>
/// Each file processed is an attempt (<c>processing.attempts</c>); after <c>Files:Processing:MaxAttempts</c> failed ones
/// the worker gives up: the status stays <c>error</c> (never clean) and the reason says so. A file that fails because a
/// dependency is down (clamd, storage) is not counted: it is deferred to the next run.
/// </remarks>
public sealed class StuckFileSweeperJob(
    IFileDocumentStore documents,
    FileProcessor processor,
    FileOutcomeRecorder recorder,
    IFailureClassifier classifier,
    IOptions<StuckFileSweeperOptions> options,
    IOptions<FileProcessingOptions> processing,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "files-stuck-sweeper";

    /// <summary>Every 10 minutes (Quartz cron, seconds first, UTC).</summary>
    public const string DefaultCron = "0 0/10 * * * ?";

    private readonly StuckFileSweeperOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
    private readonly int _concurrency = (processing ?? throw new ArgumentNullException(nameof(processing))).Value.MaxConcurrentFiles;

    public async Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var unpublished = await documents.FindUnpublishedAsync(now - _options.UnpublishedAfter, _options.MaxFilesPerRun, cancellationToken).ConfigureAwait(false);
        await recorder.RepublishAsync([.. unpublished.Select(d => (d, (string?)null))], cancellationToken).ConfigureAwait(false);
        context.Add("republished", unpublished.Count);

        var stuck = await documents.FindStuckAsync(now - _options.PendingAfter, now, _options.MaxFilesPerRun, cancellationToken).ConfigureAwait(false);
        if (stuck.Count == 0)
        {
            return unpublished.Count == 0
                ? JobOutcome.Skipped("no file is stuck")
                : JobOutcome.Succeeded(string.Create(CultureInfo.InvariantCulture, $"republished the events of {unpublished.Count} files"));
        }

        var outcomes = new ConcurrentBag<(FileOutcomeRecord Record, string? CorrelationId)>();
        var deferred = new ConcurrentBag<Exception>();
        await Parallel.ForEachAsync(
            stuck,
            new ParallelOptions { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken },
            async (document, token) =>
            {
                var attempt = (document.Processing?.Attempts ?? 0) + 1;
                try
                {
                    var outcome = await ProcessAsync(document, token).ConfigureAwait(false);
                    outcomes.Add((recorder.Record(outcome, attempt, AttemptEventId(document.FileId, attempt)), null));
                }
                catch (Exception ex) when (classifier.Classify(ex) == FailureKind.Transient && !token.IsCancellationRequested)
                {
                    deferred.Add(ex);
                }
            }).ConfigureAwait(false);

        var written = await recorder.WriteAndPublishAsync([.. outcomes], cancellationToken).ConfigureAwait(false);
        Count(context, written);
        context.Add("deferred", deferred.Count);
        var message = string.Create(CultureInfo.InvariantCulture,
            $"processed {written.Count} of {stuck.Count} stuck files ({written.Count(r => r.Outcome.Status == ProcessingStatus.Done)} done, {written.Count(r => r.Outcome.Status == ProcessingStatus.Skipped)} infected, {written.Count(r => r.Outcome.Status == ProcessingStatus.Failed)} failed), {deferred.Count} deferred");
        if (!deferred.IsEmpty)
        {
            context.Logger.LogWarning(deferred.First(), "Files sweeper: {Deferred} files deferred to the next run, a dependency is unavailable", deferred.Count);
        }

        return deferred.Count == stuck.Count
            ? JobOutcome.Failed($"{message}: {deferred.First().Message}")
            : JobOutcome.Succeeded(message);
    }

    /// <summary>The source id of the sweeper's attempt <paramref name="attempt"/> at a file: the same on a rerun of that attempt, so its events keep their ids.</summary>
    public static Guid AttemptEventId(Guid fileId, int attempt) =>
        EventEnvelope.DeterministicEventId(fileId, string.Create(CultureInfo.InvariantCulture, $"{Name}#{attempt}"));

    private async Task<FileOutcome> ProcessAsync(FileDocument document, CancellationToken cancellationToken)
    {
        if (document.Storage is not { } storage)
        {
            return Unprocessable(document, "the file document has no storage location");
        }

        try
        {
            var file = new FileToProcess(document.FileId, document.WorkspaceId, ObjectLocation.From(storage), document.MimeType);
            return await processor.ProcessAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (classifier.Classify(ex) != FailureKind.Transient)
        {
            // A failure the sweeper cannot classify as an outage counts as an attempt, so a file that breaks the pipeline
            // every time is given up on instead of being retried forever.
            return Unprocessable(document, $"failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private FileOutcome Unprocessable(FileDocument document, string reason) => new(
        document.FileId,
        document.WorkspaceId,
        new ScanVerdict(FileScanStatus.Error, null, $"not scanned: {reason}", null, time.GetUtcNow()),
        null,
        new FileMediaMetadata(null, null, null, null),
        [],
        [],
        null,
        null,
        ProcessingStatus.Failed,
        reason,
        null,
        StageTimings.None);

    private static void Count(JobRunContext context, IReadOnlyList<FileOutcomeRecord> written)
    {
        context.Add("processed", written.Count);
        context.Add("done", written.Count(r => r.Outcome.Status == ProcessingStatus.Done));
        context.Add("infected", written.Count(r => r.Outcome.Status == ProcessingStatus.Skipped));
        context.Add("failed", written.Count(r => r.Outcome.Status == ProcessingStatus.Failed));
        context.Add("gaveUp", written.Count(r => r.Outcome.Status == ProcessingStatus.Failed && r.RetryAfter is null));
    }
}
