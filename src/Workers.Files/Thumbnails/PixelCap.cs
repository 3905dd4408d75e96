using System.Globalization;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>The decompression-bomb rule: an image whose header claims more pixels than the cap is refused before decoding.</summary>
public static class PixelCap
{
    /// <summary>
    /// Null when <paramref name="geometry"/> is within <paramref name="maxPixels"/>; otherwise the reason recorded on the
    /// file, e.g. "decompression bomb: 50000x50000 = 2.5 GP exceeds the 33 MP cap".
    /// </summary>
    public static string? Check(ImageGeometry geometry, long maxPixels)
    {
        if (geometry.Width <= 0 || geometry.Height <= 0)
        {
            return $"decompression bomb: {geometry} is not a valid size";
        }

        return geometry.Pixels <= maxPixels
            ? null
            : $"decompression bomb: {geometry} = {FormatPixels(geometry.Pixels)} exceeds the {FormatPixels(maxPixels)} cap";
    }

    /// <summary>Pixels in the unit a person reads: "2.5 GP", "33 MP", "12.3 kP", "640 px".</summary>
    public static string FormatPixels(long pixels) => pixels switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{pixels / 1e9:0.#} GP"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{pixels / 1e6:0.#} MP"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{pixels / 1e3:0.#} kP"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{pixels} px"),
    };
}
