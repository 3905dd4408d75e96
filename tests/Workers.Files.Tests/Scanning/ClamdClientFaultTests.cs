using System.Net.Sockets;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.Scanning;

/// <summary>The clamd client against scripted servers: the faults a real clamd does not produce on demand.</summary>
public sealed class ClamdClientFaultTests
{
    private static readonly byte[] SmallFile = [1, 2, 3, 4, 5];

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_NothingListening_ThrowsClamdUnavailableException()
    {
        using var client = Client(new ClamdOptions { Port = FreePort.Next() });

        var exception = await Assert.ThrowsAsync<ClamdUnavailableException>(
            () => client.ScanAsync(new MemoryStream(SmallFile), TestContext.Current.CancellationToken));

        Assert.IsType<SocketException>(exception.InnerException);
        Assert.Contains(client.Endpoint, exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_ServerNeverAnswers_IsErrorTimedOut()
    {
        await using var server = ScriptedClamdServer.OnLoopback(ScriptedClamdServer.NeverAnswering);
        using var client = Client(new ClamdOptions { Port = server.Port, ScanTimeout = TimeSpan.FromMilliseconds(300) });

        var result = await client.ScanAsync(new MemoryStream(SmallFile), TestContext.Current.CancellationToken);

        Assert.Equal(FileScanStatus.Error, result.Status);
        Assert.Contains("timed out", result.Reason, StringComparison.Ordinal);
        Assert.Contains("Files:Clamd:ScanTimeout", result.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_CallerCancelsBeforeTheScanTimeout_ThrowsOperationCanceled()
    {
        await using var server = ScriptedClamdServer.OnLoopback(ScriptedClamdServer.NeverAnswering);
        using var client = Client(new ClamdOptions { Port = server.Port, ScanTimeout = TimeSpan.FromSeconds(20) });
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        caller.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ScanAsync(new MemoryStream(SmallFile), caller.Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task PingAsync_ServerNeverAnswers_ThrowsClamdUnavailableException()
    {
        await using var server = ScriptedClamdServer.OnLoopback(ScriptedClamdServer.NeverAnswering);
        using var client = Client(new ClamdOptions { Port = server.Port, ConnectTimeout = TimeSpan.FromMilliseconds(300) });

        var exception = await Assert.ThrowsAsync<ClamdUnavailableException>(() => client.PingAsync(TestContext.Current.CancellationToken));

        Assert.Contains("did not answer PING", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_ServerHangsUpWithoutReply_IsErrorNeverClean()
    {
        await using var server = ScriptedClamdServer.OnLoopback(async (socket, ct) => await ScriptedClamdServer.ReadCommandAsync(socket, ct));
        using var client = Client(new ClamdOptions { Port = server.Port });

        var result = await client.ScanAsync(new MemoryStream(new byte[200_000]), TestContext.Current.CancellationToken);

        Assert.Equal(FileScanStatus.Error, result.Status);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("stream: OK", "")] // no NUL: the reply may have been cut
    [InlineData("I am not clamd", "\0")]
    [InlineData("stream: OK\n", "")] // n-prefixed style reply to a z command
    public async Task ScanAsync_ServerAnswersUnreadably_IsErrorNeverClean(string reply, string terminator)
    {
        await using var server = ScriptedClamdServer.OnLoopback(ScriptedClamdServer.Answering(reply, terminator));
        using var client = Client(new ClamdOptions { Port = server.Port });

        var result = await client.ScanAsync(new MemoryStream(SmallFile), TestContext.Current.CancellationToken);

        Assert.Equal(FileScanStatus.Error, result.Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task PingAsync_ServerAnswersSomethingElse_ThrowsClamdUnavailableException()
    {
        await using var server = ScriptedClamdServer.OnLoopback(async (socket, ct) =>
        {
            await ScriptedClamdServer.ReadCommandAsync(socket, ct);
            await socket.SendAsync("+OK redis\0"u8.ToArray(), SocketFlags.None, ct);
        });
        using var client = Client(new ClamdOptions { Port = server.Port });

        var exception = await Assert.ThrowsAsync<ClamdUnavailableException>(() => client.PingAsync(TestContext.Current.CancellationToken));

        Assert.Contains("not PONG", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_MoreScansThanMaxConcurrentScans_NeverExceedsTheLimit()
    {
        var inFlight = 0;
        var mostInFlight = 0;
        await using var server = ScriptedClamdServer.OnLoopback(async (socket, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref mostInFlight, now);
            try
            {
                await ScriptedClamdServer.ReadCommandAsync(socket, ct);
                await ScriptedClamdServer.ReadInstreamAsync(socket, ct);
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }

            await socket.SendAsync("stream: OK\0"u8.ToArray(), SocketFlags.None, ct);
        });
        using var client = Client(new ClamdOptions { Port = server.Port, MaxConcurrentScans = 2 });
        var ct = TestContext.Current.CancellationToken;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.ScanAsync(new MemoryStream(SmallFile), ct)));

        Assert.All(results, result => Assert.Equal(FileScanStatus.Clean, result.Status));
        Assert.Equal(8, server.Accepted);
        Assert.Equal(2, Volatile.Read(ref mostInFlight));
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_OverUnixSocket_SpeaksTheSameProtocol()
    {
        var path = Path.Combine(Path.GetTempPath(), $"quikapp-clamd-{Guid.NewGuid():N}.sock");
        try
        {
            await using var server = ScriptedClamdServer.OnUnixSocket(path, ScriptedClamdServer.Answering("stream: Unix.Test FOUND"));
            using var client = Client(new ClamdOptions { UnixSocket = path, Host = "" });
            var ct = TestContext.Current.CancellationToken;

            await client.PingAsync(ct);
            var result = await client.ScanAsync(new MemoryStream(SmallFile), ct);

            Assert.Equal(ClamdScanResult.Infected("Unix.Test"), result);
            Assert.Equal($"unix:{path}", client.Endpoint);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task ScanAsync_UnixSocketMissing_ThrowsClamdUnavailableException()
    {
        using var client = Client(new ClamdOptions { UnixSocket = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.sock") });

        await Assert.ThrowsAsync<ClamdUnavailableException>(
            () => client.ScanAsync(new MemoryStream(SmallFile), TestContext.Current.CancellationToken));
    }

    private static ClamdClient Client(ClamdOptions options) => new(Options.Create(options), TimeProvider.System);

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
