using System.Text.RegularExpressions;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>Turns a decoder's error into the reason recorded on the file: "truncated: …" or "decoder error: …".</summary>
/// <remarks>
/// libvips words truncation differently per loader (libjpeg "premature end of JPEG image", libpng only "libpng read
/// error"), so the message is combined with the container's own evidence: a PNG without its IEND chunk, a JPEG
/// without an end-of-image marker near the end or a GIF without its trailer was cut short.
/// </remarks>
public static partial class DecodeFailure
{
    private const int MaxDetailLength = 200;

    /// <summary>Classifies <paramref name="decoderMessage"/> for <paramref name="content"/> sniffed as <paramref name="mimeType"/>.</summary>
    public static ThumbnailRefusal Classify(string decoderMessage, ReadOnlySpan<byte> content, string mimeType)
    {
        var detail = Summarize(decoderMessage);
        return MentionsTruncation(detail) || LacksTrailer(content, mimeType)
            ? new ThumbnailRefusal(ThumbnailRefusalKind.Truncated, $"truncated: {detail}")
            : new ThumbnailRefusal(ThumbnailRefusalKind.DecoderError, $"decoder error: {detail}");
    }

    /// <summary>True when <paramref name="content"/>'s format ends with a fixed marker and the marker is missing.</summary>
    public static bool LacksTrailer(ReadOnlySpan<byte> content, string mimeType) => mimeType switch
    {
        // IEND: length 0, type, CRC AE 42 60 82; 12 bytes that end every complete PNG.
        "image/png" => !content.EndsWith((ReadOnlySpan<byte>)[0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82]),
        // Some cameras append data after EOI, so look for FF D9 in the last kilobyte rather than at the very end.
        "image/jpeg" => content[Math.Max(0, content.Length - 1024)..].LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) < 0,
        "image/gif" => content.IsEmpty || content[^1] != 0x3B,
        _ => false,
    };

    private static bool MentionsTruncation(string detail) => TruncationWording().IsMatch(detail);

    // libvips repeats lines (one per failed tile or retry) and prefixes its own call chain; keep the distinct lines.
    private static string Summarize(string message)
    {
        var lines = message
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("unable to call", StringComparison.Ordinal) && !line.StartsWith("unable to load", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);
        var detail = string.Join("; ", lines);
        if (detail.Length == 0)
        {
            detail = message.Trim();
        }

        return detail.Length <= MaxDetailLength ? detail : detail[..MaxDetailLength] + "…";
    }

    [GeneratedRegex("premature end|truncat|not enough (image )?data|unexpected end|out of data|end of (file|stream|data)", RegexOptions.IgnoreCase)]
    private static partial Regex TruncationWording();
}
