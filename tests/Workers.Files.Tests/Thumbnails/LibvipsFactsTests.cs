using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NetVips;
using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

/// <summary>
/// The libvips behaviours the renderer relies on, pinned down against the bundled build (NetVips.Native 8.18.7): if an
/// upgrade changes one of them, this fails before thumbnails silently change.
/// </summary>
public sealed class LibvipsFactsTests
{
    private const string FailOnTruncated = "[fail_on=truncated]";

    public LibvipsFactsTests() => LibvipsRuntime.Configure(2, NullLogger.Instance);

    [Fact(Timeout = 30_000)]
    public async Task ThumbnailBuffer_FailOnParameterWithTruncatedJpegOrPng_StillRendersSilently()
    {
        await Task.Run(() =>
        {
            foreach (var whole in new[] { FileCorpus.Photo(800, 600), FileCorpus.Png(800, 600) })
            {
                var cut = FileCorpus.Truncated(whole);

                // The thumbnail operation's own fail-on argument does not reach the loader: no error, a half-grey image.
                using var thumbnail = Image.ThumbnailBuffer(cut, 200, failOn: Enums.FailOn.Truncated);
                Assert.NotEmpty(thumbnail.WebpsaveBuffer());
            }
        }, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task ThumbnailSource_FailOnTruncatedInTheOptionString_FailsForTruncatedJpegAndPng()
    {
        await Task.Run(() =>
        {
            foreach (var whole in new[] { FileCorpus.Photo(800, 600), FileCorpus.Png(800, 600) })
            {
                var cut = FileCorpus.Truncated(whole);
                using var source = Source.NewFromMemory(cut);

                Assert.Throws<VipsException>(() =>
                {
                    using var thumbnail = Image.ThumbnailSource(source, 200, FailOnTruncated);
                    thumbnail.WebpsaveBuffer();
                });
            }
        }, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task ThumbnailSource_CompleteFileWithFailOnTruncated_Renders()
    {
        await Task.Run(() =>
        {
            using var source = Source.NewFromMemory(FileCorpus.Photo(800, 600));
            using var thumbnail = Image.ThumbnailSource(source, 200, FailOnTruncated);

            Assert.Equal(200, thumbnail.Width);
        }, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task NewFromSource_BombHeader_GivesTheClaimedSizeWithoutDecodingPixels()
    {
        var bomb = FileCorpus.PngBomb();
        ImageHeader.Read(FileCorpus.Png()); // libvips start-up is not what is measured

        var elapsed = await Task.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            var header = ImageHeader.Read(bomb);
            stopwatch.Stop();
            Assert.Equal(new ImageGeometry(50_000, 50_000), header.Geometry);
            return stopwatch.Elapsed;
        }, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine($"50000x50000 PNG ({bomb.Length} bytes) header read in {elapsed.TotalMilliseconds:F2} ms");
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"header read took {elapsed}");
    }

    [Fact(Timeout = 30_000)]
    public async Task JpegsaveBuffer_OrientationField_IsWrittenToTheExif()
    {
        await Task.Run(() =>
        {
            var jpeg = FileCorpus.JpegWithOrientation(64, 48, 6);

            var header = ImageHeader.Read(jpeg);

            Assert.Equal(new ImageGeometry(64, 48, 6), header.Geometry);
        }, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task Thumbnail_OrientationSix_AutoRotatesByDefaultAndDropsTheTag()
    {
        await Task.Run(() =>
        {
            using var source = Source.NewFromMemory(FileCorpus.JpegWithOrientation(400, 300, 6));
            using var thumbnail = Image.ThumbnailSource(source, 200, FailOnTruncated, height: 200);

            Assert.Equal((150, 200), (thumbnail.Width, thumbnail.Height));
            Assert.False(thumbnail.Contains("orientation") && (int)thumbnail.Get("orientation") != 1);
        }, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task GifsaveBuffer_InTheBundledBuild_WritesAnAnimationWhoseHeaderIsOneFrame()
    {
        await Task.Run(() =>
        {
            var gif = FileCorpus.AnimatedGif(64, 48);

            var header = ImageHeader.Read(gif);

            Assert.Equal(3, header.Pages);
            Assert.Equal(new ImageGeometry(64, 48), header.Geometry); // one frame, not 64x144
            Assert.StartsWith("gifload", header.Loader, StringComparison.Ordinal);
        }, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 30_000)]
    public async Task NewFromSource_SvgWithUntrustedLoadersBlocked_IsNotLoaded()
    {
        await Task.Run(() =>
        {
            var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"u8.ToArray();

            Assert.Throws<VipsException>(() => ImageHeader.Read(svg));
        }, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(8, 2, 4)]
    [InlineData(2, 8, 1)]
    [InlineData(16, 16, 1)]
    public void ThreadsPerDecode_CoresAndSlots_SharesTheCoresAtLeastOneEach(int cores, int slots, int expected)
    {
        Assert.Equal(expected, LibvipsRuntime.ThreadsPerDecode(cores, slots));
    }
}
