using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetVips;
using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Sniffing;
using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

public sealed class ThumbnailRendererTests : IDisposable
{
    private readonly DecodeGate _gate = new(2);

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_JpegWithOrientationSix_RotatesIntoAPortraitWithTheMarkerTopRight()
    {
        var jpeg = FileCorpus.JpegWithOrientation(1600, 1200, 6);

        var rendering = await Renderer().RenderAsync(jpeg, "image/jpeg", TestContext.Current.CancellationToken);

        Assert.True(rendering.Succeeded, rendering.Refusal?.Reason);
        Assert.Equal(new ImageGeometry(1600, 1200, 6), rendering.Source);
        var thumbnail = Assert.Single(rendering.Thumbnails);
        Assert.Equal(("thumbnail", 270, 360), (thumbnail.Name, thumbnail.Width, thumbnail.Height));
        using var decoded = Image.NewFromBuffer(thumbnail.Content.ToArray());
        Assert.Equal((270, 360), (decoded.Width, decoded.Height));
        // Stored top-left turns a quarter clockwise to displayed top-right.
        AssertColour(FileCorpus.MarkerRed, decoded.Getpoint(decoded.Width - 10, 10));
        AssertColour(FileCorpus.BackgroundBlue, decoded.Getpoint(10, 10));
        AssertColour(FileCorpus.BackgroundBlue, decoded.Getpoint(decoded.Width - 10, decoded.Height - 10));
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_PngWithAlpha_WebPKeepsTheAlphaBand()
    {
        var png = FileCorpus.PngWithAlpha(800, 600);

        var rendering = await Renderer().RenderAsync(png, "image/png", TestContext.Current.CancellationToken);

        var thumbnail = Assert.Single(rendering.Thumbnails);
        using var decoded = Image.NewFromBuffer(thumbnail.Content.ToArray());
        Assert.True(decoded.HasAlpha());
        Assert.Equal(4, decoded.Bands);
        Assert.InRange(decoded.Getpoint(10, 10)[3], 0, 5);                                     // transparent corner
        Assert.InRange(decoded.Getpoint(decoded.Width - 10, decoded.Height - 10)[3], 118, 138); // half-transparent half
        Assert.InRange(decoded.Getpoint(10, decoded.Height - 10)[3], 250, 255);                 // opaque
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_AnimatedGif_RendersTheFirstFrameAsAStillImage()
    {
        var gif = FileCorpus.AnimatedGif(800, 600, [255, 0, 0], [0, 255, 0], [0, 0, 255]);

        var rendering = await Renderer().RenderAsync(gif, "image/gif", TestContext.Current.CancellationToken);

        var thumbnail = Assert.Single(rendering.Thumbnails);
        Assert.Equal((360, 270), (thumbnail.Width, thumbnail.Height));
        using var decoded = Image.NewFromBuffer(thumbnail.Content.ToArray());
        Assert.Equal(270, decoded.Height); // not three frames stacked
        Assert.False(decoded.Contains("n-pages") && (int)decoded.Get("n-pages") > 1);
        AssertColour([255, 0, 0], decoded.Getpoint(180, 135));
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_DefaultFormat_WritesWebPThatSniffsAndDecodesAsWebP()
    {
        var rendering = await Renderer().RenderAsync(FileCorpus.Photo(1200, 900), null, TestContext.Current.CancellationToken);

        var thumbnail = Assert.Single(rendering.Thumbnails);
        Assert.Equal("image/webp", thumbnail.MimeType);
        Assert.Equal("image/webp", FileTypeSniffer.Sniff(thumbnail.Content.Span).MimeType);
        using var decoded = Image.NewFromBuffer(thumbnail.Content.ToArray());
        Assert.StartsWith("webpload", (string)decoded.Get("vips-loader"), StringComparison.Ordinal);
        Assert.Equal((360, 270), (decoded.Width, decoded.Height));
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_TwelveMegapixelPhoto_RendersThumbnailAndPreviewFromOneDecode()
    {
        var photo = FileCorpus.Photo(4000, 3000);
        var renderer = Renderer(ThumbnailOptions.DefaultSizes);
        await renderer.RenderAsync(FileCorpus.Photo(400, 300), null, TestContext.Current.CancellationToken); // warm-up

        var stopwatch = Stopwatch.StartNew();
        var rendering = await renderer.RenderAsync(photo, "image/jpeg", TestContext.Current.CancellationToken);
        stopwatch.Stop();

        var thumbnailOnly = Stopwatch.StartNew();
        await Renderer().RenderAsync(photo, "image/jpeg", TestContext.Current.CancellationToken);
        thumbnailOnly.Stop();

        Assert.Equal(
            [("thumbnail", 360, 270), ("preview", 1920, 1440)],
            rendering.Thumbnails.Select(thumbnail => (thumbnail.Name, thumbnail.Width, thumbnail.Height)));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"12 MP JPEG ({photo.Length / 1024} KiB) → 360 + 1920 px WebP in {stopwatch.ElapsedMilliseconds} ms " +
            $"({string.Join(", ", rendering.Thumbnails.Select(thumbnail => $"{thumbnail.Name} {thumbnail.Content.Length / 1024} KiB"))}); " +
            $"360 px alone in {thumbnailOnly.ElapsedMilliseconds} ms");
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_TruncatedJpeg_FailsAsTruncatedWithoutAThumbnail()
    {
        var cut = FileCorpus.Truncated(FileCorpus.Photo(1600, 1200));

        var rendering = await Renderer().RenderAsync(cut, "image/jpeg", TestContext.Current.CancellationToken);

        Assert.Empty(rendering.Thumbnails);
        Assert.Equal(ThumbnailRefusalKind.Truncated, rendering.Refusal?.Kind);
        Assert.StartsWith("truncated: ", rendering.Refusal!.Reason, StringComparison.Ordinal);
        Assert.True(rendering.Refusal.IsDecodeFailure);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_TruncatedPng_FailsAsTruncatedWithoutAThumbnail()
    {
        var cut = FileCorpus.Truncated(FileCorpus.PngWithAlpha(1600, 1200), 0.3);

        var rendering = await Renderer().RenderAsync(cut, "image/png", TestContext.Current.CancellationToken);

        Assert.Empty(rendering.Thumbnails);
        Assert.Equal(ThumbnailRefusalKind.Truncated, rendering.Refusal?.Kind);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_JpegCutInsideItsHeader_FailsAsTruncated()
    {
        var cut = FileCorpus.JpegWithOrientation(64, 64, 1)[..40];

        var rendering = await Renderer().RenderAsync(cut, "image/jpeg", TestContext.Current.CancellationToken);

        Assert.Null(rendering.Source);
        Assert.Equal(ThumbnailRefusalKind.Truncated, rendering.Refusal?.Kind);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_RandomBytesDeclaredAsPng_IsNotAnImageWithoutTouchingADecoder()
    {
        var rendering = await Renderer().RenderAsync(FileCorpus.RandomBytes(), "image/png", TestContext.Current.CancellationToken);

        Assert.Equal(
            new ThumbnailRefusal(ThumbnailRefusalKind.NotAnImage, "not an image: content is application/octet-stream (declared image/png)"),
            rendering.Refusal);
        Assert.True(rendering.Type.DeclaredMismatch);
        Assert.Equal(0, _gate.Running);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_SmallImage_SkipsEverySizeWithReasonsAndSucceeds()
    {
        var rendering = await Renderer(ThumbnailOptions.DefaultSizes).RenderAsync(FileCorpus.Png(200, 100), "image/png", TestContext.Current.CancellationToken);

        Assert.True(rendering.Succeeded);
        Assert.Empty(rendering.Thumbnails);
        Assert.Equal(
            ["original 200x100 already fits the 360 px bound", "original 200x100 already fits the 1920 px bound"],
            rendering.Skipped.Select(skip => skip.Reason));
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_SmallTiff_RendersAnOriginalSizeCopyBrowsersCanShow()
    {
        var rendering = await Renderer(ThumbnailOptions.DefaultSizes).RenderAsync(FileCorpus.Tiff(64, 48), "image/tiff", TestContext.Current.CancellationToken);

        var thumbnail = Assert.Single(rendering.Thumbnails);
        Assert.Equal(("thumbnail", 64, 48, "image/webp"), (thumbnail.Name, thumbnail.Width, thumbnail.Height, thumbnail.MimeType));
        Assert.Equal("preview", Assert.Single(rendering.Skipped).Name);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_Avif_Renders()
    {
        var rendering = await Renderer().RenderAsync(FileCorpus.Avif(800, 400), "image/avif", TestContext.Current.CancellationToken);

        Assert.Equal((360, 180), (rendering.Thumbnails[0].Width, rendering.Thumbnails[0].Height));
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_Bmp_IsRefusedAsUnsupported()
    {
        var rendering = await Renderer().RenderAsync(FileCorpus.Bmp(), "image/bmp", TestContext.Current.CancellationToken);

        Assert.Equal(new ThumbnailRefusal(ThumbnailRefusalKind.UnsupportedFormat, "unsupported image format: image/bmp"), rendering.Refusal);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_Heic_IsRefusedAsUnsupportedNamingTheMissingCodec()
    {
        byte[] heicHead = [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8, .. new byte[64]];

        var rendering = await Renderer().RenderAsync(heicHead, "image/heic", TestContext.Current.CancellationToken);

        Assert.Equal(
            new ThumbnailRefusal(ThumbnailRefusalKind.UnsupportedFormat, "unsupported image format: image/heic (the bundled libvips has no HEVC decoder)"),
            rendering.Refusal);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_FileAboveMaxInputBytes_IsRefusedAsTooLarge()
    {
        var png = FileCorpus.Png(400, 300);

        var rendering = await Renderer(maxInputBytes: png.Length - 1).RenderAsync(png, "image/png", TestContext.Current.CancellationToken);

        Assert.Equal(ThumbnailRefusalKind.TooLarge, rendering.Refusal?.Kind);
        Assert.Equal($"too large: {png.Length} bytes exceeds the {png.Length - 1}-byte limit for decoding", rendering.Refusal?.Reason);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_ImageJustOverALowPixelCap_IsRefusedAsABomb()
    {
        var rendering = await Renderer(maxPixels: 1_000_000).RenderAsync(FileCorpus.Photo(1001, 1000), null, TestContext.Current.CancellationToken);

        Assert.Equal(new ThumbnailRefusal(ThumbnailRefusalKind.DecompressionBomb, "decompression bomb: 1001x1000 = 1 MP exceeds the 1 MP cap"), rendering.Refusal);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_JpegFormatForAnImageWithAlpha_FlattensTransparencyOntoWhite()
    {
        var rendering = await Renderer(format: ThumbnailFormat.Jpeg).RenderAsync(FileCorpus.PngWithAlpha(800, 600), null, TestContext.Current.CancellationToken);

        var thumbnail = Assert.Single(rendering.Thumbnails);
        Assert.Equal("image/jpeg", thumbnail.MimeType);
        using var decoded = Image.NewFromBuffer(thumbnail.Content.ToArray());
        Assert.Equal(3, decoded.Bands);
        AssertColour([255, 255, 255], decoded.Getpoint(10, 10));
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_PngFormat_WritesPng()
    {
        var rendering = await Renderer(format: ThumbnailFormat.Png).RenderAsync(FileCorpus.PngWithAlpha(800, 600), null, TestContext.Current.CancellationToken);

        Assert.Equal("image/png", FileTypeSniffer.Sniff(rendering.Thumbnails[0].Content.Span).MimeType);
    }

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_AlreadyCancelled_ThrowsWithoutDecoding()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Renderer().RenderAsync(FileCorpus.Photo(800, 600), null, cancellation.Token));
    }

    [Fact(Timeout = 120_000)]
    public async Task RenderAsync_CancelledWhileDecoding_KillsThePipelineAndThrows()
    {
        // A 4000 px output from a 24 MP JPEG: no shrink-on-load and a large WebP encode, seconds of work.
        var renderer = Renderer([new ThumbnailSize { Name = "large", Bound = 4000 }]);
        var photo = FileCorpus.Photo(6000, 4000);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var rendering = renderer.RenderAsync(photo, "image/jpeg", cancellation.Token);
        while (_gate.Running == 0 && !rendering.IsCompleted)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        await Task.Delay(100, TestContext.Current.CancellationToken);
        var stopwatch = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rendering);
        TestContext.Current.TestOutputHelper?.WriteLine($"cancelled decode ended {stopwatch.ElapsedMilliseconds} ms after cancellation");
        Assert.Equal(0, _gate.Running);
    }

    public void Dispose() => _gate.Dispose();

    internal static void AssertColour(double[] expected, double[] actual)
    {
        for (var band = 0; band < expected.Length; band++)
        {
            Assert.InRange(actual[band], expected[band] - 40, expected[band] + 40);
        }
    }

    private ThumbnailRenderer Renderer(
        IReadOnlyList<ThumbnailSize>? sizes = null,
        ThumbnailFormat format = ThumbnailFormat.WebP,
        long maxPixels = 33_000_000,
        long maxInputBytes = 64L * 1024 * 1024)
    {
        var options = new ThumbnailOptions { Format = format, MaxPixels = maxPixels, MaxInputBytes = maxInputBytes, MaxConcurrentDecodes = 2 };
        foreach (var size in sizes ?? [new ThumbnailSize { Name = "thumbnail", Bound = 360 }])
        {
            options.Sizes.Add(size);
        }

        return new ThumbnailRenderer(Options.Create(options), _gate, NullLogger<ThumbnailRenderer>.Instance);
    }
}
