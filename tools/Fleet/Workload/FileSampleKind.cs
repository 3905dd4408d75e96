using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Workload;

/// <summary>What an upload of the workload carries: what users send, what attackers send, and what clamd cannot judge.</summary>
internal enum FileSampleKind
{
    /// <summary>A photo-like JPEG 1600×1200 with EXIF orientation 6 (displayed 1200×1600).</summary>
    JpegExif,

    /// <summary>A photo-like JPEG 2400×1600: gets the 1920 px preview as well as the thumbnail.</summary>
    JpegLarge,

    /// <summary>A PNG 800×600 with an alpha band.</summary>
    PngAlpha,

    /// <summary>An animated GIF 640×480, three frames.</summary>
    GifAnimated,

    /// <summary>A three-page PDF.</summary>
    Pdf,

    /// <summary>The EICAR test file (built at run time from a reversed form, never stored plain).</summary>
    Eicar,

    /// <summary>EICAR deflated inside a zip.</summary>
    EicarZip,

    /// <summary>A PNG whose header claims 50000×50000 pixels: refused from its header.</summary>
    PngBomb,

    /// <summary>A JPEG cut off halfway.</summary>
    JpegTruncated,

    /// <summary>Random bytes uploaded as image/png.</summary>
    RandomAsPng,

    /// <summary>Random bytes one past clamd's StreamMaxLength: no verdict can ever come.</summary>
    Oversize,
}

/// <summary>The outcome the files worker must reach for an upload of a kind.</summary>
/// <param name="Thumbnail">Whether a clean file of this kind gets a thumbnail (urls.thumbnail).</param>
internal sealed record ExpectedFileOutcome(FileScanStatus Scan, ProcessingStatus Processing, bool Thumbnail);

/// <summary>Names, declared types and expected outcomes of each <see cref="FileSampleKind"/>.</summary>
internal static class FileSampleKinds
{
    /// <summary>The uploads of every 20: mostly pictures and documents, two infected, three hostile. The last slot alternates
    /// between random bytes as a PNG and a file above clamd's limit.</summary>
    public static IReadOnlyList<FileSampleKind> Cycle { get; } =
    [
        FileSampleKind.JpegExif, FileSampleKind.JpegExif, FileSampleKind.JpegExif, FileSampleKind.JpegExif, FileSampleKind.JpegExif,
        FileSampleKind.JpegLarge, FileSampleKind.JpegLarge,
        FileSampleKind.PngAlpha, FileSampleKind.PngAlpha, FileSampleKind.PngAlpha,
        FileSampleKind.GifAnimated, FileSampleKind.GifAnimated,
        FileSampleKind.Pdf, FileSampleKind.Pdf, FileSampleKind.Pdf,
        FileSampleKind.Eicar, FileSampleKind.EicarZip,
        FileSampleKind.PngBomb, FileSampleKind.JpegTruncated,
        FileSampleKind.RandomAsPng,
    ];

    public static (string Name, string MimeType) NameAndType(FileSampleKind kind) => kind switch
    {
        FileSampleKind.JpegExif => ("photo.jpg", "image/jpeg"),
        FileSampleKind.JpegLarge => ("panorama.jpg", "image/jpeg"),
        FileSampleKind.PngAlpha => ("logo.png", "image/png"),
        FileSampleKind.GifAnimated => ("party.gif", "image/gif"),
        FileSampleKind.Pdf => ("minutes.pdf", "application/pdf"),
        FileSampleKind.Eicar => ("eicar.com", "application/octet-stream"),
        FileSampleKind.EicarZip => ("invoice.zip", "application/zip"),
        FileSampleKind.PngBomb => ("huge.png", "image/png"),
        FileSampleKind.JpegTruncated => ("cut.jpg", "image/jpeg"),
        FileSampleKind.RandomAsPng => ("noise.png", "image/png"),
        FileSampleKind.Oversize => ("backup.bin", "application/octet-stream"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ExpectedFileOutcome Expected(FileSampleKind kind) => kind switch
    {
        FileSampleKind.JpegExif or FileSampleKind.JpegLarge or FileSampleKind.PngAlpha or FileSampleKind.GifAnimated =>
            new(FileScanStatus.Clean, ProcessingStatus.Done, Thumbnail: true),
        FileSampleKind.Pdf or FileSampleKind.PngBomb or FileSampleKind.JpegTruncated or FileSampleKind.RandomAsPng =>
            new(FileScanStatus.Clean, ProcessingStatus.Done, Thumbnail: false),
        FileSampleKind.Eicar or FileSampleKind.EicarZip => new(FileScanStatus.Infected, ProcessingStatus.Skipped, Thumbnail: false),
        FileSampleKind.Oversize => new(FileScanStatus.Error, ProcessingStatus.Failed, Thumbnail: false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether the kind is one an attacker sends (bombs, truncations, lies about the type, files too large to scan).</summary>
    public static bool IsHostile(FileSampleKind kind) =>
        kind is FileSampleKind.PngBomb or FileSampleKind.JpegTruncated or FileSampleKind.RandomAsPng or FileSampleKind.Oversize;
}
