namespace QuikApp.Workers.Files.Sniffing;

/// <summary>Normalises a declared mimeType and decides whether it agrees with the sniffed one (aliases and container families count as agreeing).</summary>
internal static class DeclaredMimeTypes
{
    // Declared first: static initialisers run in textual order.
    private static readonly string[] IsoMediaFamily =
        ["video/mp4", "video/quicktime", "video/x-m4v", "audio/mp4", "audio/x-m4a", "audio/m4a", "video/3gpp", "video/3gpp2", "audio/3gpp"];

    // Sniffed type → declared types that describe the same content. Clients disagree on names (image/jpg, audio/x-wav),
    // and one container often has several (an .m4a is an MP4); none of that is a mismatch worth reporting.
    private static readonly Dictionary<string, string[]> Aliases = new(StringComparer.Ordinal)
    {
        ["image/jpeg"] = ["image/jpg", "image/pjpeg", "image/jfif"],
        ["image/png"] = ["image/x-png", "image/apng"],
        ["image/gif"] = [],
        ["image/webp"] = [],
        ["image/avif"] = ["image/avif-sequence"],
        ["image/heic"] = ["image/heif", "image/heic-sequence", "image/heif-sequence"],
        ["image/heif"] = ["image/heic", "image/heif-sequence", "image/heic-sequence"],
        ["image/tiff"] = ["image/tif", "image/x-tiff"],
        ["image/bmp"] = ["image/x-bmp", "image/x-ms-bmp"],
        ["image/svg+xml"] = ["text/xml", "application/xml", "text/plain"],
        ["application/pdf"] = ["application/x-pdf"],
        ["application/zip"] = ["application/x-zip-compressed", "application/x-zip", "multipart/x-zip"],
        ["application/gzip"] = ["application/x-gzip", "application/x-gtar", "application/x-compressed-tar", "application/x-tgz"],
        ["application/x-7z-compressed"] = [],
        ["application/vnd.rar"] = ["application/x-rar-compressed", "application/x-rar"],
        ["audio/mpeg"] = ["audio/mp3", "audio/x-mp3", "audio/mpeg3", "audio/x-mpeg", "audio/mpg"],
        ["audio/aac"] = ["audio/x-aac", "audio/aacp"],
        ["audio/wav"] = ["audio/x-wav", "audio/wave", "audio/vnd.wave"],
        ["audio/flac"] = ["audio/x-flac"],
        ["audio/ogg"] = ["application/ogg", "audio/opus", "audio/vorbis", "video/ogg"],
        ["video/ogg"] = ["application/ogg", "audio/ogg"],
        ["video/webm"] = ["audio/webm", "video/x-matroska", "audio/x-matroska"],
        ["video/x-matroska"] = ["video/webm", "audio/webm", "audio/x-matroska"],
        ["video/x-msvideo"] = ["video/avi", "video/msvideo"],
        ["video/mp4"] = IsoMediaFamily,
        ["video/quicktime"] = IsoMediaFamily,
        ["audio/mp4"] = IsoMediaFamily,
        ["video/3gpp"] = IsoMediaFamily,
        ["video/3gpp2"] = IsoMediaFamily,
    };

    // Every type the sniffer can recognise: declaring one of these for content that is not it is a mismatch.
    private static readonly HashSet<string> Recognisable = [.. Aliases.Keys, .. Aliases.Values.SelectMany(names => names)];

    /// <summary>Lower-cased media type without parameters ("Image/JPEG; q=1" → "image/jpeg"); null for none or a blank.</summary>
    public static string? Normalize(string? declared)
    {
        if (string.IsNullOrWhiteSpace(declared))
        {
            return null;
        }

        var semicolon = declared.IndexOf(';', StringComparison.Ordinal);
        var bare = (semicolon >= 0 ? declared[..semicolon] : declared).Trim();
        return bare.Length == 0 ? null : bare.ToLowerInvariant();
    }

    /// <summary>True when <paramref name="declared"/> (normalised) fairly describes content sniffed as <paramref name="sniffed"/>.</summary>
    public static bool Agrees(string sniffed, string declared)
    {
        // "I don't know" is not a claim.
        if (declared is "application/octet-stream" or "binary/octet-stream" || declared == sniffed)
        {
            return true;
        }

        return sniffed switch
        {
            "application/octet-stream" => !Recognisable.Contains(declared) && !IsMediaClaim(declared),
            "text/plain" => !IsMediaClaim(declared) && !Recognisable.Contains(declared),
            "application/zip" => IsZipBased(declared) || Aliases[sniffed].Contains(declared),
            _ when sniffed.StartsWith("application/vnd.openxmlformats-", StringComparison.Ordinal)
                || sniffed.StartsWith("application/vnd.oasis.", StringComparison.Ordinal)
                || sniffed == "application/epub+zip" => IsZipBased(declared),
            _ => Aliases.TryGetValue(sniffed, out var aliases) && aliases.Contains(declared),
        };
    }

    // Images, audio and video are formats with signatures: text or unknown bytes cannot be one (SVG aside).
    private static bool IsMediaClaim(string declared) =>
        (declared.StartsWith("image/", StringComparison.Ordinal) && declared != "image/svg+xml")
        || declared.StartsWith("audio/", StringComparison.Ordinal)
        || declared.StartsWith("video/", StringComparison.Ordinal);

    private static bool IsZipBased(string declared) =>
        declared.EndsWith("+zip", StringComparison.Ordinal)
        || declared.StartsWith("application/vnd.openxmlformats-", StringComparison.Ordinal)
        || declared.StartsWith("application/vnd.oasis.", StringComparison.Ordinal)
        || declared.StartsWith("application/vnd.ms-", StringComparison.Ordinal)
        || declared is "application/zip" or "application/x-zip-compressed" or "application/x-zip" or "multipart/x-zip"
            or "application/java-archive" or "application/vnd.android.package-archive";
}
