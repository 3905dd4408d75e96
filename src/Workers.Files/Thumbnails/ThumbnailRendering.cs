using QuikApp.Workers.Files.Sniffing;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>What rendering a file's thumbnails produced: the outputs, the sizes skipped, or why there are none.</summary>
/// <param name="Type">The sniffed type the decision was made on.</param>
/// <param name="Source">The image's header geometry, when the header could be read.</param>
/// <param name="Thumbnails">The encoded outputs (empty when refused or when every size was skipped).</param>
/// <param name="Skipped">Configured sizes deliberately not rendered, with reasons.</param>
/// <param name="Refusal">Why no thumbnail can be made for this file, or null.</param>
public sealed record ThumbnailRendering(
    SniffedType Type,
    ImageGeometry? Source,
    IReadOnlyList<RenderedThumbnail> Thumbnails,
    IReadOnlyList<SkippedThumbnail> Skipped,
    ThumbnailRefusal? Refusal)
{
    /// <summary>True when the file was decoded and every planned size was rendered (possibly none, when all were skipped).</summary>
    public bool Succeeded => Refusal is null;

    public static ThumbnailRendering Refused(SniffedType type, ImageGeometry? source, ThumbnailRefusalKind kind, string reason) =>
        new(type, source, [], [], new ThumbnailRefusal(kind, reason));

    public static ThumbnailRendering Refused(SniffedType type, ImageGeometry? source, ThumbnailRefusal refusal) =>
        new(type, source, [], [], refusal);
}

/// <summary>One encoded thumbnail: the configured size's name, its bytes and media type, and its pixel size.</summary>
public sealed record RenderedThumbnail(string Name, ReadOnlyMemory<byte> Content, int Width, int Height, string MimeType);

/// <summary>Why a file gets no thumbnail; <see cref="Reason"/> is what the file document records.</summary>
public sealed record ThumbnailRefusal(ThumbnailRefusalKind Kind, string Reason)
{
    /// <summary>True for decode failures (the file is damaged); false for policy refusals (not an image, too large, bomb).</summary>
    public bool IsDecodeFailure => Kind is ThumbnailRefusalKind.Truncated or ThumbnailRefusalKind.DecoderError;
}

/// <summary>The reasons a file gets no thumbnail.</summary>
public enum ThumbnailRefusalKind
{
    /// <summary>The bytes are not an image, whatever the declared type says.</summary>
    NotAnImage,

    /// <summary>An image format the bundled libvips does not decode (BMP, HEIC).</summary>
    UnsupportedFormat,

    /// <summary>The file is larger than <see cref="ThumbnailOptions.MaxInputBytes"/>.</summary>
    TooLarge,

    /// <summary>The header claims more pixels than <see cref="ThumbnailOptions.MaxPixels"/>.</summary>
    DecompressionBomb,

    /// <summary>The image data ends early.</summary>
    Truncated,

    /// <summary>The decoder failed for another reason (corrupt data, a codec this build lacks).</summary>
    DecoderError,
}
