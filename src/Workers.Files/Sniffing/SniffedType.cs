namespace QuikApp.Workers.Files.Sniffing;

/// <summary>A file's real type, read from its first bytes (<see cref="FileTypeSniffer"/>), and whether the declared type disagrees.</summary>
/// <param name="Kind">The family that picks the decoder.</param>
/// <param name="MimeType">The content's media type; <c>application/octet-stream</c> when nothing matched.</param>
/// <param name="Extension">The usual file extension with its dot (".jpg"); empty when unknown.</param>
public sealed record SniffedType(FileKind Kind, string MimeType, string Extension)
{
    /// <summary>The uploader's mimeType as given, or null when none was declared. Reported, never used to pick a decoder.</summary>
    public string? DeclaredMimeType { get; init; }

    /// <summary>True when a type was declared and the content is something else (an image/png that is random bytes, a ZIP named .pdf).</summary>
    public bool DeclaredMismatch { get; init; }

    /// <summary>True when browsers show the format natively, so a small original can stand in for its own thumbnail.</summary>
    public bool IsBrowserDisplayable => MimeType is "image/jpeg" or "image/png" or "image/gif" or "image/webp" or "image/avif";

    public override string ToString() => DeclaredMismatch
        ? $"{MimeType} (declared {DeclaredMimeType})"
        : MimeType;
}
