using QuikApp.Workers.Files.Processing;

namespace QuikApp.Workers.Files.Tests.Processing;

/// <summary>
/// Reading an original never takes more than clamd's limit, whatever the stat said: a device statted as 0 bytes once
/// pulled 256 MiB into memory (issue 12, defect 3).
/// </summary>
public sealed class OriginalContentTests
{
    private const long ClamdLimit = 1024 * 1024;

    [Fact(Timeout = 30_000)]
    public async Task ReadAsync_EndlessSourceStattedAsEmpty_StopsAtTheLimitAndReadsNothingMore()
    {
        var source = new EndlessStream();

        await using var content = await OriginalContent.ReadAsync(source, length: 0, inMemoryLimit: 64 * 1024 * 1024, ClamdLimit,
            TestContext.Current.CancellationToken);

        Assert.False(content.IsReadable);
        Assert.True(content.Length > ClamdLimit);
        Assert.InRange(source.Served, ClamdLimit, ClamdLimit + 1);
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadAsync_EndlessSourceLargerThanTheMemoryLimit_StopsAtTheLimitAndLeavesNoSpool()
    {
        var spools = Directory.GetFiles(Path.GetTempPath(), "quikapp-original-*").Length;
        var source = new EndlessStream();

        await using var content = await OriginalContent.ReadAsync(source, length: 10_000_000, inMemoryLimit: 1024, ClamdLimit,
            TestContext.Current.CancellationToken);

        Assert.False(content.IsReadable);
        Assert.InRange(source.Served, ClamdLimit, ClamdLimit + 1);
        Assert.True(Directory.GetFiles(Path.GetTempPath(), "quikapp-original-*").Length <= spools);
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadAsync_SourceGrewPastTheMemoryLimitButNotClamds_ThrowsTransientSoARetryStatsAgain()
    {
        var source = new MemoryStream(new byte[5_000]);

        await Assert.ThrowsAsync<IOException>(() => OriginalContent.ReadAsync(source, length: 100, inMemoryLimit: 1_000, ClamdLimit,
            TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadAsync_SourceAsLongAsTheStat_IsHeldWhole()
    {
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();

        await using var content = await OriginalContent.ReadAsync(new MemoryStream(bytes), bytes.Length, inMemoryLimit: 1_000_000, ClamdLimit,
            TestContext.Current.CancellationToken);

        Assert.Equal(bytes, content.Bytes);
    }

    /// <summary>A stream that never ends (as /dev/zero), counting what it served.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
