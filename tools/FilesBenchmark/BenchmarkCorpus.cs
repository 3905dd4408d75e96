using QuikApp.Workers.DevStack.Samples;

namespace QuikApp.Workers.Tools.FilesBenchmark;

/// <summary>One generated upload: its name (and extension), declared type and bytes.</summary>
/// <param name="LongestSide">The image's longest side in pixels (0 for other files): which thumbnail sizes it needs.</param>
internal sealed record BenchmarkFile(string Name, string Kind, string MimeType, byte[] Content, int LongestSide)
{
    public bool IsImage => MimeType.StartsWith("image/", StringComparison.Ordinal);
}

/// <summary>
/// The benchmark's uploads, a seeded mix per 20 files: 8 JPEG photos 1280×960, 4 at 3000×2000 (6 MP), 2 at 640×480,
/// 3 PNGs with alpha 800×600, 2 three-page PDFs, 1 EICAR. Each file gets 16 bytes of its own after the format's end
/// (ignored by decoders), so no scanner or decoder cache can recognise a repeat.
/// </summary>
internal static class BenchmarkCorpus
{
    public static List<BenchmarkFile> Generate(int count)
    {
        var templates = new (string Kind, string Extension, string MimeType, byte[] Content, int LongestSide, int PerTwenty)[]
        {
            ("jpeg 1280x960", "jpg", "image/jpeg", FileCorpus.Photo(1280, 960), 1280, 8),
            ("jpeg 3000x2000", "jpg", "image/jpeg", FileCorpus.Photo(3000, 2000), 3000, 4),
            ("jpeg 640x480", "jpg", "image/jpeg", FileCorpus.Photo(640, 480), 640, 2),
            ("png 800x600 alpha", "png", "image/png", FileCorpus.PngWithAlpha(800, 600), 800, 3),
            ("pdf 3 pages", "pdf", "application/pdf", FileCorpus.Pdf(3), 0, 2),
            ("eicar", "com", "application/octet-stream", EicarTestFile.Bytes(), 0, 1),
        };
        var cycle = templates.SelectMany(t => Enumerable.Repeat(t, t.PerTwenty)).ToList();
        var random = new Random(42);
        var files = new List<BenchmarkFile>(count);
        for (var i = 0; i < count; i++)
        {
            var template = cycle[i % cycle.Count];
            var suffix = new byte[16];
            random.NextBytes(suffix);
            // EICAR is matched by content anywhere (the test .ndb signature), so the suffix does not hide it.
            files.Add(new BenchmarkFile($"file-{i:D5}.{template.Extension}", template.Kind, template.MimeType, [.. template.Content, .. suffix], template.LongestSide));
        }

        return files;
    }
}
