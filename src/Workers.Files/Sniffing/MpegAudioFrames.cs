namespace QuikApp.Workers.Files.Sniffing;

/// <summary>Recognises MPEG audio (MP3) and ADTS (AAC) streams that start with a frame rather than an ID3 tag.</summary>
/// <remarks>
/// A frame header is only eleven set bits and a few fields, which random bytes match about once in ten thousand; so
/// the header must be valid and, when the next frame starts inside the head, that frame must start with a sync too.
/// </remarks>
internal static class MpegAudioFrames
{
    // Kilobits per second by bitrate index; index 0 is "free format" and 15 is invalid (rejected before lookup).
    private static readonly int[] Mpeg1Layer1 = [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448];
    private static readonly int[] Mpeg1Layer2 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384];
    private static readonly int[] Mpeg1Layer3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] Mpeg2Layer1 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256];
    private static readonly int[] Mpeg2Layer23 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

    /// <summary>True when <paramref name="head"/> starts with a plausible MPEG audio or ADTS frame; <paramref name="isAdts"/> tells which.</summary>
    public static bool TryRead(ReadOnlySpan<byte> head, out bool isAdts)
    {
        isAdts = false;
        if (head.Length < 4 || head[0] != 0xFF || (head[1] & 0xE0) != 0xE0)
        {
            return false;
        }

        var version = (head[1] >> 3) & 0x3; // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
        var layer = (head[1] >> 1) & 0x3;   // 0: ADTS (AAC) when version is MPEG-2/4, 1: III, 2: II, 3: I
        if (layer == 0)
        {
            isAdts = (head[1] & 0xF6) == 0xF0;
            return isAdts && TryAdtsFrameLength(head, out var adtsLength) && NextFrameSyncs(head, adtsLength);
        }

        var bitrateIndex = head[2] >> 4;
        var sampleRateIndex = (head[2] >> 2) & 0x3;
        if (version == 1 || bitrateIndex is 0 or 15 || sampleRateIndex == 3 || (head[3] & 0x3) == 2)
        {
            return false;
        }

        var bitrate = (version, layer) switch
        {
            (3, 3) => Mpeg1Layer1[bitrateIndex],
            (3, 2) => Mpeg1Layer2[bitrateIndex],
            (3, 1) => Mpeg1Layer3[bitrateIndex],
            (_, 3) => Mpeg2Layer1[bitrateIndex],
            _ => Mpeg2Layer23[bitrateIndex],
        } * 1000;
        var mpeg1SampleRate = sampleRateIndex switch { 0 => 44100, 1 => 48000, _ => 32000 };
        var sampleRate = mpeg1SampleRate >> (version switch { 3 => 0, 2 => 1, _ => 2 }); // MPEG-2 halves, MPEG-2.5 quarters
        var padding = (head[2] >> 1) & 0x1;
        var frameLength = layer switch
        {
            3 => ((12 * bitrate / sampleRate) + padding) * 4,
            1 when version != 3 => (72 * bitrate / sampleRate) + padding,
            _ => (144 * bitrate / sampleRate) + padding,
        };
        return NextFrameSyncs(head, frameLength);
    }

    private static bool TryAdtsFrameLength(ReadOnlySpan<byte> head, out int length)
    {
        length = head.Length >= 6 ? ((head[3] & 0x3) << 11) | (head[4] << 3) | (head[5] >> 5) : 0;
        return length >= 7;
    }

    private static bool NextFrameSyncs(ReadOnlySpan<byte> head, int frameLength)
    {
        if (frameLength < 4)
        {
            return false;
        }

        // Beyond the head there is nothing more to check; the first header alone has to do.
        return frameLength + 2 > head.Length || (head[frameLength] == 0xFF && (head[frameLength + 1] & 0xE0) == 0xE0);
    }
}
