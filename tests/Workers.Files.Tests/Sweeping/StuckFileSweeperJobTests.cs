using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Recording;
using QuikApp.Workers.Files.Sweeping;
using QuikApp.Workers.Files.Tests.ClamAV;
using QuikApp.Workers.Files.Tests.Processing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.Sweeping;

/// <summary>
/// The stuck-file sweeper over the real pipeline (clamd, libvips, local storage) with an in-memory document store, a
/// recording publisher and a fake clock: what it picks up, how attempts are counted, when it gives up, what it defers.
/// </summary>
public sealed class StuckFileSweeperJobTests(ClamdFixture clamd) : IClassFixture<ClamdFixture>
{
    private static JobRunContext Context() => new(Guid.NewGuid(), StuckFileSweeperJob.Name, JobRunTrigger.Schedule, default,
        DateTimeOffset.UtcNow, new ConfigurationBuilder().Build(), NullLogger.Instance);

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_PendingLongerThanTheThreshold_IsProcessedFromItsDocument_AndYoungerFilesAreLeftToTheConsumer()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var stuck = await pipeline.UploadAsync(UploadCorpus.JpegRotated, TimeSpan.FromMinutes(20));
        var young = await pipeline.UploadAsync(UploadCorpus.PngWithAlpha, TimeSpan.FromMinutes(1));
        var context = Context();

        var outcome = await pipeline.Sweeper.RunAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        var document = pipeline.Documents.Document(stuck.FileId)!;
        Assert.Equal(("clean", "done", 1), (document.ScanStatus, document.Processing!.Status, document.Processing.Attempts));
        Assert.Equal(StuckFileSweeperJob.AttemptEventId(stuck.FileId, 1), document.Processing.EventId);
        Assert.True(document.Processing.Published);
        Assert.NotNull(document.ThumbnailUrl);
        Assert.Equal("pending", pipeline.Documents.Document(young.FileId)!.ScanStatus);
        var scanned = Assert.Single(pipeline.Publisher.Of<FileScanned>());
        Assert.Equal((stuck.FileId, FileScanStatus.Clean), (scanned.FileId, scanned.Status));
        Assert.Single(pipeline.Publisher.Of<FileProcessed>());
        Assert.Equal(FileOutcomeRecorder.DerivedEventId(StuckFileSweeperJob.AttemptEventId(stuck.FileId, 1), stuck.FileId, "file.scanned", 1),
            pipeline.Publisher.Published.First().Envelope.EventId);
        Assert.Equal(1, context.Counts["processed"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_AFileThatNeverGetsAVerdict_IsRetriedOnItsBackoff_ThenGivenUp_AndIsNeverClean()
    {
        await using var pipeline = Pipeline.Create(clamd, ("Files:Processing:MaxAttempts", "3"), ("Files:Processing:RetryBackoff", "00:15:00"));
        var file = await pipeline.UploadAsync(UploadCorpus.AboveStreamMaxLength, TimeSpan.FromMinutes(20));
        var ct = TestContext.Current.CancellationToken;

        await pipeline.Sweeper.RunAsync(Context(), ct);
        var first = pipeline.Documents.Document(file.FileId)!.Processing!;
        var early = await pipeline.Sweeper.RunAsync(Context(), ct);
        pipeline.Time.Advance(TimeSpan.FromMinutes(16));
        await pipeline.Sweeper.RunAsync(Context(), ct);
        var second = pipeline.Documents.Document(file.FileId)!.Processing!;
        pipeline.Time.Advance(TimeSpan.FromMinutes(31));
        await pipeline.Sweeper.RunAsync(Context(), ct);
        pipeline.Time.Advance(TimeSpan.FromDays(2));
        var afterGivingUp = await pipeline.Sweeper.RunAsync(Context(), ct);

        Assert.Equal((1, first.ProcessedAt + TimeSpan.FromMinutes(15)), (first.Attempts, first.RetryAfter));
        Assert.Equal(JobOutcomeStatus.Skipped, early.Status);
        Assert.Equal((2, second.ProcessedAt + TimeSpan.FromMinutes(30)), (second.Attempts, second.RetryAfter));
        var document = pipeline.Documents.Document(file.FileId)!;
        Assert.Equal(("error", "failed", 3), (document.ScanStatus, document.Processing!.Status, document.Processing.Attempts));
        Assert.Null(document.Processing.RetryAfter);
        Assert.StartsWith("gave up after 3 attempts: the stream exceeds StreamMaxLength", document.Processing.Reason, StringComparison.Ordinal);
        Assert.Equal(JobOutcomeStatus.Skipped, afterGivingUp.Status);
        Assert.All(pipeline.Publisher.Of<FileScanned>(), s => Assert.Equal(FileScanStatus.Error, s.Status));
        Assert.Equal(3, pipeline.Publisher.Of<FileScanned>().Select(s => s.FileId).Count());
        Assert.Equal(3, pipeline.Publisher.Published.Select(p => p.Envelope.EventId).Distinct().Count());
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_ClamdUnreachable_DefersEveryFileWithoutCountingAnAttempt_AndReportsTheRunFailed()
    {
        await using var pipeline = Pipeline.Create(FreePort.Next());
        var file = await pipeline.UploadAsync(UploadCorpus.PngWithAlpha, TimeSpan.FromHours(1));
        var context = Context();

        var outcome = await pipeline.Sweeper.RunAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Failed, outcome.Status);
        Assert.Contains("1 deferred", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(1, context.Counts["deferred"]);
        var document = pipeline.Documents.Document(file.FileId)!;
        Assert.Equal("pending", document.ScanStatus);
        Assert.Null(document.Processing);
        Assert.Empty(pipeline.Publisher.Published);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_AnOutcomeWrittenButNeverPublished_IsPublishedFromTheDocumentWithItsOriginalIds()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var (fileId, workspaceId, sourceEvent) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var processedAt = pipeline.Time.GetUtcNow() - TimeSpan.FromMinutes(30);
        pipeline.Documents.Seed(new FileDocument(fileId, workspaceId, "image/png", null, processedAt, false, "clean", null, processedAt,
            "https://cdn.quikapp.test/thumbs/x.webp", new FileMediaMetadata(10, 20, null, null),
            new FileProcessingState("done", null, null, 1, sourceEvent, false, [], processedAt, null)));

        var outcome = await pipeline.Sweeper.RunAsync(Context(), TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcomeStatus.Succeeded, outcome.Status);
        Assert.Equal(
            [FileOutcomeRecorder.DerivedEventId(sourceEvent, fileId, "file.scanned", 1), FileOutcomeRecorder.DerivedEventId(sourceEvent, fileId, "file.processed", 1)],
            pipeline.Publisher.Published.Select(p => p.Envelope.EventId));
        var processed = Assert.Single(pipeline.Publisher.Of<FileProcessed>());
        Assert.Equal(("https://cdn.quikapp.test/thumbs/x.webp", new FileMediaMetadata(10, 20, null, null)), (processed.ThumbnailUrl, processed.Metadata));
        Assert.True(pipeline.Documents.Document(fileId)!.Processing!.Published);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunAsync_ADocumentWithoutAStorageLocation_CountsAFailedAttemptWithTheReason()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var fileId = Guid.NewGuid();
        pipeline.Documents.Seed(InMemoryFileDocumentStore.Pending(fileId, Guid.NewGuid(), null!, "image/png", pipeline.Time.GetUtcNow().AddHours(-1)));

        await pipeline.Sweeper.RunAsync(Context(), TestContext.Current.CancellationToken);

        var document = pipeline.Documents.Document(fileId)!;
        Assert.Equal(("error", "failed", 1), (document.ScanStatus, document.Processing!.Status, document.Processing.Attempts));
        Assert.Equal("the file document has no storage location", document.Processing.Reason);
        Assert.NotNull(document.Processing.RetryAfter);
    }
}
