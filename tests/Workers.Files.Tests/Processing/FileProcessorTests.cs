using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Files.Tests.ClamAV;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.Processing;

/// <summary>
/// One file through the pipeline with real clamd, real libvips and local-disk storage: what is stored, quarantined and
/// reported, and how the pipeline behaves when run twice, on large files and under a flood.
/// </summary>
public sealed class FileProcessorTests(ClamdFixture clamd) : IClassFixture<ClamdFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task ProcessAsync_CleanPhoto_StoresEachSizeUnderItsKeyAndGivesTheThumbnailsCdnUrl()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var file = await pipeline.PutOriginalAsync(UploadCorpus.JpegRotated);

        var outcome = await pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal((FileScanStatus.Clean, ProcessingStatus.Done), (outcome.Scan.Status, outcome.Status));
        Assert.StartsWith("ClamAV 1.", outcome.Scan.Engine, StringComparison.Ordinal);
        Assert.Equal(new FileMediaMetadata(1200, 1600, null, null), outcome.Metadata);
        Assert.Equal(["thumbnail"], outcome.Derivatives.Select(d => d.Size));
        var thumbnail = outcome.Derivatives[0];
        Assert.Equal(new ObjectLocation("local", "quikapp-derivatives", $"thumbs/{file.WorkspaceId}/{file.FileId}.thumbnail.webp"), thumbnail.Location);
        Assert.Equal((270, 360), (thumbnail.Width, thumbnail.Height));
        Assert.True(pipeline.Exists(thumbnail.Location));
        Assert.Equal($"{Pipeline.CdnBaseUrl}thumbs/{file.WorkspaceId}/{file.FileId}.thumbnail.webp", outcome.ThumbnailUrl);
        Assert.Null(outcome.Reason);
        Assert.NotNull(outcome.Timings.Download);
        Assert.NotNull(outcome.Timings.Thumbnail);
        Assert.NotNull(outcome.Timings.Store);
    }

    [Fact(Timeout = 60_000)]
    public async Task ProcessAsync_Infected_MovesTheOriginalToQuarantineAndMakesNoThumbnail()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var file = await pipeline.PutOriginalAsync(UploadCorpus.Eicar);

        var outcome = await pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal((FileScanStatus.Infected, ProcessingStatus.Skipped), (outcome.Scan.Status, outcome.Status));
        Assert.StartsWith("QuikApp.Test.EICAR.", outcome.Scan.Signature, StringComparison.Ordinal);
        var quarantine = new ObjectLocation("local", "quikapp-quarantine", $"quarantine/local/{Pipeline.Bucket}/{file.Original.Key}");
        Assert.Equal(quarantine, outcome.QuarantinedTo);
        Assert.False(pipeline.Exists(file.Original));
        Assert.True(pipeline.Exists(quarantine));
        Assert.Empty(outcome.Derivatives);
        Assert.Null(outcome.ThumbnailUrl);
        Assert.Contains("moved to quarantine", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ProcessAsync_RunAgainAfterQuarantine_RescansTheQuarantinedCopyAndStillReportsTheSignature()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var file = await pipeline.PutOriginalAsync(UploadCorpus.EicarZipped);
        var first = await pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken);

        var again = await pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal((FileScanStatus.Infected, ProcessingStatus.Skipped), (again.Scan.Status, again.Status));
        Assert.Equal(first.Scan.Signature, again.Scan.Signature);
        Assert.Equal(first.QuarantinedTo, again.QuarantinedTo);
        Assert.Null(again.Rejection);
        Assert.True(pipeline.Exists(first.QuarantinedTo!));
    }

    [Fact(Timeout = 60_000)]
    public async Task ProcessAsync_OriginalAboveStreamMaxLength_IsAnErrorDecidedFromItsSizeWithoutAskingClamd()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var file = await pipeline.PutOriginalAsync(UploadCorpus.AboveStreamMaxLength);

        var outcome = await pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal((FileScanStatus.Error, ProcessingStatus.Failed), (outcome.Scan.Status, outcome.Status));
        Assert.StartsWith("the stream exceeds StreamMaxLength", outcome.Scan.Reason, StringComparison.Ordinal);
        Assert.Null(outcome.Scan.Engine);
        Assert.Null(outcome.Type);
        Assert.Empty(outcome.Derivatives);
        Assert.True(pipeline.Exists(file.Original));
    }

    [Fact(Timeout = 60_000)]
    public async Task ProcessAsync_OriginalLargerThanTheDecodeLimit_IsScannedFromASpoolButNeitherParsedNorThumbnailed()
    {
        await using var pipeline = Pipeline.Create(clamd, ("Files:Thumbnails:MaxInputBytes", "65536"));
        var photo = new UploadSample("big-photo", "big.jpg", "image/jpeg", FileCorpus.Photo(1200, 900));
        Assert.True(photo.Content.Length > 65536);
        var file = await pipeline.PutOriginalAsync(photo);
        var spools = Directory.GetFiles(Path.GetTempPath(), "quikapp-original-*").Length;

        var outcome = await pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal((FileScanStatus.Clean, ProcessingStatus.Done), (outcome.Scan.Status, outcome.Status));
        Assert.Equal("image/jpeg", outcome.Type?.MimeType);
        Assert.Equal(new FileMediaMetadata(null, null, null, null), outcome.Metadata);
        Assert.Contains(outcome.Notes, n => n.StartsWith("not parsed: ", StringComparison.Ordinal));
        Assert.Empty(outcome.Derivatives);
        Assert.StartsWith("no thumbnail: too large: ", outcome.Reason, StringComparison.Ordinal);
        Assert.True(Directory.GetFiles(Path.GetTempPath(), "quikapp-original-*").Length <= spools, "the spool file must be deleted");
    }

    [Fact(Timeout = 60_000)]
    public async Task ProcessAsync_MissingOriginalWithNoQuarantinedCopy_IsRejectedWithTheReason()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var file = new FileToProcess(Guid.NewGuid(), Guid.NewGuid(), new ObjectLocation("local", Pipeline.Bucket, "workspaces/x/files/gone.png"), "image/png");

        var outcome = await pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal((FileScanStatus.Error, ProcessingStatus.Failed), (outcome.Scan.Status, outcome.Status));
        Assert.Contains("does not exist", outcome.Rejection, StringComparison.Ordinal);
        Assert.StartsWith("rejected: ", outcome.Reason, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("local", "quikapp-other", "is not in Storage:AllowedBuckets:local")]
    [InlineData("s3", Pipeline.Bucket, "it is not configured")]
    [InlineData("local", Pipeline.Bucket, "Refusing object")]
    public async Task ProcessAsync_LocationTheStorageRulesRefuse_IsRejectedAndNothingIsRead(string provider, string bucket, string expected)
    {
        await using var pipeline = Pipeline.Create(clamd);
        var key = expected == "Refusing object" ? "../quikapp-quarantine/secret.bin" : "workspaces/x/files/y.png";
        var file = new FileToProcess(Guid.NewGuid(), Guid.NewGuid(), new ObjectLocation(provider, bucket, key), "image/png");

        var outcome = await pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal(ProcessingStatus.Failed, outcome.Status);
        Assert.Contains(expected, outcome.Rejection, StringComparison.Ordinal);
        Assert.Null(outcome.Timings.Scan);
    }

    [Fact(Timeout = 120_000)]
    public async Task ProcessAsync_AFloodOfFiles_NeverHoldsMoreOriginalsThanTheLimit()
    {
        await using var pipeline = Pipeline.Create(clamd, ("Files:Processing:MaxOriginalsInMemory", "2"));
        var photo = new UploadSample("photo", "p.jpg", "image/jpeg", FileCorpus.Photo(1600, 1200));
        var files = new List<FileToProcess>();
        for (var i = 0; i < 10; i++)
        {
            files.Add(await pipeline.PutOriginalAsync(photo));
        }

        var peak = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, pipeline.Processor.OriginalsHeld);
                await Task.Delay(1);
            }
        }, TestContext.Current.CancellationToken);

        var outcomes = await Task.WhenAll(files.Select(f => pipeline.Processor.ProcessAsync(f, TestContext.Current.CancellationToken)));
        await done.CancelAsync();
        await sampler;

        Assert.All(outcomes, o => Assert.Equal(ProcessingStatus.Done, o.Status));
        Assert.InRange(peak, 1, 2);
    }

    [Fact(Timeout = 60_000)]
    public async Task ProcessAsync_ClamdUnreachable_ThrowsTheTransientUnavailableException()
    {
        await using var pipeline = Pipeline.Create(FreePort.Next());
        var file = await pipeline.PutOriginalAsync(UploadCorpus.PngWithAlpha);

        await Assert.ThrowsAsync<ClamdUnavailableException>(() => pipeline.Processor.ProcessAsync(file, TestContext.Current.CancellationToken));
        Assert.Equal(0, pipeline.Processor.OriginalsHeld);
    }

    [Fact(Timeout = 30_000)]
    public async Task DerivativeLocations_AreOnePerConfiguredSize_AndOnlyThoseCountAsTheFilesDerivatives()
    {
        await using var pipeline = Pipeline.Create(clamd);
        var (workspace, file) = (Guid.NewGuid(), Guid.NewGuid());

        var locations = pipeline.Processor.DerivativeLocations(workspace, file);

        Assert.Equal([$"thumbs/{workspace}/{file}.thumbnail.webp", $"thumbs/{workspace}/{file}.preview.webp"], locations.Select(l => l.Key));
        Assert.All(locations, l => Assert.True(pipeline.Processor.IsDerivativeOf(l, workspace, file)));
        Assert.True(pipeline.Processor.IsDerivativeOf(locations[0] with { Key = $"thumbs/{workspace}/{file}.old.jpg" }, workspace, file));
        Assert.False(pipeline.Processor.IsDerivativeOf(locations[0] with { Bucket = Pipeline.Bucket }, workspace, file));
        Assert.False(pipeline.Processor.IsDerivativeOf(locations[0] with { Key = $"thumbs/{workspace}/{Guid.NewGuid()}.thumbnail.webp" }, workspace, file));
        Assert.False(pipeline.Processor.IsDerivativeOf(locations[0] with { Key = $"thumbs/{workspace}/{file}.x/../../../other" }, workspace, file));
    }
}
