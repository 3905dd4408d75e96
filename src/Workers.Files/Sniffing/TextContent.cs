using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace QuikApp.Workers.Files.Sniffing;

/// <summary>Decides whether leading bytes are text: UTF-8 (the head may end mid-character) or UTF-16 with a byte-order mark, without control bytes.</summary>
internal static class TextContent
{
    public static bool IsText(ReadOnlySpan<byte> head)
    {
        if (StartsWith(head, [0xFF, 0xFE]) || StartsWith(head, [0xFE, 0xFF]))
        {
            return IsUtf16Text(head[2..], littleEndian: head[0] == 0xFF);
        }

        if (StartsWith(head, [0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        foreach (var b in head)
        {
            if (IsControl(b))
            {
                return false;
            }
        }

        var chars = ArrayPool<char>.Shared.Rent(head.Length);
        try
        {
            // Not the final block: the head is a prefix of the file, so a character cut in half at its end is fine.
            var status = Utf8.ToUtf16(head, chars, out _, out _, replaceInvalidSequences: false, isFinalBlock: false);
            return status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static bool IsUtf16Text(ReadOnlySpan<byte> body, bool littleEndian)
    {
        for (var i = 0; i + 1 < body.Length; i += 2)
        {
            var unit = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(body[i..]) : BinaryPrimitives.ReadUInt16BigEndian(body[i..]);
            if (unit < 0x80 && IsControl((byte)unit))
            {
                return false;
            }
        }

        return true;
    }

    // NUL and the C0 controls other than tab, line feed, form feed, carriage return and escape do not occur in text.
    private static bool IsControl(byte b) => b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or 0x0C or (byte)'\r' or 0x1B);

    private static bool StartsWith(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.StartsWith(magic);
}
