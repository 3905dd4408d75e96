using System.Collections.Concurrent;
using QuikApp.Workers.DevStack.Samples;

namespace QuikApp.Workers.Fleet.Workload;

/// <summary>
/// The bytes of each upload: one rendering per <see cref="FileSampleKind"/> (libvips, at first use), and per upload 16
/// bytes of its own after it, so no scanner or decoder cache recognises a repeat. Decoders ignore what follows a
/// format's end; EICAR is found by its content anywhere (the test database's body signature). Zipped EICAR is left
/// whole, and truncated JPEGs are cut at a different place each.
/// </summary>
/// <param name="oversizeBytes">The size of an <see cref="FileSampleKind.Oversize"/> upload: one past clamd's StreamMaxLength.</param>
internal sealed class FileSamples(long oversizeBytes)
{
    private readonly ConcurrentDictionary<FileSampleKind, byte[]> _templates = new();

    public byte[] Bytes(PlannedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var random = new Random(file.SuffixSeed);
        switch (file.Kind)
        {
            case FileSampleKind.Oversize:
                return FileCorpus.RandomBytes(checked((int)oversizeBytes), file.SuffixSeed);
            case FileSampleKind.EicarZip:
                // Bytes after a zip's end record could make clamd read it as damaged rather than unpack it.
                return _templates.GetOrAdd(file.Kind, Render);
            case FileSampleKind.JpegTruncated:
                // Anything after the cut could end in what looks like a JPEG end marker: each upload is cut at its own place instead.
                var photo = _templates.GetOrAdd(file.Kind, Render);
                return FileCorpus.Truncated(photo, 0.4 + (random.NextDouble() * 0.2));
        }

        var template = _templates.GetOrAdd(file.Kind, Render);
        var suffix = new byte[16];
        random.NextBytes(suffix);
        return [.. template, .. suffix];
    }

    private static byte[] Render(FileSampleKind kind) => kind switch
    {
        FileSampleKind.JpegExif => FileCorpus.JpegWithOrientation(1600, 1200, 6),
        FileSampleKind.JpegLarge => FileCorpus.Photo(2400, 1600),
        FileSampleKind.PngAlpha => FileCorpus.PngWithAlpha(800, 600),
        FileSampleKind.GifAnimated => FileCorpus.AnimatedGif(640, 480),
        FileSampleKind.Pdf => FileCorpus.Pdf(3),
        FileSampleKind.Eicar => EicarTestFile.Bytes(),
        FileSampleKind.EicarZip => EicarTestFile.Zipped(),
        FileSampleKind.PngBomb => FileCorpus.PngBomb(),
        FileSampleKind.JpegTruncated => FileCorpus.Photo(800, 600), // cut per upload
        FileSampleKind.RandomAsPng => FileCorpus.RandomBytes(8192),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
