using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>One labelled message of the bootstrap corpus.</summary>
public sealed record SpamCorpusRow(string Id, bool IsSpam, string Group, string Text);

/// <summary>
/// The bootstrap training file (Data/Spam/spamassassin.tsv.gz, written by tools/spam-model/prepare-corpus.mjs):
/// its rows and the SHA-256 of its uncompressed content.
/// </summary>
public sealed record SpamCorpus(IReadOnlyList<SpamCorpusRow> Rows, string ContentSha256)
{
    /// <summary>Where the file sits in the repository (and, linked, in the test output).</summary>
    public const string RelativePath = "src/Workers.Moderation/Data/Spam/spamassassin.tsv.gz";

    public IReadOnlyList<(string Text, bool IsSpam)> Examples => Rows.Select(r => (r.Text, r.IsSpam)).ToList();

    public static async Task<SpamCorpus> ReadAsync(Stream gzip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gzip);
        using var content = new MemoryStream();
        await using (var unzip = new GZipStream(gzip, CompressionMode.Decompress, leaveOpen: true))
        {
            await unzip.CopyToAsync(content, cancellationToken);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length)));
        return new SpamCorpus(Parse(Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length)), hash);
    }

    public static async Task<SpamCorpus> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return await ReadAsync(file, cancellationToken);
    }

    private static List<SpamCorpusRow> Parse(string tsv)
    {
        var lines = tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != "id\tlabel\tgroup\ttext")
        {
            throw new InvalidDataException("spam corpus: expected the header 'id, label, group, text'");
        }

        var rows = new List<SpamCorpusRow>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split('\t');
            if (fields.Length != 4 || fields[1] is not ("spam" or "ham"))
            {
                throw new InvalidDataException($"spam corpus line {i + 1}: expected 4 tab-separated fields with label spam or ham");
            }

            rows.Add(new SpamCorpusRow(fields[0], fields[1] == "spam", fields[2], fields[3]));
        }

        return rows;
    }
}
