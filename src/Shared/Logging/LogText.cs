using System.Text;
using System.Text.RegularExpressions;

namespace QuikApp.Workers.Shared.Logging;

/// <summary>Makes untrusted or infrastructure text fit for a log line or a health response.</summary>
public static partial class LogText
{
    /// <summary>
    /// At most <paramref name="maxLength"/> characters of <paramref name="text"/>, control characters shown as <c>\uXXXX</c>
    /// (a key from a document can hold anything, and a newline would forge a log line).
    /// </summary>
    public static string Bounded(string? text, int maxLength = 300)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                return builder.Append('…').ToString();
            }

            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> without network addresses (<c>host:port</c>, <c>ipv4#…</c>, <c>ipv6#…</c>): health output
    /// is often public, and broker addresses are the cluster's layout. Bounded as <see cref="Bounded"/>.
    /// </summary>
    public static string WithoutAddresses(string? text, int maxLength = 300) =>
        Bounded(text is null ? null : Address().Replace(text, "<broker>"), maxLength);

    [GeneratedRegex(@"(ipv[46]#)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.\-]*):\d{1,5}(/\d+|/bootstrap)?")]
    private static partial Regex Address();
}
