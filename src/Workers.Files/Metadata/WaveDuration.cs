using System.Buffers.Binary;

namespace QuikApp.Workers.Files.Metadata;

/// <summary>Reads a WAV file's duration from its RIFF chunks: data bytes ÷ byte rate (PCM), or the fact chunk's sample count ÷ sample rate.</summary>
/// <remarks>MetadataExtractor reads the fmt chunk but not the data chunk's length, which is the other half of a duration.</remarks>
public static class WaveDuration
{
    /// <summary>The duration in seconds, or null with <paramref name="note"/> saying why it cannot be known.</summary>
    public static double? Read(ReadOnlySpan<byte> content, out string? note)
    {
        note = null;
        if (content.Length < 12 || !content.StartsWith("RIFF"u8) || !content[8..12].SequenceEqual("WAVE"u8))
        {
            note = "duration: not a RIFF/WAVE file";
            return null;
        }

        uint? byteRate = null;
        uint? sampleRate = null;
        uint? factSamples = null;
        long? dataBytes = null;
        var formatTag = 0;

        var offset = 12;
        while (offset + 8 <= content.Length)
        {
            var id = content.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(content.Slice(offset + 4, 4));
            var body = content[(offset + 8)..];

            if (id.SequenceEqual("fmt "u8) && body.Length >= 16)
            {
                formatTag = BinaryPrimitives.ReadUInt16LittleEndian(body);
                sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
            }
            else if (id.SequenceEqual("fact"u8) && body.Length >= 4)
            {
                factSamples = BinaryPrimitives.ReadUInt32LittleEndian(body);
            }
            else if (id.SequenceEqual("data"u8))
            {
                // A streaming writer that never went back leaves 0 or 0xFFFFFFFF; the bytes present are then the data.
                dataBytes = size is 0 or uint.MaxValue ? body.Length : Math.Min(size, (long)body.Length);
                break;
            }

            // Chunks are padded to an even length.
            var next = offset + 8L + size + (size & 1);
            if (next > content.Length)
            {
                break;
            }

            offset = (int)next;
        }

        // PCM (1) and IEEE float (3), and extensible: the byte rate is exact. Compressed formats need the fact chunk.
        if (formatTag is not (1 or 3 or 0xFFFE) && factSamples is { } samples && sampleRate is > 0)
        {
            return (double)samples / sampleRate.Value;
        }

        if (byteRate is null or 0)
        {
            note = "duration: WAV has no usable fmt chunk";
            return null;
        }

        if (dataBytes is null)
        {
            note = "duration: WAV has no data chunk";
            return null;
        }

        return (double)dataBytes.Value / byteRate.Value;
    }
}
