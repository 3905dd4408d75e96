using System.Security.Cryptography;
using Mono.Unix.Native;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Shared.Tests.Storage;

/// <summary>The local-directory store: round trips, atomic replacement, and confinement of untrusted keys to the root.</summary>
public sealed class LocalDirectoryObjectStoreTests : IDisposable
{
    private readonly string _root = Path.Join(Path.GetTempPath(), $"quikapp-local-store-{Guid.NewGuid():N}");
    private readonly LocalDirectoryObjectStore _store;

    public LocalDirectoryObjectStoreTests()
    {
        _store = new LocalDirectoryObjectStore(_root);
    }

    [Theory(Timeout = 10_000)]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(2 * 1024 * 1024 + 3)]
    public async Task PutThenOpenRead_AnySize_ReturnsTheSameBytesAndStatReportsTheSize(int size)
    {
        var ct = TestContext.Current.CancellationToken;
        var location = Local("workspaces/w1/files/a.bin");
        var bytes = RandomNumberGenerator.GetBytes(size);

        await _store.PutAsync(location, new MemoryStream(bytes), "application/octet-stream", ct);
        var info = await _store.StatAsync(location, ct);

        Assert.NotNull(info);
        Assert.Equal(size, info.Size);
        Assert.Null(info.ContentType);
        Assert.NotNull(info.LastModified);
        Assert.Equal(bytes, await S3ObjectStoreTests.ReadAllAsync(_store, location, ct));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Join(_root, "files", "workspaces", "w1", "files", "a.bin"), ct));
    }

    [Fact(Timeout = 10_000)]
    public async Task Put_Existing_ReplacesItAndLeavesNoTemporaryFiles()
    {
        var ct = TestContext.Current.CancellationToken;
        var location = Local("thumbs/w/f.webp");
        await _store.PutAsync(location, new MemoryStream([1, 1, 1, 1]), "image/webp", ct);

        await _store.PutAsync(location, new MemoryStream([2, 2]), "image/webp", ct);

        Assert.Equal([2, 2], await S3ObjectStoreTests.ReadAllAsync(_store, location, ct));
        Assert.Equal(["f.webp"], Directory.GetFiles(Path.Join(_root, "files", "thumbs", "w")).Select(Path.GetFileName));
    }

    [Fact(Timeout = 10_000)]
    public async Task Put_SourceFailsHalfway_KeepsThePreviousObjectWhole()
    {
        var ct = TestContext.Current.CancellationToken;
        var location = Local("thumbs/w/f.webp");
        await _store.PutAsync(location, new MemoryStream([9, 9, 9]), "image/webp", ct);

        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync(location, new FailingStream(bytesBeforeFailure: 100_000), "image/webp", ct));

        Assert.Equal([9, 9, 9], await S3ObjectStoreTests.ReadAllAsync(_store, location, ct));
        Assert.Single(Directory.GetFiles(Path.Join(_root, "files", "thumbs", "w")));
    }

    [Fact(Timeout = 10_000)]
    public async Task Stat_MissingObjectOrBucket_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await _store.StatAsync(Local("nope.bin"), ct));
        Assert.Null(await _store.StatAsync(new ObjectLocation("local", "no-bucket", "nope.bin"), ct));
    }

    [Fact(Timeout = 10_000)]
    public async Task Stat_KeyNamingADirectory_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        await _store.PutAsync(Local("dir/file.bin"), new MemoryStream([1]), "application/octet-stream", ct);

        Assert.Null(await _store.StatAsync(Local("dir"), ct));
    }

    [Fact(Timeout = 10_000)]
    public async Task OpenRead_Missing_ThrowsObjectNotFound()
    {
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<ObjectNotFoundException>(() => _store.OpenReadAsync(Local("missing/x.bin"), ct));
    }

    [Fact(Timeout = 10_000)]
    public async Task Delete_ExistingThenAgain_ReturnsTrueThenFalse()
    {
        var ct = TestContext.Current.CancellationToken;
        var location = Local("a.bin");
        await _store.PutAsync(location, new MemoryStream([1]), "application/octet-stream", ct);

        Assert.True(await _store.DeleteAsync(location, ct));
        Assert.False(await _store.DeleteAsync(location, ct));
    }

    [Fact(Timeout = 10_000)]
    public async Task Move_ToAnotherBucket_MovesAndIsIdempotentWhenRerun()
    {
        var ct = TestContext.Current.CancellationToken;
        var from = Local("w/f.pdf");
        var to = new ObjectLocation("local", "quarantine", "quarantine/local/files/w/f.pdf");
        await _store.PutAsync(from, new MemoryStream([4, 5]), "application/pdf", ct);

        await _store.MoveAsync(from, to, ct);
        await _store.MoveAsync(from, to, ct);

        Assert.Null(await _store.StatAsync(from, ct));
        Assert.Equal([4, 5], await S3ObjectStoreTests.ReadAllAsync(_store, to, ct));
    }

    [Fact(Timeout = 10_000)]
    public async Task Move_SourceAndTargetMissing_ThrowsObjectNotFound()
    {
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<ObjectNotFoundException>(() => _store.MoveAsync(Local("x"), Local("y"), ct));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("a/../b")]
    [InlineData("a\0b")]
    [InlineData("a/./b")]
    [InlineData("./a")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("..")]
    [InlineData("a\\..\\..\\b")]
    [InlineData("a\nb")]
    [InlineData("")]
    public async Task AnyOperation_KeyLeavingOrAliasingItsBucket_IsRejectedWithoutTouchingTheDisk(string key)
    {
        var ct = TestContext.Current.CancellationToken;
        var location = Local(key);

        await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.StatAsync(location, ct));
        await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.OpenReadAsync(location, ct));
        await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.PutAsync(location, new MemoryStream([1]), "text/plain", ct));
        await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.DeleteAsync(location, ct));
        Assert.False(Directory.Exists(_root));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("a\\b")]
    public async Task AnyOperation_BucketThatIsNotOneDirectoryName_IsRejected(string bucket)
    {
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.StatAsync(new ObjectLocation("local", bucket, "x"), ct));
    }

    [Fact(Timeout = 10_000)]
    public async Task Put_PercentEncodedDots_AreTakenLiterallyAsAFileName()
    {
        var ct = TestContext.Current.CancellationToken;

        await _store.PutAsync(Local("%2e%2e/%2e%2e/x"), new MemoryStream([1]), "text/plain", ct);

        Assert.True(File.Exists(Path.Join(_root, "files", "%2e%2e", "%2e%2e", "x")));
    }

    [Fact(Timeout = 10_000)]
    public async Task AnyOperation_PathThroughASymbolicLinkOutOfTheRoot_IsRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        var outside = Path.Join(Path.GetTempPath(), $"quikapp-outside-{Guid.NewGuid():N}");
        Directory.CreateDirectory(outside);
        try
        {
            await File.WriteAllTextAsync(Path.Join(outside, "secret.txt"), "secret", ct);
            Directory.CreateDirectory(Path.Join(_root, "files"));
            Directory.CreateSymbolicLink(Path.Join(_root, "files", "escape"), outside);

            await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.OpenReadAsync(Local("escape/secret.txt"), ct));
            await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.PutAsync(Local("escape/new.txt"), new MemoryStream([1]), "text/plain", ct));
            Assert.False(File.Exists(Path.Join(outside, "new.txt")));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task Put_DanglingSymbolicLinkAsTheKey_IsRejectedAndNothingIsCreatedOutside()
    {
        var ct = TestContext.Current.CancellationToken;
        var target = Path.Join(Path.GetTempPath(), $"quikapp-dangling-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Join(_root, "files"));
        File.CreateSymbolicLink(Path.Join(_root, "files", "link.bin"), target);

        await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.PutAsync(Local("link.bin"), new MemoryStream([1]), "text/plain", ct));

        Assert.False(File.Exists(target));
    }

    [Fact(Timeout = 10_000)]
    public async Task OpenReadAndStat_AFifoPlantedInTheRoot_AreRefusedAtOnceWithoutBlocking()
    {
        // open(2) on a FIFO with no writer blocks forever, and held the worker's memory slot with it (issue 12, defect 2).
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Join(_root, "files", "fifo.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Assert.Equal(0, Syscall.mkfifo(path, FilePermissions.DEFFILEMODE));

        var open = Task.Run(() => _store.OpenReadAsync(Local("fifo.png"), ct), ct);
        var refused = await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => open.WaitAsync(TimeSpan.FromSeconds(5), ct));
        Assert.Contains("a FIFO", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.StatAsync(Local("fifo.png"), ct));
    }

    [Fact(Timeout = 10_000)]
    public async Task OpenReadAndStat_AHardLinkToAFileOutsideTheRoot_AreRefused()
    {
        // The symbolic-link check cannot see a hard link: it made a file outside the root readable (issue 12, defect 5).
        var ct = TestContext.Current.CancellationToken;
        var outside = Path.Join(Path.GetTempPath(), $"quikapp-outside-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(outside, [0x89, 0x50, 0x4e, 0x47], ct);
        try
        {
            var path = Path.Join(_root, "files", "linked.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Assert.SkipWhen(Syscall.link(outside, path) != 0, $"the temp directory and the root are on different file systems ({Stdlib.GetLastError()})");

            var refused = await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.OpenReadAsync(Local("linked.png"), ct));
            Assert.Contains("2 hard links", refused.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.StatAsync(Local("linked.png"), ct));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task OpenRead_ACharacterDevicePlantedInTheRoot_IsRefused()
    {
        // A device stats as 0 bytes and reads without end (issue 12, defect 3).
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Join(_root, "files", "zero.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // /dev/zero is character device 1:5; creating one needs CAP_MKNOD (root in most containers).
        Assert.SkipWhen(Syscall.mknod(path, FilePermissions.S_IFCHR | FilePermissions.DEFFILEMODE, (1UL << 8) | 5) != 0,
            $"mknod is not permitted here ({Stdlib.GetLastError()})");

        var refused = await Assert.ThrowsAsync<ObjectLocationRejectedException>(() => _store.OpenReadAsync(Local("zero.bin"), ct));
        Assert.Contains("a character device", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static ObjectLocation Local(string key) => new("local", "files", key);

    /// <summary>Yields zeros, then fails like a dropped upstream connection.</summary>
    private sealed class FailingStream(int bytesBeforeFailure) : Stream
    {
        private int _left = bytesBeforeFailure;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left == 0)
            {
                throw new IOException("upstream connection reset");
            }

            var n = Math.Min(count, _left);
            Array.Clear(buffer, offset, n);
            _left -= n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
