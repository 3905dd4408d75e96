using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>Which thumbnails are made and what decoding may cost (configuration section <c>Files:Thumbnails</c>).</summary>
public sealed class ThumbnailOptions
{
    public const string SectionName = "Files:Thumbnails";

    /// <summary>The sizes made when none are configured: a 360 px thumbnail for lists and a 1920 px preview for the viewer.</summary>
    public static IReadOnlyList<ThumbnailSize> DefaultSizes { get; } =
    [
        new() { Name = "thumbnail", Bound = 360 },
        new() { Name = "preview", Bound = 1920 },
    ];

    /// <summary>
    /// The outputs, each fitted inside a <c>Bound</c>×<c>Bound</c> box (aspect ratio kept). Empty means
    /// <see cref="DefaultSizes"/>: configuration binding appends to a pre-filled list rather than replacing it.
    /// </summary>
    public IList<ThumbnailSize> Sizes { get; } = [];

    /// <summary>Output encoding; WebP keeps alpha and is about a third smaller than JPEG at the same quality.</summary>
    public ThumbnailFormat Format { get; set; } = ThumbnailFormat.WebP;

    /// <summary>Encoder quality for WebP and JPEG (PNG is lossless and ignores it).</summary>
    [Range(1, 100, ErrorMessage = "Files:Thumbnails:Quality must be between 1 and 100.")]
    public int Quality { get; set; } = 80;

    /// <summary>
    /// WebP encoder effort, 0 (fastest) to 6 (smallest); libwebp's own default is 4. Encoding dominates a preview's cost:
    /// at 1920 px, effort 4 took about three times as long as 2 for files within a few percent of the same size.
    /// </summary>
    [Range(0, 6, ErrorMessage = "Files:Thumbnails:WebPEffort must be between 0 and 6.")]
    public int WebPEffort { get; set; } = 2;

    /// <summary>
    /// Largest image, in pixels of one frame (width × height from the header), that is decoded at all. Larger ones are
    /// refused before any pixel is read: decompression bombs cost milliseconds, not gigabytes. 33 MP is Mattermost's cap.
    /// </summary>
    [Range(1L, 1_000_000_000L, ErrorMessage = "Files:Thumbnails:MaxPixels must be between 1 and 1000000000.")]
    public long MaxPixels { get; set; } = 33_000_000;

    /// <summary>Decodes (thumbnails and metadata) running at once; the rest wait. Defaults to the processor count.</summary>
    [Range(1, 256, ErrorMessage = "Files:Thumbnails:MaxConcurrentDecodes must be between 1 and 256.")]
    public int MaxConcurrentDecodes { get; set; } = Environment.ProcessorCount;

    /// <summary>Largest file, in bytes, handed to a decoder; bigger files get no thumbnail (they are still scanned and stored).</summary>
    [Range(1L, 4L * 1024 * 1024 * 1024, ErrorMessage = "Files:Thumbnails:MaxInputBytes must be between 1 and 4294967296.")]
    public long MaxInputBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The configured sizes, or <see cref="DefaultSizes"/> when none are configured.</summary>
    public IReadOnlyList<ThumbnailSize> EffectiveSizes => Sizes.Count > 0 ? [.. Sizes] : DefaultSizes;
}

/// <summary>One configured thumbnail output: a name (part of its storage key) and the box its longest side must fit.</summary>
public sealed class ThumbnailSize
{
    /// <summary>Lower-case letters, digits and dashes: the name ends up in storage keys and URLs.</summary>
    public string Name { get; set; } = "";

    /// <summary>Longest side, in pixels, of the output.</summary>
    public int Bound { get; set; }

    public override string ToString() => $"{Name} ({Bound} px)";
}

/// <summary>Encodings a thumbnail can be written in.</summary>
public enum ThumbnailFormat
{
    WebP,
    Png,
    Jpeg,
}
