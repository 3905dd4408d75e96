using System.IO.Compression;
using System.Text;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

public sealed class SpamCorpusTests
{
    [Fact(Timeout = 10_000)]
    public async Task ReadAsync_GzippedTsv_ParsesRowsAndHashesTheUncompressedContent()
    {
        const string Tsv = "id\tlabel\tgroup\ttext\nspam-1/00001.ab\tspam\tspam-1\tWIN NOW\neasy-ham-1/00001.cd\tham\teasy-ham-1\tsee you at 10\n";

        var corpus = await SpamCorpus.ReadAsync(Gzip(Tsv), TestContext.Current.CancellationToken);

        Assert.Equal(
            [new SpamCorpusRow("spam-1/00001.ab", true, "spam-1", "WIN NOW"), new SpamCorpusRow("easy-ham-1/00001.cd", false, "easy-ham-1", "see you at 10")],
            corpus.Rows);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Tsv))), corpus.ContentSha256);
    }

    [Theory(Timeout = 10_000)]
    [InlineData("label\ttext\nspam\tWIN\n")]
    [InlineData("id\tlabel\tgroup\ttext\nx\tmaybe\tg\tWIN\n")]
    [InlineData("id\tlabel\tgroup\ttext\nx\tspam\tWIN\n")]
    public async Task ReadAsync_MalformedFile_IsRefused(string tsv) =>
        await Assert.ThrowsAsync<InvalidDataException>(() => SpamCorpus.ReadAsync(Gzip(tsv), TestContext.Current.CancellationToken));

    private static MemoryStream Gzip(string text)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        buffer.Position = 0;
        return buffer;
    }
}
