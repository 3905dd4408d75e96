using System.Security.Cryptography;
using System.Text;
using QuikApp.Workers.Moderation.Scoring.Text;

namespace QuikApp.Workers.Moderation.Scoring;

/// <summary>The seed's <c>contentHash</c>: SHA-256 (lower-case hex) of the text in its hash form (<see cref="TextNormalizer.NormalizeForHash"/>).</summary>
public static class ContentHash
{
    public static string Of(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var normalized = TextNormalizer.NormalizeForHash(content);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalized), hash);
        return Convert.ToHexStringLower(hash);
    }
}
