using System.Text;
using Confluent.Kafka;
using QuikApp.Workers.Files.Recording;
using QuikApp.Workers.Files.Tests.ClamAV;
using QuikApp.Workers.Files.Tests.Processing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Storage;

namespace QuikApp.Workers.Files.Tests.Handling;

/// <summary>
/// The files worker end to end over the embedded Kafka with a real clamd, real libvips and real storage (local disk and
/// s3rver): upload events in, documents, derivatives, quarantine, scanned/processed events and dead letters out. MongoDB
/// is replaced by an in-memory double with the store's semantics (the real store has its own lane).
/// </summary>
public sealed class FileEventsHandlerTests(ClamdFixture clamd, S3rverFixture s3rver) : IClassFixture<ClamdFixture>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    [Fact(Timeout = 180_000)]
    public async Task Corpus_EachUpload_EndsInTheExpectedDocumentState_AndEveryScanIsPublished()
    {
        await using var host = await FilesHost.StartAsync(clamd.Port);
        var uploads = new Dictionary<string, (FileUploaded Uploaded, EventEnvelope Envelope)>();
        foreach (var sample in UploadCorpus.All)
        {
            uploads[sample.Name] = await host.UploadAsync(sample);
        }

        foreach (var (_, (uploaded, _)) in uploads)
        {
            await host.WaitForOutcomeAsync(uploaded.FileId);
        }

        // Clean images: dimensions as displayed, a thumbnail under its key, urls.thumbnail its CDN URL.
        AssertThumbnailed(host, uploads["jpeg-exif-6"].Uploaded, new FileMediaMetadata(1200, 1600, null, null), 270, 360);
        AssertThumbnailed(host, uploads["png-alpha"].Uploaded, new FileMediaMetadata(800, 600, null, null), 360, 270);
        AssertThumbnailed(host, uploads["gif-animated"].Uploaded, new FileMediaMetadata(640, 480, null, null), 360, 270);

        // Clean, no thumbnail, and the document says why.
        AssertDoneWithoutThumbnail(host, uploads["pdf"].Uploaded, "no thumbnail: not an image: content is application/pdf");
        Assert.Equal(3, host.Documents.Document(uploads["pdf"].Uploaded.FileId)!.Metadata.Pages);
        AssertDoneWithoutThumbnail(host, uploads["jpeg-truncated"].Uploaded, "no thumbnail: truncated: ");
        AssertDoneWithoutThumbnail(host, uploads["png-bomb"].Uploaded, "no thumbnail: decompression bomb: 50000x50000");
        AssertDoneWithoutThumbnail(host, uploads["random-as-png"].Uploaded, "no thumbnail: not an image: content is application/octet-stream (declared image/png)");
        Assert.Contains("declared image/png but content is application/octet-stream", host.Documents.LastRecord(uploads["random-as-png"].Uploaded.FileId)!.Outcome.Notes);

        // Infected: quarantined, never thumbnailed.
        foreach (var name in new[] { "eicar", "eicar-zip" })
        {
            var uploaded = uploads[name].Uploaded;
            var document = host.Documents.Document(uploaded.FileId)!;
            Assert.Equal(("infected", "skipped"), (document.ScanStatus, document.Processing!.Status));
            Assert.StartsWith("QuikApp.Test.EICAR.", document.Signature, StringComparison.Ordinal);
            Assert.Null(document.ThumbnailUrl);
            Assert.Empty(document.Processing.Derivatives);
            var original = ObjectLocation.From(uploaded.Storage);
            Assert.False(host.Exists(original));
            Assert.True(host.Exists(host.Storage.QuarantineLocation(original)));
            Assert.Equal(host.Storage.QuarantineLocation(original), host.Documents.LastRecord(uploaded.FileId)!.Outcome.QuarantinedTo);
        }

        // Above StreamMaxLength: an error with the reason, never clean, retried later by the sweeper.
        var large = host.Documents.Document(uploads["above-stream-max"].Uploaded.FileId)!;
        Assert.Equal(("error", "failed"), (large.ScanStatus, large.Processing!.Status));
        Assert.StartsWith("the stream exceeds StreamMaxLength", large.Processing.Reason, StringComparison.Ordinal);
        Assert.NotNull(large.Processing.RetryAfter);
        Assert.Equal(1, large.Processing.Attempts);

        // Every scan is published; file.processed only for clean files; ids derive from the source event.
        var scanned = host.Read(EventTopics.FileScanned, UploadCorpus.All.Count);
        Assert.Equal(UploadCorpus.All.Count, scanned.Count);
        var processed = host.Read(EventTopics.FileProcessed, 7);
        Assert.Equal(7, processed.Count);
        var (jpeg, jpegEnvelope) = uploads["jpeg-exif-6"];
        var jpegScanned = scanned.Single(e => ((FileScanned)e.Data).FileId == jpeg.FileId);
        Assert.Equal(FileOutcomeRecorder.DerivedEventId(jpegEnvelope.EventId, jpeg.FileId, "file.scanned", 1), jpegScanned.EventId);
        Assert.Equal(jpegEnvelope.Metadata.CorrelationId, jpegScanned.Metadata.CorrelationId);
        Assert.Equal(FileScanStatus.Clean, ((FileScanned)jpegScanned.Data).Status);
        var jpegProcessed = (FileProcessed)processed.Single(e => ((FileProcessed)e.Data).FileId == jpeg.FileId).Data;
        Assert.Equal(host.Documents.Document(jpeg.FileId)!.ThumbnailUrl, jpegProcessed.ThumbnailUrl);
        Assert.Equal(new FileMediaMetadata(1200, 1600, null, null), jpegProcessed.Metadata);
        var eicarScanned = (FileScanned)scanned.Single(e => ((FileScanned)e.Data).FileId == uploads["eicar"].Uploaded.FileId).Data;
        Assert.Equal(FileScanStatus.Infected, eicarScanned.Status);
        Assert.StartsWith("QuikApp.Test.EICAR.", eicarScanned.Signature, StringComparison.Ordinal);
        Assert.Equal(FileScanStatus.Error, ((FileScanned)scanned.Single(e => ((FileScanned)e.Data).FileId == uploads["above-stream-max"].Uploaded.FileId).Data).Status);
        Assert.DoesNotContain(processed, e => ((FileProcessed)e.Data).FileId == uploads["eicar"].Uploaded.FileId);
        Assert.Empty(host.DeadLetters(EventTopics.FileUploaded, 1, Quiet));
    }

    [Fact(Timeout = 120_000)]
    public async Task Redelivery_OfAProcessedFile_ChangesNothingAndPublishesNothing()
    {
        await using var host = await FilesHost.StartAsync(clamd.Port);
        var (uploaded, envelope) = await host.UploadAsync(UploadCorpus.PngWithAlpha);
        await host.WaitForOutcomeAsync(uploaded.FileId);
        // The stored BSON, compared whole (a parsed FileDocument holds lists, which records compare by reference).
        var first = host.Documents.Raw(uploaded.FileId)!;
        var (reads, written) = (host.Documents.Reads, host.Documents.OutcomesWritten);

        await host.PublishAsync(envelope, uploaded.FileId);
        await host.WaitForAsync(d => d.Reads > reads, "the redelivery to be handled");
        // A newer upload event for the same, finished file does nothing either.
        await host.PublishAsync(EventEnvelope.Create(uploaded, "file-service", null), uploaded.FileId);
        await host.WaitForAsync(d => d.Reads > reads + 1, "the second event to be handled");

        Assert.Equal(written, host.Documents.OutcomesWritten);
        Assert.Equal(first, host.Documents.Raw(uploaded.FileId));
        Assert.Single(host.Read(EventTopics.FileScanned, 2, Quiet));
        Assert.Single(host.Read(EventTopics.FileProcessed, 2, Quiet));
    }

    [Fact(Timeout = 120_000)]
    public async Task ClamdDown_ThePartitionWaitsAndRetries_AndTheFileIsScannedOnceClamdIsBack_WithoutDeadLettering()
    {
        await using var proxy = new ClamdProxy(clamd.Port);
        await using var host = await FilesHost.StartAsync(proxy.Port);
        var (uploaded, _) = await host.UploadAsync(UploadCorpus.JpegRotated);

        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal("pending", host.Documents.Document(uploaded.FileId)!.ScanStatus);
        proxy.Open();
        await host.WaitForOutcomeAsync(uploaded.FileId);

        var document = host.Documents.Document(uploaded.FileId)!;
        Assert.Equal(("clean", "done", 1), (document.ScanStatus, document.Processing!.Status, document.Processing.Attempts));
        Assert.NotNull(document.ThumbnailUrl);
        Assert.Empty(host.DeadLetters(EventTopics.FileUploaded, 1, Quiet));
    }

    [Fact(Timeout = 120_000)]
    public async Task MongoOutage_IsRetriedUntilTheOutcomeIsWritten_WithoutDeadLettering()
    {
        await using var host = await FilesHost.StartAsync(clamd.Port);
        host.Documents.FailNext(3);

        var (uploaded, _) = await host.UploadAsync(UploadCorpus.Pdf);
        await host.WaitForOutcomeAsync(uploaded.FileId);

        Assert.Equal("done", host.Documents.Document(uploaded.FileId)!.Processing!.Status);
        Assert.Empty(host.DeadLetters(EventTopics.FileUploaded, 1, Quiet));
    }

    [Fact(Timeout = 120_000)]
    public async Task DisallowedBucket_IsDeadLetteredWithTheReason_AndNothingIsFetched()
    {
        await using var host = await FilesHost.StartAsync(clamd.Port, s3rver);
        var (uploaded, _) = await host.UploadAsync(UploadCorpus.PngWithAlpha, provider: "s3", bucket: "quikapp-other");

        var dead = Assert.Single(host.DeadLetters(EventTopics.FileUploaded, 1));
        var reason = Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(EventHeaders.DlqReason));
        Assert.Contains("bucket 'quikapp-other' is not in Storage:AllowedBuckets:s3", reason, StringComparison.Ordinal);
        Assert.Empty(s3rver.RequestsMentioning(uploaded.Storage.Key));
        await host.WaitForOutcomeAsync(uploaded.FileId);
        var document = host.Documents.Document(uploaded.FileId)!;
        Assert.Equal(("error", "failed"), (document.ScanStatus, document.Processing!.Status));
        Assert.StartsWith("rejected: ", document.Processing.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task S3Originals_CleanIsThumbnailed_AndInfectedIsMovedToTheQuarantineBucket()
    {
        await using var host = await FilesHost.StartAsync(clamd.Port, s3rver,
            "--Storage:Quarantine:Provider=s3", "--Storage:Quarantine:Bucket=quikapp-quarantine",
            "--Storage:Derivatives:Provider=s3", "--Storage:Derivatives:Bucket=quikapp-derivatives");
        var (clean, _) = await host.UploadAsync(UploadCorpus.JpegRotated, provider: "s3");
        var (infected, _) = await host.UploadAsync(UploadCorpus.EicarZipped, provider: "s3");
        await host.WaitForOutcomeAsync(clean.FileId);
        await host.WaitForOutcomeAsync(infected.FileId);

        var thumbnail = Assert.Single(host.Documents.Document(clean.FileId)!.Processing!.Derivatives);
        Assert.Equal(new ObjectLocation("s3", "quikapp-derivatives", $"thumbs/{clean.WorkspaceId}/{clean.FileId}.thumbnail.webp"), thumbnail.Location);
        Assert.True(host.Exists(thumbnail.Location));
        Assert.Equal($"{FilesHost.CdnBaseUrl}thumbs/{clean.WorkspaceId}/{clean.FileId}.thumbnail.webp", host.Documents.Document(clean.FileId)!.ThumbnailUrl);

        var original = ObjectLocation.From(infected.Storage);
        var quarantined = new ObjectLocation("s3", "quikapp-quarantine", $"quarantine/s3/{FilesHost.Bucket}/{original.Key}");
        Assert.Equal("infected", host.Documents.Document(infected.FileId)!.ScanStatus);
        Assert.False(host.Exists(original));
        Assert.True(host.Exists(quarantined));
    }

    [Fact(Timeout = 120_000)]
    public async Task Deleted_RemovesTheDerivativesThisWorkerMade_AndClearsTheThumbnailUrl_ButNotTheOriginal()
    {
        await using var host = await FilesHost.StartAsync(clamd.Port, null, "--Files:Thumbnails:Sizes:0:Name=thumbnail",
            "--Files:Thumbnails:Sizes:0:Bound=360", "--Files:Thumbnails:Sizes:1:Name=preview", "--Files:Thumbnails:Sizes:1:Bound=1024");
        var (uploaded, _) = await host.UploadAsync(UploadCorpus.JpegRotated);
        await host.WaitForOutcomeAsync(uploaded.FileId);
        var derivatives = host.Documents.Document(uploaded.FileId)!.Processing!.Derivatives;
        Assert.Equal(["thumbnail", "preview"], derivatives.Select(d => d.Size));
        Assert.All(derivatives, d => Assert.True(host.Exists(d.Location)));

        var deleted = new FileDeleted(uploaded.FileId, uploaded.WorkspaceId, Guid.NewGuid(), DateTimeOffset.UtcNow);
        await host.PublishAsync(EventEnvelope.Create(deleted, "file-service", null), uploaded.FileId);
        await host.WaitForAsync(d => d.Deletions.Any(x => x.FileId == uploaded.FileId), "the deletion");
        // Again: deleting what is gone is harmless.
        await host.PublishAsync(EventEnvelope.Create(deleted, "file-service", null), uploaded.FileId);
        await host.WaitForAsync(d => d.Deletions.Count(x => x.FileId == uploaded.FileId) == 2, "the repeated deletion");

        Assert.All(derivatives, d => Assert.False(host.Exists(d.Location)));
        Assert.True(host.Exists(ObjectLocation.From(uploaded.Storage)));
        var document = host.Documents.Document(uploaded.FileId)!;
        Assert.Null(document.ThumbnailUrl);
        Assert.Empty(document.Processing!.Derivatives);
        Assert.Empty(host.DeadLetters(EventTopics.FileDeleted, 1, Quiet));
    }

    [Fact(Timeout = 120_000)]
    public async Task MissingDocument_IsRetriedForTheGracePeriod_ThenDeadLettered_AndTheStreamGoesOn()
    {
        await using var host = await FilesHost.StartAsync(clamd.Port);
        var (orphan, _) = await host.UploadAsync(UploadCorpus.PngWithAlpha, seedDocument: false);
        var (next, _) = await host.UploadAsync(UploadCorpus.Pdf);

        var dead = host.DeadLetters(EventTopics.FileUploaded, 1);
        await host.WaitForOutcomeAsync(next.FileId);

        var reason = Encoding.UTF8.GetString(Assert.Single(dead).Message.Headers.GetLastBytes(EventHeaders.DlqReason));
        Assert.Contains($"no file document for fileId {orphan.FileId}", reason, StringComparison.Ordinal);
        Assert.Null(host.Documents.Document(orphan.FileId));
    }

    [Fact(Timeout = 120_000)]
    public async Task MalformedEvent_IsDeadLetteredWithTheParsersReason()
    {
        await using var host = await FilesHost.StartAsync(clamd.Port);
        using (var producer = Testing.Kafka.KafkaTestClient.CreateProducer(host.BootstrapServers))
        {
            await producer.ProduceAsync(EventTopics.FileUploaded, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()),
                Value = Encoding.UTF8.GetBytes("""{"eventId":"not-a-uuid","eventType":"file.uploaded"}"""),
            }, TestContext.Current.CancellationToken);
        }

        var dead = Assert.Single(host.DeadLetters(EventTopics.FileUploaded, 1));
        Assert.StartsWith("malformed: ", Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(EventHeaders.DlqReason)), StringComparison.Ordinal);
    }

    private static void AssertThumbnailed(FilesHost host, FileUploaded uploaded, FileMediaMetadata metadata, int width, int height)
    {
        var document = host.Documents.Document(uploaded.FileId)!;
        Assert.Equal(("clean", "done"), (document.ScanStatus, document.Processing!.Status));
        Assert.Equal(metadata, document.Metadata);
        var thumbnail = Assert.Single(document.Processing.Derivatives);
        Assert.Equal(("thumbnail", width, height), (thumbnail.Size, thumbnail.Width, thumbnail.Height));
        Assert.Equal($"thumbs/{uploaded.WorkspaceId}/{uploaded.FileId}.thumbnail.webp", thumbnail.Location.Key);
        Assert.True(host.Exists(thumbnail.Location));
        Assert.Equal($"{FilesHost.CdnBaseUrl}thumbs/{uploaded.WorkspaceId}/{uploaded.FileId}.thumbnail.webp", document.ThumbnailUrl);
        Assert.StartsWith("ClamAV 1.", host.Documents.LastRecord(uploaded.FileId)!.Outcome.Scan.Engine, StringComparison.Ordinal);
        Assert.Null(document.Processing.RetryAfter);
    }

    private static void AssertDoneWithoutThumbnail(FilesHost host, FileUploaded uploaded, string reason)
    {
        var document = host.Documents.Document(uploaded.FileId)!;
        Assert.Equal(("clean", "done"), (document.ScanStatus, document.Processing!.Status));
        Assert.StartsWith(reason, document.Processing.Reason, StringComparison.Ordinal);
        Assert.Null(document.ThumbnailUrl);
        Assert.Empty(document.Processing.Derivatives);
    }
}
