using System.IO.Compression;
using System.Text;

namespace QuikApp.Workers.DevStack.Samples;

/// <summary>The EICAR anti-virus test file and containers of it, built at run time.</summary>
/// <remarks>
/// The 68-byte EICAR string is kept reversed: written as is, scanners and mail filters flag the source file, the
/// built assembly and clones of this repository.
/// </remarks>
public static class EicarTestFile
{
    private const string Reversed = @"*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\4[PA@%P!O5X";

    public static byte[] Bytes()
    {
        var bytes = Encoding.ASCII.GetBytes(Reversed);
        Array.Reverse(bytes);
        return bytes;
    }

    /// <summary>A zip archive holding the EICAR file as <c>eicar.com</c>, deflated so its bytes never appear as such.</summary>
    public static byte[] Zipped() => Zip(("eicar.com", Bytes()));

    /// <summary>
    /// A small zip that unpacks to more than <paramref name="padding"/> bytes of zeros before the EICAR file: what a
    /// scanner with unpacking limits never reaches.
    /// </summary>
    public static byte[] ZippedBehind(long padding) => Zip(("padding.bin", new byte[padding]), ("eicar.com", Bytes()));

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entryStream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entryStream.Write(content);
            }
        }

        return buffer.ToArray();
    }
}
