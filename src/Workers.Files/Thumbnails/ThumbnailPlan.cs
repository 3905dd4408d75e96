namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>Which thumbnails to make for an image and at what size: pure sizing, decided before any pixel is decoded.</summary>
/// <param name="Outputs">The outputs to render, smallest bound first.</param>
/// <param name="Skipped">The configured sizes not rendered, each with why.</param>
public sealed record ThumbnailPlan(IReadOnlyList<PlannedThumbnail> Outputs, IReadOnlyList<SkippedThumbnail> Skipped)
{
    /// <summary>
    /// Plans each of <paramref name="sizes"/> for an image of <paramref name="source"/> geometry. A size is rendered when
    /// the displayed image is larger than its bound, fitted inside the bound with the aspect ratio kept; never enlarged.
    /// </summary>
    /// <param name="originalDisplayable">
    /// Whether browsers show the original's format. When they do, a size the original already fits is skipped (the
    /// original serves). When they do not (TIFF, HEIC), the smallest such size is rendered at the original's size
    /// so there is something to show, and larger ones are skipped as identical.
    /// </param>
    public static ThumbnailPlan Create(ImageGeometry source, IReadOnlyList<ThumbnailSize> sizes, bool originalDisplayable)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var outputs = new List<PlannedThumbnail>();
        var skipped = new List<SkippedThumbnail>();
        var width = source.DisplayedWidth;
        var height = source.DisplayedHeight;
        var longest = Math.Max(width, height);
        PlannedThumbnail? originalSizeCopy = null;

        foreach (var size in sizes.OrderBy(size => size.Bound))
        {
            if (longest > size.Bound)
            {
                var (fittedWidth, fittedHeight) = Fit(width, height, size.Bound);
                outputs.Add(new PlannedThumbnail(size.Name, size.Bound, fittedWidth, fittedHeight));
            }
            else if (originalDisplayable)
            {
                skipped.Add(new SkippedThumbnail(size.Name, $"original {width}x{height} already fits the {size.Bound} px bound"));
            }
            else if (originalSizeCopy is null)
            {
                originalSizeCopy = new PlannedThumbnail(size.Name, longest, width, height);
                outputs.Add(originalSizeCopy);
            }
            else
            {
                skipped.Add(new SkippedThumbnail(size.Name, $"original {width}x{height} fits; same pixels as {originalSizeCopy.Name}"));
            }
        }

        return new ThumbnailPlan(outputs, skipped);
    }

    /// <summary>Width and height of <paramref name="width"/>×<paramref name="height"/> scaled so its longest side is <paramref name="bound"/> (rounded, at least 1).</summary>
    public static (int Width, int Height) Fit(int width, int height, int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        if (width >= height)
        {
            return (bound, Math.Max(1, (int)Math.Round((double)height * bound / width, MidpointRounding.AwayFromZero)));
        }

        return (Math.Max(1, (int)Math.Round((double)width * bound / height, MidpointRounding.AwayFromZero)), bound);
    }
}

/// <summary>One output of a <see cref="ThumbnailPlan"/>: its configured name and bound and the displayed size expected.</summary>
public sealed record PlannedThumbnail(string Name, int Bound, int Width, int Height);

/// <summary>A configured size not rendered for a file, and why ("original 300x200 already fits the 360 px bound").</summary>
public sealed record SkippedThumbnail(string Name, string Reason);
