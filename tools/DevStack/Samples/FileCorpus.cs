using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NetVips;

namespace QuikApp.Workers.DevStack.Samples;

/// <summary>
/// Upload samples generated at test time (no binaries in the repository): real images rendered with libvips, and
/// hand-built files for what an encoder would refuse to write (bombs, truncations, minimal PDFs, WAV, MP4).
/// </summary>
/// <remarks>Deterministic: the same call gives the same bytes, so failures reproduce.</remarks>
public static class FileCorpus
{
    /// <summary>The marker colour <see cref="JpegWithOrientation"/> paints in the stored top-left corner.</summary>
    public static readonly double[] MarkerRed = [255, 0, 0];

    /// <summary>The background colour of <see cref="JpegWithOrientation"/>.</summary>
    public static readonly double[] BackgroundBlue = [0, 0, 255];

    /// <summary>
    /// A JPEG stored <paramref name="width"/>×<paramref name="height"/> with EXIF orientation <paramref name="orientation"/>
    /// (libvips writes the tag from the "orientation" field): blue, with a red block in the stored top-left corner
    /// (a fifth of each side), so a correct rotation can be checked by where the red ends up.
    /// </summary>
    public static byte[] JpegWithOrientation(int width, int height, int orientation)
    {
        using var background = Solid(width, height, BackgroundBlue);
        using var marker = Solid(Math.Max(1, width / 5), Math.Max(1, height / 5), MarkerRed);
        using var marked = background.Insert(marker, 0, 0);
        using var tagged = marked.Mutate(image => image.Set(GValue.GIntType, "orientation", orientation));
        return tagged.JpegsaveBuffer(q: 90);
    }

    /// <summary>
    /// A photo-like JPEG: smooth gradients with mild noise, which compresses and decodes like a camera picture rather
    /// than a flat colour (flat images make shrink-on-load look unrealistically cheap).
    /// </summary>
    public static byte[] Photo(int width, int height, int quality = 85)
    {
        using var xy = Image.Xyz(width, height);
        using var xs = xy[0] * (255.0 / width);
        using var ys = xy[1] * (255.0 / height);
        using var noise = Image.Gaussnoise(width, height, mean: 0, sigma: 12, seed: 7);
        using var red = xs + noise;
        using var green = ys + noise;
        using var blue = (xs + ys) * 0.5 - noise;
        using var rgb = red.Bandjoin(green, blue).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return rgb.JpegsaveBuffer(q: quality);
    }

    /// <summary>
    /// A PNG with an alpha band: opaque green on the left half, half-transparent on the right, and a fully transparent
    /// top-left quarter.
    /// </summary>
    public static byte[] PngWithAlpha(int width, int height)
    {
        using var opaque = Solid(width, height, [20, 200, 40, 255]);
        using var half = Solid(width / 2, height, [20, 200, 40, 128]);
        using var clear = Solid(width / 2, height / 2, [0, 0, 0, 0]);
        using var withHalf = opaque.Insert(half, width - (width / 2), 0);
        using var withClear = withHalf.Insert(clear, 0, 0);
        using var rgba = withClear.Copy(interpretation: Enums.Interpretation.Srgb);
        return rgba.PngsaveBuffer();
    }

    /// <summary>A looping animated GIF of <paramref name="frameColours"/>.Length frames (libvips' cgif-based gifsave), default red, green, blue.</summary>
    public static byte[] AnimatedGif(int width, int height, params double[][] frameColours)
    {
        frameColours = frameColours.Length > 0 ? frameColours : [[255, 0, 0], [0, 255, 0], [0, 0, 255]];
        var frames = frameColours.Select(colour => Solid(width, height, colour)).ToArray();
        try
        {
            using var strip = Image.Arrayjoin(frames, across: 1);
            using var animated = strip.Mutate(image =>
            {
                image.Set(GValue.GIntType, "page-height", height);
                image.Set(GValue.ArrayIntType, "delay", Enumerable.Repeat(100, frames.Length).ToArray());
                image.Set(GValue.GIntType, "loop", 0);
            });
            return animated.GifsaveBuffer();
        }
        finally
        {
            foreach (var frame in frames)
            {
                frame.Dispose();
            }
        }
    }

    /// <summary>Small single-colour images in other formats libvips writes, for sniffing and decoding tests.</summary>
    public static byte[] WebP(int width = 64, int height = 48) => Encode(width, height, image => image.WebpsaveBuffer());

    /// <inheritdoc cref="WebP"/>
    public static byte[] Tiff(int width = 64, int height = 48) => Encode(width, height, image => image.TiffsaveBuffer());

    /// <inheritdoc cref="WebP"/>
    public static byte[] Avif(int width = 64, int height = 48) =>
        Encode(width, height, image => image.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1));

    /// <inheritdoc cref="WebP"/>
    public static byte[] Png(int width = 64, int height = 48) => Encode(width, height, image => image.PngsaveBuffer());

    /// <summary>A 2×2 24-bit BMP, hand-built (libvips has no BMP saver without ImageMagick).</summary>
    public static byte[] Bmp()
    {
        const int rowBytes = 8; // 2 pixels × 3 bytes, padded to 4
        var pixels = new byte[rowBytes * 2];
        var file = new byte[14 + 40 + pixels.Length];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), 2);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), 2);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), pixels.Length);
        pixels.CopyTo(file, 54);
        return file;
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="content"/>: an upload cut off mid-transfer.</summary>
    public static byte[] Truncated(byte[] content, double fraction = 0.5)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content[..(int)(content.Length * fraction)];
    }

    /// <summary>
    /// A PNG whose header claims <paramref name="width"/>×<paramref name="height"/> 8-bit grey pixels (default 50000² =
    /// 2.5 GP, 2.5 GB decoded) in a few kilobytes: IHDR, a zlib stream of a few zero rows, IEND, with valid CRCs. It is not
    /// fully decodable; it must be refused from its header alone.
    /// </summary>
    public static byte[] PngBomb(int width = 50_000, int height = 50_000)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        WritePngChunk(png, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte + samples
            for (var i = 0; i < 16; i++)
            {
                zlib.Write(row);
            }
        }

        WritePngChunk(png, "IDAT", compressed.ToArray());
        WritePngChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary><paramref name="length"/> pseudo-random bytes (seeded), e.g. to upload as "image/png".</summary>
    public static byte[] RandomBytes(int length = 4096, int seed = 42)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0x00; // never by chance a magic number
        return bytes;
    }

    /// <summary>A minimal, valid PDF of <paramref name="pages"/> blank pages with a correct cross-reference table.</summary>
    public static byte[] Pdf(int pages)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pages);
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Kids [{string.Join(' ', Enumerable.Range(0, pages).Select(page => $"{page + 3} 0 R"))}] /Count {pages} >>",
        };
        objects.AddRange(Enumerable.Range(0, pages).Select(_ => "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"));

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    /// <summary>A file that starts like a PDF and is nothing after: no objects, no cross-reference table.</summary>
    public static byte[] BrokenPdf() => Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\nthis is not a PDF body, just the header of one\n");

    /// <summary>A PCM WAV of <paramref name="seconds"/> of silence (16-bit, <paramref name="sampleRate"/> Hz, <paramref name="channels"/> channels).</summary>
    public static byte[] Wav(double seconds, int sampleRate = 8000, int channels = 1)
    {
        var blockAlign = channels * 2;
        var dataBytes = (int)Math.Round(seconds * sampleRate) * blockAlign;
        var wav = new byte[44 + dataBytes];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        return wav;
    }

    /// <summary>
    /// The box skeleton of an MP4 (ftyp, moov/mvhd, one video trak/tkhd) without media data: enough for a metadata
    /// reader to find the duration, the video size and its rotation (0 or 90 degrees).
    /// </summary>
    public static byte[] Mp4(int durationMilliseconds, int width, int height, int rotation = 0, string majorBrand = "isom")
    {
        var ftyp = Box("ftyp", Encoding.ASCII.GetBytes(majorBrand), U32(512), "isomiso2avc1mp41"u8.ToArray());
        var movieHeader = Box("mvhd", U32(0), U32(0), U32(0), U32(1000), U32((uint)durationMilliseconds), U32(0x00010000),
            U16(0x0100), new byte[10], Matrix(rotation), new byte[24], U32(2));
        var trackHeader = Box("tkhd", U32(3), U32(0), U32(0), U32(1), U32(0), U32((uint)durationMilliseconds), new byte[8],
            U16(0), U16(0), U16(0), U16(0), Matrix(rotation), U32((uint)width << 16), U32((uint)height << 16));
        return [.. ftyp, .. Box("moov", movieHeader, Box("trak", trackHeader))];
    }

    /// <summary><paramref name="frames"/> MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz) of silence, optionally after an ID3v2 tag.</summary>
    public static byte[] Mp3(int frames = 3, bool withId3 = false)
    {
        const int frameLength = 417; // 144 × 128000 / 44100
        var audio = new byte[frames * frameLength];
        for (var i = 0; i < frames; i++)
        {
            audio[i * frameLength] = 0xFF;
            audio[(i * frameLength) + 1] = 0xFB; // MPEG-1, Layer III, no CRC
            audio[(i * frameLength) + 2] = 0x90; // 128 kbit/s, 44.1 kHz, no padding
            audio[(i * frameLength) + 3] = 0x64;
        }

        return withId3 ? [.. "ID3"u8, 4, 0, 0, 0, 0, 0, 0, 0, .. audio] : audio;
    }

    /// <summary>A ZIP with the given entry names (each holding its own name as text), in order; e.g. an Office Open XML skeleton.</summary>
    public static byte[] Zip(params string[] entryNames)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in entryNames)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(Encoding.UTF8.GetBytes(name));
            }
        }

        return zip.ToArray();
    }

    /// <summary>A .docx skeleton: content types, relationships, then word/document.xml.</summary>
    public static byte[] Docx() => Zip("[Content_Types].xml", "_rels/.rels", "word/document.xml");

    private static Image Solid(int width, int height, double[] colour)
    {
        using var black = Image.Black(width, height, bands: colour.Length);
        using var filled = black + colour;
        return filled.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static byte[] Encode(int width, int height, Func<Image, byte[]> save)
    {
        using var image = Solid(width, height, [200, 120, 40]);
        return save(image);
    }

    private static void WritePngChunk(Stream png, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.Compute([.. typeBytes, .. data]));
        png.Write(number);
    }

    private static byte[] Box(string type, params byte[][] parts)
    {
        var body = parts.SelectMany(part => part).ToArray();
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(box, box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        body.CopyTo(box, 8);
        return box;
    }

    private static byte[] Matrix(int rotation) => rotation switch
    {
        0 => [.. U32(0x00010000), .. U32(0), .. U32(0), .. U32(0), .. U32(0x00010000), .. U32(0), .. U32(0), .. U32(0), .. U32(0x40000000)],
        90 => [.. U32(0), .. U32(0x00010000), .. U32(0), .. U32(0xFFFF0000), .. U32(0), .. U32(0), .. U32(0), .. U32(0), .. U32(0x40000000)],
        _ => throw new ArgumentOutOfRangeException(nameof(rotation), rotation, "0 or 90"),
    };

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }

    // PNG's CRC-32 (ISO 3309); System.IO.Hashing is a package away and this is all it would be used for.
    private static class Crc32
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
        {
            var c = (uint)n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            return c;
        }).ToArray();

        public static uint Compute(ReadOnlySpan<byte> data)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc ^ 0xFFFFFFFFu;
        }
    }
}
