using NetVips;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>What libvips reads from an image's header without decoding pixels: size of one frame, orientation, frames, the loader it chose.</summary>
/// <param name="Geometry">Stored size of the first frame and its EXIF orientation.</param>
/// <param name="Pages">Frames of an animation or pages of a multi-page file (1 for a still image).</param>
/// <param name="Loader">The libvips loader, e.g. "jpegload_source"; checked against the sniffed type.</param>
/// <param name="HasAlpha">Whether the image carries transparency.</param>
public sealed record ImageHeader(ImageGeometry Geometry, int Pages, string Loader, bool HasAlpha)
{
    /// <summary>
    /// Opens <paramref name="content"/> for sequential access and reads its header only. libvips is lazy: this parses
    /// the header (and for GIF the frame table), never the pixels, so a 50000×50000 bomb costs a few milliseconds.
    /// </summary>
    /// <remarks>The default is the first frame (n=1), so width × height is one frame's, not the whole animation's.</remarks>
    /// <exception cref="VipsException">The bytes are not an image libvips can open, or the header is cut short.</exception>
    public static ImageHeader Read(byte[] content)
    {
        // A memory source pins the array instead of copying it (Image.NewFromBuffer/ThumbnailBuffer copy every call).
        using var source = Source.NewFromMemory(content);
        using var image = Image.NewFromSource(source, access: Enums.Access.Sequential);
        var orientation = image.Contains("orientation") ? Convert.ToInt32(image.Get("orientation"), System.Globalization.CultureInfo.InvariantCulture) : 1;
        var pages = image.Contains("n-pages") ? Convert.ToInt32(image.Get("n-pages"), System.Globalization.CultureInfo.InvariantCulture) : 1;
        var loader = image.Contains("vips-loader") ? (string)image.Get("vips-loader") : "";
        return new ImageHeader(new ImageGeometry(image.Width, image.Height, orientation is >= 1 and <= 8 ? orientation : 1), Math.Max(1, pages), loader, image.HasAlpha());
    }

    /// <summary>True when <see cref="Loader"/> is the libvips loader for <paramref name="sniffedMimeType"/>.</summary>
    public bool LoaderMatches(string sniffedMimeType) => ExpectedLoader(sniffedMimeType) is { } prefix
        && Loader.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>The libvips loader family for an image mime type, or null when the bundled libvips cannot decode it.</summary>
    /// <remarks>
    /// HEIC is HEVC inside HEIF: NetVips.Native ships libheif with AV1 only (HEVC is patent-encumbered), so HEIC
    /// fails with "Unsupported codec"; saying so up front is clearer. BMP has no loader without ImageMagick.
    /// </remarks>
    public static string? ExpectedLoader(string mimeType) => mimeType switch
    {
        "image/jpeg" => "jpegload",
        "image/png" => "pngload",
        "image/gif" => "gifload",
        "image/webp" => "webpload",
        "image/tiff" => "tiffload",
        "image/heif" or "image/avif" => "heifload",
        _ => null,
    };
}
