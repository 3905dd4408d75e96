using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

public sealed class DecodeFailureTests
{
    [Fact]
    public void Classify_PrematureEndMessage_IsTruncatedWithTheDistinctLinesOnly()
    {
        var refusal = DecodeFailure.Classify(
            "unable to call thumbnail_source\nVipsJpeg: premature end of JPEG image\nVipsJpeg: premature end of JPEG image\n",
            FileCorpus.JpegWithOrientation(16, 16, 1),
            "image/jpeg");

        Assert.Equal(new ThumbnailRefusal(ThumbnailRefusalKind.Truncated, "truncated: VipsJpeg: premature end of JPEG image"), refusal);
    }

    [Fact]
    public void Classify_GenericPngErrorOnAPngWithoutIend_IsTruncated()
    {
        var cut = FileCorpus.Truncated(FileCorpus.Png(200, 200), 0.6);

        var refusal = DecodeFailure.Classify("unable to call webpsave_buffer\nvipspng: libpng read error\n", cut, "image/png");

        Assert.Equal(ThumbnailRefusalKind.Truncated, refusal.Kind);
        Assert.Equal("truncated: vipspng: libpng read error", refusal.Reason);
    }

    [Fact]
    public void Classify_GenericErrorOnACompleteFile_IsADecoderError()
    {
        var refusal = DecodeFailure.Classify("heifload: Unsupported codec\n", FileCorpus.Png(), "image/png");

        Assert.Equal(new ThumbnailRefusal(ThumbnailRefusalKind.DecoderError, "decoder error: heifload: Unsupported codec"), refusal);
    }

    [Fact]
    public void Classify_VeryLongMessage_IsCappedForTheDocument()
    {
        var refusal = DecodeFailure.Classify(new string('x', 1000), FileCorpus.Png(), "image/png");

        Assert.True(refusal.Reason.Length <= "decoder error: ".Length + 201);
    }

    [Theory]
    [InlineData("image/png", true)]
    [InlineData("image/jpeg", true)]
    [InlineData("image/gif", true)]
    [InlineData("image/webp", false)]
    public void LacksTrailer_HalfAFile_DependsOnTheFormatHavingATrailer(string mimeType, bool expected)
    {
        var whole = mimeType switch
        {
            "image/png" => FileCorpus.Png(100, 100),
            "image/jpeg" => FileCorpus.JpegWithOrientation(100, 100, 1),
            "image/gif" => FileCorpus.AnimatedGif(50, 50),
            _ => FileCorpus.WebP(100, 100),
        };

        Assert.False(DecodeFailure.LacksTrailer(whole, mimeType));
        Assert.Equal(expected, DecodeFailure.LacksTrailer(FileCorpus.Truncated(whole), mimeType));
    }

    [Fact]
    public void LacksTrailer_JpegWithBytesAppendedAfterTheEndMarker_StillHasItsTrailer()
    {
        byte[] withTrailingData = [.. FileCorpus.JpegWithOrientation(32, 32, 1), .. new byte[200]];

        Assert.False(DecodeFailure.LacksTrailer(withTrailingData, "image/jpeg"));
    }
}
