using MetadataExtractor;
using MetadataExtractor.Formats.Bmp;
using MetadataExtractor.Formats.QuickTime;
using Microsoft.Extensions.Options;
using NetVips;
using QuikApp.Workers.Files.Sniffing;
using QuikApp.Workers.Files.Thumbnails;
using QuikApp.Workers.Shared.Events;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace QuikApp.Workers.Files.Metadata;

/// <summary>Reads a file's media facts for the document's <c>metadata</c>: image size, PDF pages, audio/video duration.</summary>
/// <remarks>
/// The reader goes by the sniffed type, never the declared one. Image sizes are the <em>displayed</em> ones (a photo
/// stored 4000×3000 with EXIF orientation 6 is reported 3000×4000), because that is what clients lay out; the stored
/// size is an encoding detail. Durations come from MetadataExtractor for ISO media (MP4, MOV, M4A, 3GP) and from the
/// RIFF chunks for WAV; MP3, Ogg, FLAC, WebM/MKV and AVI get a note instead (ffprobe is deliberately not used: see
/// docs/files.md). A damaged file yields a note, never an exception.
/// </remarks>
public sealed class MetadataReader(IOptions<ThumbnailOptions> options, DecodeGate gate)
{
    private readonly long _maxInputBytes = (options ?? throw new ArgumentNullException(nameof(options))).Value.MaxInputBytes;
    private readonly DecodeGate _gate = gate ?? throw new ArgumentNullException(nameof(gate));

    /// <summary>Reads what applies to <paramref name="content"/> (the whole file).</summary>
    /// <param name="declaredMimeType">The uploader's mimeType: carried into the result's type for reporting only.</param>
    public async Task<FileMetadata> ReadAsync(byte[] content, string? declaredMimeType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var type = FileTypeSniffer.Sniff(content, declaredMimeType);
        var notes = new List<string>();
        if (type.DeclaredMismatch)
        {
            notes.Add($"declared {type.DeclaredMimeType} but content is {type.MimeType}");
        }

        if (type.Kind is FileKind.Image or FileKind.Pdf && content.LongLength > _maxInputBytes)
        {
            notes.Add($"not parsed: {content.LongLength} bytes exceeds the {_maxInputBytes}-byte limit for decoding");
            return new FileMetadata(type, FileMetadata.NoMedia, notes);
        }

        var media = type.Kind switch
        {
            FileKind.Image => await _gate.RunAsync(_ => ReadImage(content, type, notes), cancellationToken).ConfigureAwait(false),
            FileKind.Pdf => await _gate.RunAsync(_ => ReadPdf(content, notes), cancellationToken).ConfigureAwait(false),
            FileKind.Audio or FileKind.Video => ReadDuration(content, type, notes),
            _ => FileMetadata.NoMedia,
        };
        return new FileMetadata(type, media, notes);
    }

    private static FileMediaMetadata ReadImage(byte[] content, SniffedType type, List<string> notes)
    {
        if (type.MimeType == "image/bmp")
        {
            return ReadBmp(content, notes);
        }

        try
        {
            var header = ImageHeader.Read(content);
            return new FileMediaMetadata(header.Geometry.DisplayedWidth, header.Geometry.DisplayedHeight, null, null);
        }
        catch (VipsException exception)
        {
            notes.Add($"image header unreadable: {FirstLine(exception.Message)}");
            return FileMetadata.NoMedia;
        }
    }

    // libvips has no BMP loader in this build; the header is enough for the size. Height is negative for top-down rows.
    private static FileMediaMetadata ReadBmp(byte[] content, List<string> notes)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            var header = BmpMetadataReader.ReadMetadata(stream).OfType<BmpHeaderDirectory>().FirstOrDefault();
            if (header is not null
                && header.TryGetInt32(BmpHeaderDirectory.TagImageWidth, out var width)
                && header.TryGetInt32(BmpHeaderDirectory.TagImageHeight, out var height))
            {
                return new FileMediaMetadata(Math.Abs(width), Math.Abs(height), null, null);
            }

            notes.Add("image header unreadable: BMP header has no size");
        }
        catch (Exception exception) when (exception is MetadataExtractor.ImageProcessingException or IOException)
        {
            notes.Add($"image header unreadable: {FirstLine(exception.Message)}");
        }

        return FileMetadata.NoMedia;
    }

    private static FileMediaMetadata ReadPdf(byte[] content, List<string> notes)
    {
        try
        {
            using var document = PdfDocument.Open(content);
            return new FileMediaMetadata(null, null, null, document.NumberOfPages);
        }
        catch (PdfDocumentEncryptedException)
        {
            notes.Add("encrypted PDF: page count unavailable without the password");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // PdfPig signals damage with several exception types (format, parse, index, invalid cast) on hostile input.
            notes.Add($"broken PDF: {FirstLine(exception.Message)}");
        }

        return FileMetadata.NoMedia;
    }

    private static FileMediaMetadata ReadDuration(byte[] content, SniffedType type, List<string> notes)
    {
        switch (type.MimeType)
        {
            case "audio/wav":
                var seconds = WaveDuration.Read(content, out var note);
                if (note is not null)
                {
                    notes.Add(note);
                }

                return new FileMediaMetadata(null, null, seconds, null);

            case "video/mp4" or "video/quicktime" or "audio/mp4" or "video/3gpp" or "video/3gpp2":
                return ReadIsoMedia(content, notes);

            default:
                notes.Add($"duration: no reader for {type.MimeType}");
                return FileMetadata.NoMedia;
        }
    }

    // The movie header (mvhd) carries the duration; the first track header (tkhd) with a size is the video track, and
    // its matrix rotation says whether players turn it a quarter (phones record portrait video as rotated landscape).
    private static FileMediaMetadata ReadIsoMedia(byte[] content, List<string> notes)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            directories = QuickTimeMetadataReader.ReadMetadata(stream);
        }
        catch (Exception exception) when (exception is MetadataExtractor.ImageProcessingException or IOException or ArgumentException)
        {
            notes.Add($"duration: unreadable movie: {FirstLine(exception.Message)}");
            return FileMetadata.NoMedia;
        }

        double? duration = null;
        var movieHeader = directories.OfType<QuickTimeMovieHeaderDirectory>().FirstOrDefault();
        if (movieHeader?.GetObject(QuickTimeMovieHeaderDirectory.TagDuration) is TimeSpan span)
        {
            duration = span.TotalSeconds;
        }
        else
        {
            notes.Add("duration: movie has no movie header");
        }

        int? width = null, height = null;
        foreach (var track in directories.OfType<QuickTimeTrackHeaderDirectory>())
        {
            if (track.TryGetDouble(QuickTimeTrackHeaderDirectory.TagWidth, out var trackWidth)
                && track.TryGetDouble(QuickTimeTrackHeaderDirectory.TagHeight, out var trackHeight)
                && trackWidth > 0 && trackHeight > 0)
            {
                var quarterTurn = track.TryGetDouble(QuickTimeTrackHeaderDirectory.TagRotation, out var rotation)
                    && Math.Abs(Math.Abs(rotation % 180) - 90) < 1;
                width = (int)Math.Round(quarterTurn ? trackHeight : trackWidth);
                height = (int)Math.Round(quarterTurn ? trackWidth : trackHeight);
                break;
            }
        }

        return new FileMediaMetadata(width, height, duration, null);
    }

    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var newline = line.IndexOfAny('\r', '\n');
        var first = (newline >= 0 ? line[..newline] : line).Trim().ToString();
        return first.Length <= 200 ? first : first[..200] + "…";
    }
}
