using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace QuikApp.Workers.Moderation.Tests.Scoring;

/// <summary>Reads a corpus file from Scoring/Corpora: one message per line, # comments, \uXXXX escapes decoded.</summary>
internal static partial class Corpus
{
    public static IReadOnlyList<string> Read(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Scoring", "Corpora", name);
        return [.. File.ReadLines(path, Encoding.UTF8)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => Escape().Replace(line, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString()))];
    }

    public static TheoryData<string> Lines(string name) => new(Read(name));

    [GeneratedRegex(@"\\u([0-9A-Fa-f]{4})")]
    private static partial Regex Escape();
}
