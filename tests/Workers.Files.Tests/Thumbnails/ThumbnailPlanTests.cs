using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

public sealed class ThumbnailPlanTests
{
    private static readonly ThumbnailSize[] Sizes =
    [
        new() { Name = "preview", Bound = 1920 },
        new() { Name = "thumbnail", Bound = 360 },
    ];

    [Fact]
    public void Create_LargeLandscape_FitsEachSizeByWidthSmallestFirst()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(4000, 3000), Sizes, originalDisplayable: true);

        Assert.Equal(
            [new PlannedThumbnail("thumbnail", 360, 360, 270), new PlannedThumbnail("preview", 1920, 1920, 1440)],
            plan.Outputs);
        Assert.Empty(plan.Skipped);
    }

    [Fact]
    public void Create_LargePortrait_FitsEachSizeByHeight()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(3000, 4000), Sizes, originalDisplayable: true);

        Assert.Equal(new PlannedThumbnail("thumbnail", 360, 270, 360), plan.Outputs[0]);
        Assert.Equal(new PlannedThumbnail("preview", 1920, 1440, 1920), plan.Outputs[1]);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Create_QuarterTurnOrientation_PlansTheDisplayedPortraitSize(int orientation)
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(4000, 3000, orientation), Sizes, originalDisplayable: true);

        Assert.Equal((270, 360), (plan.Outputs[0].Width, plan.Outputs[0].Height));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Create_OrientationWithoutQuarterTurn_KeepsTheStoredAxes(int orientation)
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(4000, 3000, orientation), Sizes, originalDisplayable: true);

        Assert.Equal((360, 270), (plan.Outputs[0].Width, plan.Outputs[0].Height));
    }

    [Fact]
    public void Create_MediumImage_RendersTheThumbnailAndSkipsThePreviewItFits()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(1200, 800), Sizes, originalDisplayable: true);

        Assert.Equal([new PlannedThumbnail("thumbnail", 360, 360, 240)], plan.Outputs);
        Assert.Equal([new SkippedThumbnail("preview", "original 1200x800 already fits the 1920 px bound")], plan.Skipped);
    }

    [Fact]
    public void Create_SmallDisplayableImage_SkipsEverySizeWithReasons()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(300, 200), Sizes, originalDisplayable: true);

        Assert.Empty(plan.Outputs);
        Assert.Equal(["thumbnail", "preview"], plan.Skipped.Select(skip => skip.Name));
        Assert.Equal("original 300x200 already fits the 360 px bound", plan.Skipped[0].Reason);
    }

    [Fact]
    public void Create_LongestSideExactlyTheBound_SkipsThatSize()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(360, 200), Sizes, originalDisplayable: true);

        Assert.Empty(plan.Outputs);
    }

    [Fact]
    public void Create_LongestSideOnePixelOverTheBound_RendersThatSize()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(361, 200), Sizes, originalDisplayable: true);

        Assert.Equal([new PlannedThumbnail("thumbnail", 360, 360, 199)], plan.Outputs);
    }

    [Fact]
    public void Create_SmallImageBrowsersCannotShow_RendersOneOriginalSizeCopyAndSkipsTheRest()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(300, 200, 6), Sizes, originalDisplayable: false);

        Assert.Equal([new PlannedThumbnail("thumbnail", 300, 200, 300)], plan.Outputs);
        Assert.Equal([new SkippedThumbnail("preview", "original 200x300 fits; same pixels as thumbnail")], plan.Skipped);
    }

    [Fact]
    public void Create_MediumImageBrowsersCannotShow_ScalesTheThumbnailAndCopiesTheOriginalAsPreview()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(1000, 500), Sizes, originalDisplayable: false);

        Assert.Equal(
            [new PlannedThumbnail("thumbnail", 360, 360, 180), new PlannedThumbnail("preview", 1000, 1000, 500)],
            plan.Outputs);
    }

    [Fact]
    public void Create_ExtremePanorama_NeverPlansAZeroPixelSide()
    {
        var plan = ThumbnailPlan.Create(new ImageGeometry(30000, 20), Sizes, originalDisplayable: true);

        Assert.Equal((360, 1), (plan.Outputs[0].Width, plan.Outputs[0].Height));
    }

    [Theory]
    [InlineData(4000, 3000, 360, 360, 270)]
    [InlineData(3000, 4000, 360, 270, 360)]
    [InlineData(1000, 1000, 360, 360, 360)]
    [InlineData(1001, 3, 360, 360, 1)]
    [InlineData(6000, 4000, 1920, 1920, 1280)]
    public void Fit_Dimensions_ScalesTheLongestSideToTheBoundRounded(int width, int height, int bound, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), ThumbnailPlan.Fit(width, height, bound));
    }
}
