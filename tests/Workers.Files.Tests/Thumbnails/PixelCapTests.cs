using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

public sealed class PixelCapTests
{
    [Fact]
    public void Check_FiftyThousandSquared_RefusesAsABombNamingSizeAndCap()
    {
        Assert.Equal(
            "decompression bomb: 50000x50000 = 2.5 GP exceeds the 33 MP cap",
            PixelCap.Check(new ImageGeometry(50_000, 50_000), 33_000_000));
    }

    [Fact]
    public void Check_ExactlyTheCap_IsAllowed()
    {
        Assert.Null(PixelCap.Check(new ImageGeometry(6000, 5500), 33_000_000));
    }

    [Fact]
    public void Check_OnePixelOverTheCap_IsRefused()
    {
        Assert.NotNull(PixelCap.Check(new ImageGeometry(33_000_001, 1), 33_000_000));
    }

    [Fact]
    public void Check_ZeroSize_IsRefused()
    {
        Assert.Equal("decompression bomb: 0x10 is not a valid size", PixelCap.Check(new ImageGeometry(0, 10), 33_000_000));
    }

    [Theory]
    [InlineData(2_500_000_000L, "2.5 GP")]
    [InlineData(33_000_000L, "33 MP")]
    [InlineData(12_345_678L, "12.3 MP")]
    [InlineData(640_000L, "640 kP")]
    [InlineData(999L, "999 px")]
    public void FormatPixels_Count_UsesTheReadableUnit(long pixels, string expected)
    {
        Assert.Equal(expected, PixelCap.FormatPixels(pixels));
    }
}
