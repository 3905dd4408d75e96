using System.Net;
using System.Net.Sockets;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.Handling;

/// <summary>
/// A TCP forwarder in front of the test clamd that can be switched off and on at the same port: off, connections are
/// refused as by a clamd that is down; on, they reach the real clamd. Lets a test take clamd away and bring it back
/// without the worker's configuration changing.
/// </summary>
internal sealed class ClamdProxy(int targetPort) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _running;

    public int Port { get; } = FreePort.Next();

    public void Open()
    {
        lock (_lock)
        {
            if (_listener is not null)
            {
                return;
            }

            _running = new CancellationTokenSource();
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Start();
            _ = AcceptAsync(_listener, _running.Token);
        }
    }

    public async Task CloseAsync()
    {
        CancellationTokenSource? running;
        lock (_lock)
        {
            _listener?.Stop();
            _listener = null;
            running = _running;
            _running = null;
        }

        if (running is not null)
        {
            await running.CancelAsync();
            running.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        using (var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, targetPort), cancellationToken);
                await using var toServer = new NetworkStream(client, ownsSocket: false);
                await using var fromServer = new NetworkStream(server, ownsSocket: false);
                var up = Pump(toServer, fromServer, server, cancellationToken);
                var down = Pump(fromServer, toServer, client, cancellationToken);
                await Task.WhenAll(up, down);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // Either side hung up: the other is closed with it.
            }
        }
    }

    private static async Task Pump(Stream from, Stream to, Socket target, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken);
        }
        finally
        {
            try
            {
                target.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
