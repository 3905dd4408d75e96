using System.Buffers.Binary;
using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Metadata;

namespace QuikApp.Workers.Files.Tests.Metadata;

public sealed class WaveDurationTests
{
    [Theory]
    [InlineData(2.5, 8000, 1)]
    [InlineData(1.0, 44100, 2)]
    [InlineData(0.25, 48000, 2)]
    public void Read_PcmWav_IsDataBytesOverByteRate(double seconds, int sampleRate, int channels)
    {
        var duration = WaveDuration.Read(FileCorpus.Wav(seconds, sampleRate, channels), out var note);

        Assert.Null(note);
        Assert.Equal(seconds, duration!.Value, precision: 3);
    }

    [Fact]
    public void Read_ChunkBeforeData_IsSkippedIncludingItsPadByte()
    {
        var wav = FileCorpus.Wav(1.0);
        // Insert an odd-sized LIST chunk (3 bytes + pad) between fmt and data.
        byte[] list = [.. "LIST"u8, 3, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 0];
        byte[] withList = [.. wav[..36], .. list, .. wav[36..]];

        Assert.Equal(1.0, WaveDuration.Read(withList, out _)!.Value, precision: 3);
    }

    [Fact]
    public void Read_StreamingWriterSizeLeftAtMax_UsesTheBytesPresent()
    {
        var wav = FileCorpus.Wav(2.0);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), uint.MaxValue);

        Assert.Equal(2.0, WaveDuration.Read(wav, out _)!.Value, precision: 3);
    }

    [Fact]
    public void Read_HeaderOnlyCutBeforeData_ReturnsNullWithANote()
    {
        var duration = WaveDuration.Read(FileCorpus.Wav(1.0).AsSpan(0, 36), out var note);

        Assert.Null(duration);
        Assert.Equal("duration: WAV has no data chunk", note);
    }

    [Fact]
    public void Read_NotRiff_ReturnsNullWithANote()
    {
        Assert.Null(WaveDuration.Read("hello"u8, out var note));
        Assert.Equal("duration: not a RIFF/WAVE file", note);
    }
}
