using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Files.Tests.ClamAV;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.Scanning;

/// <summary>The clamd client against a real clamd loaded with the repository's test signatures.</summary>
public sealed class ClamdClientTests(ClamdFixture clamd, ITestOutputHelper output) : IClassFixture<ClamdFixture>
{
    [Fact(Timeout = 30_000)]
    public async Task PingAsync_ClamdRunning_Completes()
    {
        using var client = clamd.CreateClient();

        await client.PingAsync(TestContext.Current.CancellationToken);

        output.WriteLine($"clamd answered its first PING {clamd.StartupTime.TotalMilliseconds:0} ms after start");
    }

    [Fact(Timeout = 30_000)]
    public async Task VersionAsync_ClamdRunning_ReturnsTheEngineString()
    {
        using var client = clamd.CreateClient();

        var engine = await client.VersionAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("ClamAV 1.", engine, StringComparison.Ordinal);
        output.WriteLine(engine);
    }

    [Fact]
    public void RefuseByLength_OverMaxStreamLength_IsTheErrorAScanWouldGive_AndNothingAtOrBelow()
    {
        using var client = clamd.CreateClient();

        var refused = client.RefuseByLength(ClamdFixture.StreamMaxLength + 1);

        Assert.Equal(FileScanStatus.Error, refused?.Status);
        Assert.StartsWith("the stream exceeds StreamMaxLength", refused?.Reason, StringComparison.Ordinal);
        Assert.Null(client.RefuseByLength(ClamdFixture.StreamMaxLength));
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_Eicar_IsInfectedWithOurEicarSignature()
    {
        using var client = clamd.CreateClient();

        var result = await client.ScanAsync(new MemoryStream(EicarTestFile.Bytes()), TestContext.Current.CancellationToken);

        Assert.Equal(FileScanStatus.Infected, result.Status);
        // clamd adds .UNOFFICIAL to signatures from unsigned databases such as ours.
        Assert.StartsWith("QuikApp.Test.EICAR.", result.Signature, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_EicarInsideZip_IsInfected()
    {
        using var client = clamd.CreateClient();

        var result = await client.ScanAsync(new MemoryStream(EicarTestFile.Zipped()), TestContext.Current.CancellationToken);

        Assert.Equal(FileScanStatus.Infected, result.Status);
        Assert.StartsWith("QuikApp.Test.EICAR.", result.Signature, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_ArchiveUnpackingBeyondClamdsMaxScanSize_IsErrorNeverClean()
    {
        using var client = clamd.CreateClient();
        var archive = EicarTestFile.ZippedBehind(ClamdFixture.MaxScanSize + 1024 * 1024);

        var result = await client.ScanAsync(new MemoryStream(archive), TestContext.Current.CancellationToken);

        Assert.True(archive.Length < ClamdFixture.StreamMaxLength, $"{archive.Length} bytes");
        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.Contains("Heuristics.Limits.Exceeded", result.Reason, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)] // several chunks, the last one short
    [InlineData(ClamdFixture.StreamMaxLength)] // clamd's limit exactly: still scanned
    public async Task ScanAsync_RandomBytes_IsClean(long length)
    {
        using var client = clamd.CreateClient();

        var result = await client.ScanAsync(new MemoryStream(RandomBytes(length)), TestContext.Current.CancellationToken);

        Assert.Equal(ClamdScanResult.Clean, result);
    }

    [Fact(Timeout = 120_000)]
    public async Task ScanAsync_EveryClamavTestFile_IsInfected()
    {
        Assert.True(Directory.Exists(ClamdFixture.TestFilesDirectory), $"{ClamdFixture.TestFilesDirectory} is missing: {ClamdFixture.SetupHint}.");
        var files = Directory.GetFiles(ClamdFixture.TestFilesDirectory).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        using var client = clamd.CreateClient();

        var missed = new List<string>();
        foreach (var file in files)
        {
            await using var content = File.OpenRead(file);
            var result = await client.ScanAsync(content, TestContext.Current.CancellationToken);
            if (result.Status != FileScanStatus.Infected)
            {
                missed.Add($"{Path.GetFileName(file)}: {result}");
            }
        }

        output.WriteLine($"{files.Count - missed.Count} of {files.Count} files in {ClamdFixture.TestFilesDirectory} detected");
        Assert.Empty(missed);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_SeekableStreamAboveMaxStreamLength_IsRefusedBeforeConnecting()
    {
        // Nothing listens on this port: a refusal that connected would throw ClamdUnavailableException.
        using var client = new ClamdClient(
            Microsoft.Extensions.Options.Options.Create(new ClamdOptions { Port = FreePort.Next(), MaxStreamLength = 1024 }),
            TimeProvider.System);

        var result = await client.ScanAsync(new MemoryStream(new byte[1025]), TestContext.Current.CancellationToken);

        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.Contains("exceeds StreamMaxLength", result.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_UnseekableStreamAboveMaxStreamLength_IsErrorExceedsStreamMaxLength()
    {
        using var client = clamd.CreateClient(options => options.MaxStreamLength = 300_000);

        var result = await client.ScanAsync(new UnseekableStream(RandomBytes(300_001)), TestContext.Current.CancellationToken);

        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.Contains("exceeds StreamMaxLength", result.Reason, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(ClamdFixture.StreamMaxLength + 1)]
    [InlineData(3 * 1024 * 1024)]
    [InlineData(64 * 1024 * 1024)] // far beyond: clamd hangs up while we are still sending
    public async Task ScanAsync_StreamAboveClamdsStreamMaxLength_IsClamdsErrorNeverClean(long length)
    {
        // Our limit set above clamd's, as when the two are misconfigured: clamd's own refusal must still be an error.
        using var client = clamd.CreateClient(options => options.MaxStreamLength = 1024L * 1024 * 1024);

        var result = await client.ScanAsync(new UnseekableStream(RandomBytes(length)), TestContext.Current.CancellationToken);

        Assert.Equal(FileScanStatus.Error, result.Status);
        output.WriteLine(result.Reason ?? "(no reason)");
        Assert.Contains("size limit exceeded", result.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ScanAsync_ManyAtOnce_AllGetTheirOwnVerdict()
    {
        using var client = clamd.CreateClient(options => options.MaxConcurrentScans = 3);
        var ct = TestContext.Current.CancellationToken;

        var scans = Enumerable.Range(0, 12).Select(i => i % 2 == 0
            ? client.ScanAsync(new MemoryStream(EicarTestFile.Bytes()), ct)
            : client.ScanAsync(new MemoryStream(RandomBytes(50_000)), ct));
        var results = await Task.WhenAll(scans);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? FileScanStatus.Infected : FileScanStatus.Clean, results[i].Status);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task ScanAsync_ClamdKilled_ThrowsTransientClamdUnavailableException()
    {
        await using var ownClamd = new ClamdFixture();
        await ownClamd.InitializeAsync();
        using var client = ownClamd.CreateClient();
        await client.PingAsync(TestContext.Current.CancellationToken);

        await ownClamd.StopAsync();
        var exception = await Assert.ThrowsAsync<ClamdUnavailableException>(
            () => client.ScanAsync(new MemoryStream(EicarTestFile.Bytes()), TestContext.Current.CancellationToken));

        Assert.IsAssignableFrom<TransientDependencyException>(exception);
        Assert.Equal(FailureKind.Transient, new DefaultFailureClassifier().Classify(exception));
        Assert.Contains("cannot connect", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task PingAsync_ClamdKilled_ThrowsClamdUnavailableException()
    {
        await using var ownClamd = new ClamdFixture();
        await ownClamd.InitializeAsync();
        using var client = ownClamd.CreateClient();

        await ownClamd.StopAsync();

        await Assert.ThrowsAsync<ClamdUnavailableException>(() => client.PingAsync(TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task VersionAsync_WithinVersionCacheDuration_AnswersWithoutClamd()
    {
        await using var ownClamd = new ClamdFixture();
        await ownClamd.InitializeAsync();
        var time = new FakeTimeProvider();
        using var client = ownClamd.CreateClient(options => options.VersionCacheDuration = TimeSpan.FromMinutes(5), time);
        var ct = TestContext.Current.CancellationToken;
        var engine = await client.VersionAsync(ct);

        await ownClamd.StopAsync();
        time.Advance(TimeSpan.FromMinutes(4));
        var cached = await client.VersionAsync(ct);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(engine, cached);
        await Assert.ThrowsAsync<ClamdUnavailableException>(() => client.VersionAsync(ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task ScanAsync_SmallFile_TakesMilliseconds()
    {
        using var client = clamd.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var content = RandomBytes(10_000);
        await client.ScanAsync(new MemoryStream(content), ct); // warm-up

        var timings = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = await client.ScanAsync(new MemoryStream(content), ct);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(FileScanStatus.Clean, result.Status);
        }

        timings.Sort();
        output.WriteLine($"10 kB scan: median {timings[25]:0.00} ms, max {timings[^1]:0.00} ms");
        // Generous: the machine is shared. A second per 10 kB would mean something is badly wrong (e.g. a reply timeout).
        Assert.True(timings[25] < 1_000, $"median {timings[25]:0.00} ms");
    }

    private static byte[] RandomBytes(long length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A stream whose length is unknown until read, like an object-storage download.</summary>
    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
