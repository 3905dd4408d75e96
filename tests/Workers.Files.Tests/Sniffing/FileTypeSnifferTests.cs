using System.Text;
using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Sniffing;

namespace QuikApp.Workers.Files.Tests.Sniffing;

public sealed class FileTypeSnifferTests
{
    public static TheoryData<string, byte[], FileKind, string, string> Samples() => new()
    {
        { "jpeg", FileCorpus.JpegWithOrientation(40, 30, 6), FileKind.Image, "image/jpeg", ".jpg" },
        { "png", FileCorpus.PngWithAlpha(40, 30), FileKind.Image, "image/png", ".png" },
        { "gif", FileCorpus.AnimatedGif(8, 8), FileKind.Image, "image/gif", ".gif" },
        { "webp", FileCorpus.WebP(), FileKind.Image, "image/webp", ".webp" },
        { "avif", FileCorpus.Avif(), FileKind.Image, "image/avif", ".avif" },
        { "heic", IsoHead("heic", "mif1heic"), FileKind.Image, "image/heic", ".heic" },
        { "heif generic", IsoHead("mif1", "mif1miaf"), FileKind.Image, "image/heif", ".heif" },
        { "avif behind generic brand", IsoHead("mif1", "mif1avifmiaf"), FileKind.Image, "image/avif", ".avif" },
        { "tiff", FileCorpus.Tiff(), FileKind.Image, "image/tiff", ".tiff" },
        { "tiff big-endian", [.. "MM\0*"u8, 0, 0, 0, 8], FileKind.Image, "image/tiff", ".tiff" },
        { "bmp", FileCorpus.Bmp(), FileKind.Image, "image/bmp", ".bmp" },
        { "pdf", FileCorpus.Pdf(2), FileKind.Pdf, "application/pdf", ".pdf" },
        { "pdf after junk", [.. Encoding.ASCII.GetBytes(new string(' ', 300)), .. FileCorpus.Pdf(1)], FileKind.Pdf, "application/pdf", ".pdf" },
        { "zip", FileCorpus.Zip("a.txt", "b.txt"), FileKind.Archive, "application/zip", ".zip" },
        { "docx", FileCorpus.Docx(), FileKind.Other, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx" },
        { "xlsx", FileCorpus.Zip("[Content_Types].xml", "xl/workbook.xml"), FileKind.Other, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx" },
        { "pptx", FileCorpus.Zip("[Content_Types].xml", "ppt/presentation.xml"), FileKind.Other, "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx" },
        { "mp4", FileCorpus.Mp4(5000, 640, 360), FileKind.Video, "video/mp4", ".mp4" },
        { "mov", FileCorpus.Mp4(5000, 640, 360, majorBrand: "qt  "), FileKind.Video, "video/quicktime", ".mov" },
        { "m4a", FileCorpus.Mp4(5000, 0, 0, majorBrand: "M4A "), FileKind.Audio, "audio/mp4", ".m4a" },
        { "mp3 with id3", FileCorpus.Mp3(withId3: true), FileKind.Audio, "audio/mpeg", ".mp3" },
        { "mp3 frames", FileCorpus.Mp3(), FileKind.Audio, "audio/mpeg", ".mp3" },
        { "wav", FileCorpus.Wav(0.5), FileKind.Audio, "audio/wav", ".wav" },
        { "ogg vorbis", [.. "OggS"u8, 0, 2, .. new byte[22], 1, 30, .. "\x01vorbis"u8], FileKind.Audio, "audio/ogg", ".ogg" },
        { "ogg theora", [.. "OggS"u8, 0, 2, .. new byte[22], 1, 42, .. "\x80theora"u8], FileKind.Video, "video/ogg", ".ogv" },
        { "flac", [.. "fLaC"u8, 0, 0, 0, 34], FileKind.Audio, "audio/flac", ".flac" },
        { "webm", [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, .. "webm"u8], FileKind.Video, "video/webm", ".webm" },
        { "mkv", [0x1A, 0x45, 0xDF, 0xA3, 0xA3, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88, .. "matroska"u8], FileKind.Video, "video/x-matroska", ".mkv" },
        { "avi", [.. "RIFF"u8, 0, 0, 0, 0, .. "AVI "u8, .. "LIST"u8], FileKind.Video, "video/x-msvideo", ".avi" },
        { "gzip", [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0], FileKind.Archive, "application/gzip", ".gz" },
        { "text", Encoding.UTF8.GetBytes("hello, world — naïve café\n"), FileKind.Other, "text/plain", ".txt" },
        { "svg", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), FileKind.Other, "image/svg+xml", ".svg" },
        { "random bytes", FileCorpus.RandomBytes(), FileKind.Other, "application/octet-stream", "" },
        { "empty", [], FileKind.Other, "application/octet-stream", "" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sniff_KnownFormat_ReturnsItsKindMimeTypeAndExtension(string sample, byte[] content, FileKind kind, string mimeType, string extension)
    {
        var sniffed = FileTypeSniffer.Sniff(content);

        Assert.Equal((kind, mimeType, extension), (sniffed.Kind, sniffed.MimeType, sniffed.Extension));
        Assert.False(sniffed.DeclaredMismatch, sample);
    }

    [Fact]
    public void Sniff_RandomBytesDeclaredAsPng_IsNotAnImageAndReportsTheMismatch()
    {
        var sniffed = FileTypeSniffer.Sniff(FileCorpus.RandomBytes(), "image/png");

        Assert.Equal(FileKind.Other, sniffed.Kind);
        Assert.Equal("application/octet-stream", sniffed.MimeType);
        Assert.True(sniffed.DeclaredMismatch);
        Assert.Equal("image/png", sniffed.DeclaredMimeType);
    }

    [Fact]
    public void Sniff_PngDeclaredAsJpeg_PicksPngAndReportsTheMismatch()
    {
        var sniffed = FileTypeSniffer.Sniff(FileCorpus.Png(), "image/jpeg");

        Assert.Equal("image/png", sniffed.MimeType);
        Assert.True(sniffed.DeclaredMismatch);
    }

    [Theory]
    [InlineData("image/jpeg")]
    [InlineData("IMAGE/JPG")]
    [InlineData("image/pjpeg; charset=binary")]
    [InlineData("application/octet-stream")]
    [InlineData("")]
    [InlineData(null)]
    public void Sniff_JpegWithAnAliasOrNoClaim_IsNoMismatch(string? declared)
    {
        Assert.False(FileTypeSniffer.Sniff(FileCorpus.JpegWithOrientation(16, 16, 1), declared).DeclaredMismatch);
    }

    [Theory]
    [InlineData("text/csv")]
    [InlineData("application/json")]
    [InlineData("text/markdown")]
    public void Sniff_TextDeclaredAsATextFormat_IsNoMismatch(string declared)
    {
        Assert.False(FileTypeSniffer.Sniff("a,b\n1,2\n"u8, declared).DeclaredMismatch);
    }

    [Theory]
    [InlineData("video/quicktime")]
    [InlineData("audio/mp4")]
    [InlineData("video/x-m4v")]
    public void Sniff_Mp4DeclaredAsAnotherIsoMediaType_IsNoMismatch(string declared)
    {
        Assert.False(FileTypeSniffer.Sniff(FileCorpus.Mp4(1000, 16, 16), declared).DeclaredMismatch);
    }

    [Fact]
    public void Sniff_DocxDeclaredAsDocxOrZip_IsNoMismatchButAsPdfIs()
    {
        var docx = FileCorpus.Docx();

        Assert.False(FileTypeSniffer.Sniff(docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document").DeclaredMismatch);
        Assert.False(FileTypeSniffer.Sniff(docx, "application/zip").DeclaredMismatch);
        Assert.True(FileTypeSniffer.Sniff(docx, "application/pdf").DeclaredMismatch);
    }

    [Fact]
    public void Sniff_TextDeclaredAsAnImage_IsAMismatch()
    {
        Assert.True(FileTypeSniffer.Sniff("<script>alert(1)</script>"u8, "image/gif").DeclaredMismatch);
    }

    [Fact]
    public void Sniff_TextStartingWithBm_IsTextNotBmp()
    {
        Assert.Equal("text/plain", FileTypeSniffer.Sniff("BMW owners club minutes, 12 March\n"u8).MimeType);
    }

    [Fact]
    public void Sniff_HeadLongerThanHeadLength_LooksOnlyAtTheHead()
    {
        byte[] content = [.. Encoding.ASCII.GetBytes(new string('a', FileTypeSniffer.HeadLength)), 0x00, 0x01];

        Assert.Equal("text/plain", FileTypeSniffer.Sniff(content).MimeType);
    }

    [Fact]
    public void Sniff_Utf8CutMidCharacterAtTheHeadEnd_IsStillText()
    {
        var text = Encoding.UTF8.GetBytes(new string('é', FileTypeSniffer.HeadLength));

        Assert.Equal("text/plain", FileTypeSniffer.Sniff(text.AsSpan(0, FileTypeSniffer.HeadLength - 1)).MimeType);
    }

    private static byte[] IsoHead(string majorBrand, string compatibleBrands)
    {
        var size = 16 + compatibleBrands.Length;
        return [0, 0, 0, (byte)size, .. "ftyp"u8, .. Encoding.ASCII.GetBytes(majorBrand), 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(compatibleBrands)];
    }
}
