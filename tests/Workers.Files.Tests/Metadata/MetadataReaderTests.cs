using Microsoft.Extensions.Options;
using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Metadata;
using QuikApp.Workers.Files.Thumbnails;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Files.Tests.Metadata;

public sealed class MetadataReaderTests : IDisposable
{
    private readonly DecodeGate _gate = new(2);

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_JpegWithOrientationSix_ReportsTheDisplayedSize()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.JpegWithOrientation(640, 480, 6), "image/jpeg", TestContext.Current.CancellationToken);

        Assert.Equal(new FileMediaMetadata(480, 640, null, null), metadata.Media);
        Assert.Empty(metadata.Notes);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_AnimatedGif_ReportsOneFramesSize()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.AnimatedGif(64, 48), "image/gif", TestContext.Current.CancellationToken);

        Assert.Equal(new FileMediaMetadata(64, 48, null, null), metadata.Media);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_Bmp_ReportsTheSizeFromItsHeader()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.Bmp(), "image/bmp", TestContext.Current.CancellationToken);

        Assert.Equal(new FileMediaMetadata(2, 2, null, null), metadata.Media);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_PngBomb_ReportsTheClaimedSizeWithoutDecoding()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.PngBomb(), "image/png", TestContext.Current.CancellationToken);

        Assert.Equal(new FileMediaMetadata(50_000, 50_000, null, null), metadata.Media);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_ThreePagePdf_ReportsThreePages()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.Pdf(3), "application/pdf", TestContext.Current.CancellationToken);

        Assert.Equal(new FileMediaMetadata(null, null, null, 3), metadata.Media);
        Assert.Empty(metadata.Notes);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_BrokenPdf_ReportsNoPagesAndWhy()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.BrokenPdf(), "application/pdf", TestContext.Current.CancellationToken);

        Assert.Equal(FileMetadata.NoMedia, metadata.Media);
        Assert.StartsWith("broken PDF: ", Assert.Single(metadata.Notes), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_TruncatedPdf_ReportsNoPagesAndWhy()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.Truncated(FileCorpus.Pdf(5), 0.3), "application/pdf", TestContext.Current.CancellationToken);

        Assert.Null(metadata.Media.Pages);
        Assert.StartsWith("broken PDF: ", Assert.Single(metadata.Notes), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_Wav_ReportsTheDurationInSeconds()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.Wav(2.5), "audio/wav", TestContext.Current.CancellationToken);

        Assert.Equal(2.5, metadata.Media.Duration!.Value, precision: 3);
        Assert.Null(metadata.Media.Width);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_Mp4_ReportsDurationAndVideoSize()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.Mp4(12_345, 1920, 1080), "video/mp4", TestContext.Current.CancellationToken);

        Assert.Equal(new FileMediaMetadata(1920, 1080, 12.345, null), metadata.Media);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_PortraitPhoneVideoStoredRotated_ReportsTheDisplayedSize()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.Mp4(3_000, 1920, 1080, rotation: 90), "video/quicktime", TestContext.Current.CancellationToken);

        Assert.Equal(new FileMediaMetadata(1080, 1920, 3.0, null), metadata.Media);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_Mp3_ReportsNoDurationAndSaysSo()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.Mp3(withId3: true), "audio/mpeg", TestContext.Current.CancellationToken);

        Assert.Equal(FileMetadata.NoMedia, metadata.Media);
        Assert.Equal(["duration: no reader for audio/mpeg"], metadata.Notes);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_RandomBytesDeclaredAsPng_ReportsNothingButTheMismatch()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.RandomBytes(), "image/png", TestContext.Current.CancellationToken);

        Assert.Equal(FileMetadata.NoMedia, metadata.Media);
        Assert.Equal(["declared image/png but content is application/octet-stream"], metadata.Notes);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_TextFile_ReportsNothing()
    {
        var metadata = await Reader().ReadAsync("just some notes\n"u8.ToArray(), "text/plain", TestContext.Current.CancellationToken);

        Assert.Equal(FileMetadata.NoMedia, metadata.Media);
        Assert.Empty(metadata.Notes);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_JpegCutInsideItsHeader_ReportsNoSizeAndWhy()
    {
        var metadata = await Reader().ReadAsync(FileCorpus.JpegWithOrientation(64, 64, 1)[..40], "image/jpeg", TestContext.Current.CancellationToken);

        Assert.Equal(FileMetadata.NoMedia, metadata.Media);
        Assert.StartsWith("image header unreadable: ", Assert.Single(metadata.Notes), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ReadAsync_PdfAboveMaxInputBytes_IsNotParsed()
    {
        var pdf = FileCorpus.Pdf(2);

        var metadata = await Reader(maxInputBytes: pdf.Length - 1).ReadAsync(pdf, "application/pdf", TestContext.Current.CancellationToken);

        Assert.Equal(FileMetadata.NoMedia, metadata.Media);
        Assert.StartsWith("not parsed: ", Assert.Single(metadata.Notes), StringComparison.Ordinal);
    }

    public void Dispose() => _gate.Dispose();

    private MetadataReader Reader(long maxInputBytes = 64L * 1024 * 1024) =>
        new(Options.Create(new ThumbnailOptions { MaxInputBytes = maxInputBytes }), _gate);
}
