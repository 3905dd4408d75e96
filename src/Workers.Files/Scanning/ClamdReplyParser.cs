using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace QuikApp.Workers.Files.Scanning;

/// <summary>Reads clamd's NUL-terminated replies (z-prefixed commands) into verdicts; no I/O.</summary>
/// <remarks>
/// <para>
/// Strict on purpose: only <c>stream: OK</c> is clean. Anything clamd did not finish saying (no NUL), did not say
/// about the stream, or that we do not recognise is an error, because a misread reply must never pass a file.
/// </para>
/// <para>
/// The heuristics clamd raises when it could not look at everything (<c>Heuristics.Limits.Exceeded.*</c> with
/// AlertExceedsMax, <c>Heuristics.Encrypted.*</c> with AlertEncrypted) are errors, not infections: they say "no
/// verdict", which is what <see cref="Shared.Events.FileScanStatus.Error"/> means.
/// </para>
/// </remarks>
public static class ClamdReplyParser
{
    public const byte Terminator = 0;

    private const string StreamPrefix = "stream: ";
    private const string FoundSuffix = " FOUND";
    private const string ErrorSuffix = " ERROR";
    private const string CleanReply = StreamPrefix + "OK";
    private const int MaxQuotedLength = 120;

    private static readonly string[] NoVerdictSignaturePrefixes = ["Heuristics.Limits.Exceeded.", "Heuristics.Encrypted."];

    /// <summary>
    /// The verdict in the reply to INSTREAM: <paramref name="reply"/> is every byte received, up to and including the
    /// first NUL, or all of them when the connection closed before one.
    /// </summary>
    public static ClamdScanResult ParseScanReply(ReadOnlySpan<byte> reply)
    {
        if (!TryReadReply(reply, out var text))
        {
            return reply.IsEmpty
                ? ClamdScanResult.Error("clamd closed the connection without a reply")
                : ClamdScanResult.Error($"clamd's reply ended before its NUL terminator: '{Quote(Decode(reply))}'");
        }

        text = text.Trim();
        if (text == CleanReply)
        {
            return ClamdScanResult.Clean;
        }

        if (text.StartsWith(StreamPrefix, StringComparison.Ordinal) && text.EndsWith(FoundSuffix, StringComparison.Ordinal))
        {
            var signature = text[StreamPrefix.Length..^FoundSuffix.Length].Trim();
            if (signature.Length > 0 && !signature.Any(char.IsControl))
            {
                return NoVerdictSignaturePrefixes.Any(prefix => signature.StartsWith(prefix, StringComparison.Ordinal))
                    ? ClamdScanResult.Error($"clamd could not scan all of it: {signature}")
                    : ClamdScanResult.Infected(signature);
            }
        }

        if (text.EndsWith(ErrorSuffix, StringComparison.Ordinal) || text == ErrorSuffix.Trim())
        {
            var message = text[..^ErrorSuffix.Trim().Length].Trim();
            if (message.StartsWith(StreamPrefix, StringComparison.Ordinal))
            {
                message = message[StreamPrefix.Length..].Trim();
            }

            return ClamdScanResult.Error(message.Length == 0 ? "clamd: ERROR" : $"clamd: {Quote(message)}");
        }

        return ClamdScanResult.Error($"unexpected clamd reply: '{Quote(text)}'");
    }

    /// <summary>The text before the first NUL of <paramref name="reply"/>; false when there is no NUL (the reply is incomplete).</summary>
    public static bool TryReadReply(ReadOnlySpan<byte> reply, [NotNullWhen(true)] out string? text)
    {
        var end = reply.IndexOf(Terminator);
        if (end < 0)
        {
            text = null;
            return false;
        }

        text = Decode(reply[..end]);
        return true;
    }

    /// <summary>
    /// <paramref name="text"/> made safe to log and store: control characters replaced, cut to a readable length
    /// (a peer that is not clamd can send anything).
    /// </summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, MaxQuotedLength + 1));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxQuotedLength)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        if (text.Length > MaxQuotedLength)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
