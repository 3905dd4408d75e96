using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Tests.ClamAV;

namespace QuikApp.Workers.Files.Tests.Processing;

/// <summary>One upload of the corpus: what the client declared and the bytes it sent.</summary>
internal sealed record UploadSample(string Name, string FileName, string DeclaredMimeType, byte[] Content);

/// <summary>
/// The uploads the worker specifications put through the whole pipeline, generated at run time (no binaries in the
/// repository): what users send, what attackers send, and what clamd cannot judge.
/// </summary>
internal static class UploadCorpus
{
    public static UploadSample JpegRotated { get; } = new("jpeg-exif-6", "photo.jpg", "image/jpeg", FileCorpus.JpegWithOrientation(1600, 1200, 6));

    public static UploadSample PngWithAlpha { get; } = new("png-alpha", "logo.png", "image/png", FileCorpus.PngWithAlpha(800, 600));

    public static UploadSample AnimatedGif { get; } = new("gif-animated", "party.gif", "image/gif", FileCorpus.AnimatedGif(640, 480));

    public static UploadSample Pdf { get; } = new("pdf", "minutes.pdf", "application/pdf", FileCorpus.Pdf(3));

    public static UploadSample Eicar { get; } = new("eicar", "eicar.com", "application/octet-stream", EicarTestFile.Bytes());

    public static UploadSample EicarZipped { get; } = new("eicar-zip", "invoice.zip", "application/zip", EicarTestFile.Zipped());

    public static UploadSample TruncatedJpeg { get; } = new("jpeg-truncated", "cut.jpg", "image/jpeg", FileCorpus.Truncated(FileCorpus.Photo(800, 600)));

    public static UploadSample PngBomb { get; } = new("png-bomb", "huge.png", "image/png", FileCorpus.PngBomb());

    public static UploadSample RandomAsPng { get; } = new("random-as-png", "noise.png", "image/png", FileCorpus.RandomBytes(8192));

    /// <summary>One byte over the test clamd's StreamMaxLength: it can never get a verdict.</summary>
    public static UploadSample AboveStreamMaxLength { get; } =
        new("above-stream-max", "backup.bin", "application/octet-stream", FileCorpus.RandomBytes((int)ClamdFixture.StreamMaxLength + 1, seed: 7));

    public static IReadOnlyList<UploadSample> All { get; } =
        [JpegRotated, PngWithAlpha, AnimatedGif, Pdf, Eicar, EicarZipped, TruncatedJpeg, PngBomb, RandomAsPng, AboveStreamMaxLength];
}
