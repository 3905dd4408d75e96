using System.Buffers.Binary;
using System.Text;

namespace QuikApp.Workers.Files.Sniffing;

/// <summary>Tells a file's real type from its first bytes (magic numbers); the declared mimeType is only compared, never believed.</summary>
/// <remarks>
/// Pure and allocation-light: give it the first <see cref="HeadLength"/> bytes (fewer for a shorter file). Decoders are
/// chosen from the result, because a declared type is whatever the uploader's client said: an "image/png" that is a
/// ZIP, a script or random bytes must never reach an image decoder as a PNG.
/// </remarks>
public static class FileTypeSniffer
{
    /// <summary>How many leading bytes the sniffer looks at: enough for the PDF header window and the first ZIP entry names.</summary>
    public const int HeadLength = 4096;

    private const string OctetStream = "application/octet-stream";

    /// <summary>Reads the type from <paramref name="head"/> (the file's first bytes) and compares it with <paramref name="declaredMimeType"/>.</summary>
    public static SniffedType Sniff(ReadOnlySpan<byte> head, string? declaredMimeType = null)
    {
        var sniffed = Detect(head.Length > HeadLength ? head[..HeadLength] : head);
        var declared = DeclaredMimeTypes.Normalize(declaredMimeType);
        return sniffed with
        {
            DeclaredMimeType = declared,
            DeclaredMismatch = declared is not null && !DeclaredMimeTypes.Agrees(sniffed.MimeType, declared),
        };
    }

    private static SniffedType Detect(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return Unknown();
        }

        if (StartsWith(head, [0xFF, 0xD8, 0xFF]))
        {
            return new(FileKind.Image, "image/jpeg", ".jpg");
        }

        if (StartsWith(head, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return new(FileKind.Image, "image/png", ".png");
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return new(FileKind.Image, "image/gif", ".gif");
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            return SniffRiff(head[8..12]);
        }

        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return SniffIsoMedia(head);
        }

        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
        {
            return new(FileKind.Image, "image/tiff", ".tiff");
        }

        if (LooksLikeBmp(head))
        {
            return new(FileKind.Image, "image/bmp", ".bmp");
        }

        // PDF readers accept the header anywhere in the first 1024 bytes (PDF 32000-1, annex H), so attackers can too.
        if (head[..Math.Min(head.Length, 1024)].IndexOf("%PDF-"u8) >= 0)
        {
            return new(FileKind.Pdf, "application/pdf", ".pdf");
        }

        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8) || head.StartsWith("PK\x07\x08"u8))
        {
            return SniffZip(head);
        }

        if (StartsWith(head, [0x1A, 0x45, 0xDF, 0xA3]))
        {
            // The EBML header names the DocType near the start; WebM is the Matroska profile browsers play.
            var ebmlHeader = head[..Math.Min(head.Length, 64)];
            return ebmlHeader.IndexOf("webm"u8) >= 0
                ? new(FileKind.Video, "video/webm", ".webm")
                : new(FileKind.Video, "video/x-matroska", ".mkv");
        }

        if (head.StartsWith("OggS"u8))
        {
            return head.IndexOf("\x80theora"u8) >= 0
                ? new(FileKind.Video, "video/ogg", ".ogv")
                : new(FileKind.Audio, "audio/ogg", ".ogg");
        }

        if (head.StartsWith("fLaC"u8))
        {
            return new(FileKind.Audio, "audio/flac", ".flac");
        }

        if (StartsWith(head, [0xEF, 0xBB, 0xBF]) || StartsWith(head, [0xFF, 0xFE]) || StartsWith(head, [0xFE, 0xFF]))
        {
            return SniffText(head);
        }

        if (head.StartsWith("ID3"u8))
        {
            return new(FileKind.Audio, "audio/mpeg", ".mp3");
        }

        if (MpegAudioFrames.TryRead(head, out var isAdts))
        {
            return isAdts ? new(FileKind.Audio, "audio/aac", ".aac") : new(FileKind.Audio, "audio/mpeg", ".mp3");
        }

        if (StartsWith(head, [0x1F, 0x8B]))
        {
            return new(FileKind.Archive, "application/gzip", ".gz");
        }

        if (head.StartsWith("7z"u8) && head.Length >= 6 && head[2..6].SequenceEqual((ReadOnlySpan<byte>)[0xBC, 0xAF, 0x27, 0x1C]))
        {
            return new(FileKind.Archive, "application/x-7z-compressed", ".7z");
        }

        if (head.StartsWith("Rar!\x1A\x07"u8))
        {
            return new(FileKind.Archive, "application/vnd.rar", ".rar");
        }

        return SniffText(head);
    }

    private static SniffedType SniffRiff(ReadOnlySpan<byte> form)
    {
        if (form.SequenceEqual("WEBP"u8))
        {
            return new(FileKind.Image, "image/webp", ".webp");
        }

        if (form.SequenceEqual("WAVE"u8))
        {
            return new(FileKind.Audio, "audio/wav", ".wav");
        }

        if (form.SequenceEqual("AVI "u8))
        {
            return new(FileKind.Video, "video/x-msvideo", ".avi");
        }

        return Unknown();
    }

    // ISO base media files (MP4, MOV, HEIF, AVIF, 3GP) share the ftyp box; the brands tell them apart. Generic major
    // brands (mif1, isom) are refined by the compatible brands, which is where an AVIF or HEIC says what it is.
    private static SniffedType SniffIsoMedia(ReadOnlySpan<byte> head)
    {
        var boxSize = BinaryPrimitives.ReadUInt32BigEndian(head);
        var end = (int)Math.Min(Math.Max(boxSize, 16u), (uint)head.Length);
        var major = head[8..12];

        var specific = IsoBrand(major);
        if (specific is not null)
        {
            return specific;
        }

        for (var offset = 16; offset + 4 <= end; offset += 4)
        {
            var compatible = IsoBrand(head.Slice(offset, 4));
            if (compatible is not null && compatible.Kind == FileKind.Image)
            {
                return compatible;
            }
        }

        if (major.SequenceEqual("mif1"u8) || major.SequenceEqual("msf1"u8))
        {
            return new(FileKind.Image, "image/heif", ".heif");
        }

        // Every other ftyp brand (isom, iso2…iso9, mp41, mp42, avc1, dash, and vendors' own) is an MP4-family movie.
        return new(FileKind.Video, "video/mp4", ".mp4");
    }

    private static SniffedType? IsoBrand(ReadOnlySpan<byte> brand) => Encoding.ASCII.GetString(brand) switch
    {
        "avif" or "avis" => new(FileKind.Image, "image/avif", ".avif"),
        "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" or "hevm" or "hevs" => new(FileKind.Image, "image/heic", ".heic"),
        "qt  " => new(FileKind.Video, "video/quicktime", ".mov"),
        "M4A " or "M4B " or "M4P " or "F4A " or "F4B " => new(FileKind.Audio, "audio/mp4", ".m4a"),
        "3g2a" or "3g2b" or "3g2c" => new(FileKind.Video, "video/3gpp2", ".3g2"),
        var b when b.StartsWith("3gp", StringComparison.Ordinal) || b.StartsWith("3gs", StringComparison.Ordinal)
            => new(FileKind.Video, "video/3gpp", ".3gp"),
        _ => null,
    };

    private static bool LooksLikeBmp(ReadOnlySpan<byte> head)
    {
        // "BM" alone starts plenty of text; the reserved bytes must be zero and the DIB header size a known one.
        if (head.Length < 18 || !head.StartsWith("BM"u8) || BinaryPrimitives.ReadUInt32LittleEndian(head[6..10]) != 0)
        {
            return false;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(head[14..18]) is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;
    }

    // Office Open XML and OpenDocument files are ZIPs; the first entries say which. Only the local headers inside the
    // head are walked (no central directory, no decompression), so this stays cheap and bounded.
    private static SniffedType SniffZip(ReadOnlySpan<byte> head)
    {
        var offset = 0;
        for (var entry = 0; entry < 16 && offset + 30 <= head.Length && head[offset..].StartsWith("PK\x03\x04"u8); entry++)
        {
            var header = head[offset..];
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            var compressedSize = BinaryPrimitives.ReadUInt32LittleEndian(header[18..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            if (30 + nameLength > header.Length)
            {
                break;
            }

            var name = header.Slice(30, nameLength);
            if (name.StartsWith("word/"u8))
            {
                return new(FileKind.Other, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
            }

            if (name.StartsWith("xl/"u8))
            {
                return new(FileKind.Other, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");
            }

            if (name.StartsWith("ppt/"u8))
            {
                return new(FileKind.Other, "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx");
            }

            var dataStart = 30 + nameLength + extraLength;
            if (name.SequenceEqual("mimetype"u8) && method == 0 && dataStart + compressedSize <= header.Length)
            {
                var declaredInside = Encoding.ASCII.GetString(header.Slice(dataStart, (int)compressedSize));
                var packaged = PackagedZipType(declaredInside);
                if (packaged is not null)
                {
                    return packaged;
                }
            }

            // Bit 3: sizes follow the data, so the next header's position is unknown without inflating.
            if ((flags & 0x8) != 0 || (long)dataStart + compressedSize > int.MaxValue)
            {
                break;
            }

            offset += dataStart + (int)compressedSize;
        }

        return new(FileKind.Archive, "application/zip", ".zip");
    }

    private static SniffedType? PackagedZipType(string mimeType) => mimeType switch
    {
        "application/epub+zip" => new(FileKind.Other, mimeType, ".epub"),
        "application/vnd.oasis.opendocument.text" => new(FileKind.Other, mimeType, ".odt"),
        "application/vnd.oasis.opendocument.spreadsheet" => new(FileKind.Other, mimeType, ".ods"),
        "application/vnd.oasis.opendocument.presentation" => new(FileKind.Other, mimeType, ".odp"),
        _ => null,
    };

    private static SniffedType SniffText(ReadOnlySpan<byte> head)
    {
        if (!TextContent.IsText(head))
        {
            return Unknown();
        }

        // SVG is text that browsers run scripts in; it is named so, but never handed to an image decoder.
        return head.IndexOf("<svg"u8) >= 0
            ? new(FileKind.Other, "image/svg+xml", ".svg")
            : new(FileKind.Other, "text/plain", ".txt");
    }

    private static SniffedType Unknown() => new(FileKind.Other, OctetStream, "");

    private static bool StartsWith(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.StartsWith(magic);
}
