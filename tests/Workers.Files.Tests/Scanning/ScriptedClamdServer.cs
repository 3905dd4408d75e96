using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QuikApp.Workers.Files.Tests.Scanning;

/// <summary>
/// A loopback server that speaks as much of clamd's protocol as a test scripts: for the faults a real clamd will not
/// produce on demand (never answering, hanging up, garbage, a Unix socket).
/// </summary>
internal sealed class ScriptedClamdServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task> _conversation;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _conversations = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    private ScriptedClamdServer(Socket listener, Func<Socket, CancellationToken, Task> conversation)
    {
        _listener = listener;
        _conversation = conversation;
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Listens on 127.0.0.1 and runs <paramref name="conversation"/> on each accepted connection, then closes it.</summary>
    public static ScriptedClamdServer OnLoopback(Func<Socket, CancellationToken, Task> conversation)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        return new ScriptedClamdServer(listener, conversation);
    }

    public static ScriptedClamdServer OnUnixSocket(string path, Func<Socket, CancellationToken, Task> conversation)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(64);
        return new ScriptedClamdServer(listener, conversation);
    }

    /// <summary>A conversation that answers like clamd: PONG to PING, <paramref name="scanReply"/> to a complete INSTREAM.</summary>
    public static Func<Socket, CancellationToken, Task> Answering(string scanReply, string terminator = "\0") => async (socket, ct) =>
    {
        var command = await ReadCommandAsync(socket, ct);
        if (command == "zINSTREAM" && await ReadInstreamAsync(socket, ct) < 0)
        {
            return;
        }

        var reply = command switch
        {
            "zPING" => "PONG",
            "zVERSION" => "ClamAV 0.0.0-scripted",
            "zINSTREAM" => scanReply,
            _ => "UNKNOWN COMMAND",
        };
        await socket.SendAsync(Encoding.ASCII.GetBytes(reply + terminator), SocketFlags.None, ct);
    };

    /// <summary>A conversation that reads everything it is sent and never says a word.</summary>
    public static async Task NeverAnswering(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) > 0)
        {
        }

        await Task.Delay(Timeout.Infinite, ct);
    }

    /// <summary>Reads a z-command (up to its NUL) and returns it without the NUL.</summary>
    public static async Task<string> ReadCommandAsync(Socket socket, CancellationToken ct)
    {
        var command = new StringBuilder();
        var one = new byte[1];
        while (await socket.ReceiveAsync(one, SocketFlags.None, ct) == 1 && one[0] != 0)
        {
            command.Append((char)one[0]);
        }

        return command.ToString();
    }

    /// <summary>Reads INSTREAM chunks up to the zero-length one; returns the byte count, or -1 if the client hung up first.</summary>
    public static async Task<long> ReadInstreamAsync(Socket socket, CancellationToken ct)
    {
        var header = new byte[4];
        var total = 0L;
        while (true)
        {
            if (!await ReadExactlyAsync(socket, header, ct))
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length == 0)
            {
                return total;
            }

            if (!await ReadExactlyAsync(socket, new byte[length], ct))
            {
                return -1;
            }

            total += length;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] conversations;
        lock (_conversations)
        {
            conversations = [.. _conversations];
        }

        await Task.WhenAll(conversations.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            if (received == 0)
            {
                return false;
            }

            read += received;
        }

        return true;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            lock (_conversations)
            {
                _conversations.Add(ConverseAsync(socket));
            }
        }
    }

    private async Task ConverseAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await _conversation(socket, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // The client hung up or the test is over: both are ordinary endings here.
            }
        }
    }
}
