using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Files.Scanning;

/// <summary>Talks to clamd over TCP or a Unix socket: PING, VERSION and INSTREAM scans, one connection per call.</summary>
/// <remarks>
/// <para>
/// One connection per call: clamd sits on loopback or the cluster network, where connecting costs far less than a
/// scan, and a fresh connection never inherits a half-read reply from a scan that failed. Scans are bounded by
/// <see cref="ClamdOptions.MaxConcurrentScans"/> so the fleet cannot exhaust clamd's threads; PING and VERSION are
/// not, so a readiness probe never queues behind scans.
/// </para>
/// <para>
/// Failure model: clamd cannot be reached (refused, reset or timed out while connecting, not clamd at all) →
/// <see cref="ClamdUnavailableException"/>, which is transient: pause and retry. Connected but no verdict (too large,
/// timed out, clamd's own error, connection dropped mid-scan, an unreadable reply) → an Error result, never Clean;
/// the file is retried later. A drop mid-scan is an Error rather than transient on purpose: a file that crashes
/// clamd must not pause its partition forever.
/// </para>
/// </remarks>
public sealed class ClamdClient : IDisposable
{
    private const int ChunkHeaderLength = 4;
    private const int MaxReplyLength = 4096;

    private static readonly byte[] PingCommand = "zPING\0"u8.ToArray();
    private static readonly byte[] VersionCommand = "zVERSION\0"u8.ToArray();
    private static readonly byte[] InstreamCommand = "zINSTREAM\0"u8.ToArray();
    private static readonly byte[] EndOfStreamChunk = new byte[ChunkHeaderLength];

    private readonly ClamdOptions _options;
    private readonly TimeProvider _time;
    private readonly EndPoint _endPoint;
    private readonly SemaphoreSlim _scanSlots;
    private CachedVersion? _version;

    public ClamdClient(IOptions<ClamdOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _time = timeProvider;
        _scanSlots = new SemaphoreSlim(_options.MaxConcurrentScans, _options.MaxConcurrentScans);
        if (!string.IsNullOrEmpty(_options.UnixSocket))
        {
            _endPoint = new UnixDomainSocketEndPoint(_options.UnixSocket);
            Endpoint = $"unix:{_options.UnixSocket}";
        }
        else
        {
            _endPoint = IPAddress.TryParse(_options.Host, out var address)
                ? new IPEndPoint(address, _options.Port)
                : new DnsEndPoint(_options.Host, _options.Port);
            Endpoint = string.Create(CultureInfo.InvariantCulture, $"tcp://{_options.Host}:{_options.Port}");
        }
    }

    /// <summary>Where this client finds clamd, for logs: <c>tcp://host:port</c> or <c>unix:/path</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Completes when clamd answers PONG; throws <see cref="ClamdUnavailableException"/> otherwise.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var reply = await CommandAsync(PingCommand, "PING", cancellationToken).ConfigureAwait(false);
        if (reply != "PONG")
        {
            throw new ClamdUnavailableException($"{Endpoint} answered PING with '{ClamdReplyParser.Quote(reply)}', not PONG: is it clamd?");
        }
    }

    /// <summary>
    /// clamd's engine string, e.g. <c>ClamAV 1.4.6/27845/Tue Nov 25 09:32:01 2026</c> (engine/database version/database
    /// date), reused for <see cref="ClamdOptions.VersionCacheDuration"/>.
    /// </summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var cached = Volatile.Read(ref _version);
        if (cached is not null && _time.GetElapsedTime(cached.AskedAt) < _options.VersionCacheDuration)
        {
            return cached.Engine;
        }

        var askedAt = _time.GetTimestamp();
        var reply = (await CommandAsync(VersionCommand, "VERSION", cancellationToken).ConfigureAwait(false)).Trim();
        if (!reply.StartsWith("ClamAV ", StringComparison.Ordinal))
        {
            throw new ClamdUnavailableException($"{Endpoint} answered VERSION with '{ClamdReplyParser.Quote(reply)}': is it clamd?");
        }

        Volatile.Write(ref _version, new CachedVersion(reply, askedAt));
        return reply;
    }

    /// <summary>
    /// Streams <paramref name="content"/> (from its current position) to clamd with INSTREAM and returns the verdict.
    /// Throws <see cref="ClamdUnavailableException"/> when clamd cannot be reached; every other failure is an Error result.
    /// </summary>
    /// <remarks>Waiting for a free scan slot is bounded only by <paramref name="cancellationToken"/>; ScanTimeout starts once connected.</remarks>
    public async Task<ClamdScanResult> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.CanSeek && content.Length - content.Position > _options.MaxStreamLength)
        {
            // Refused before connecting: clamd would read up to its limit and then refuse anyway.
            return TooLarge($"{content.Length - content.Position} bytes");
        }

        await _scanSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(_options.ScanTimeout, _time);
            using var scan = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await InstreamAsync(socket, content, scan.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Not necessarily clamd's fault: a stalled upload stream runs out the same budget.
                return ClamdScanResult.Error(
                    $"timed out: no verdict within {Seconds(_options.ScanTimeout)} ({ClamdOptions.SectionName}:{nameof(ClamdOptions.ScanTimeout)})");
            }
        }
        finally
        {
            _scanSlots.Release();
        }
    }

    /// <summary>
    /// The Error a stream of <paramref name="length"/> bytes gets without clamd being asked (longer than
    /// <see cref="ClamdOptions.MaxStreamLength"/>), or null when it would be scanned. Lets a caller that knows an object's
    /// size from a stat skip downloading what can never get a verdict.
    /// </summary>
    public ClamdScanResult? RefuseByLength(long length) =>
        length > _options.MaxStreamLength ? TooLarge($"{length} bytes") : null;

    /// <summary>The largest stream clamd scans (<see cref="ClamdOptions.MaxStreamLength"/>).</summary>
    public long MaxStreamLength => _options.MaxStreamLength;

    public void Dispose() => _scanSlots.Dispose();

    private async Task<ClamdScanResult> InstreamAsync(Socket socket, Stream content, CancellationToken cancellationToken)
    {
        if (!await TrySendAsync(socket, InstreamCommand, cancellationToken).ConfigureAwait(false))
        {
            return await ReadVerdictAsync(socket, cancellationToken).ConfigureAwait(false);
        }

        var chunkSize = _options.ChunkSize;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkHeaderLength + chunkSize);
        try
        {
            long sent = 0;
            while (true)
            {
                var read = await content
                    .ReadAtLeastAsync(buffer.AsMemory(ChunkHeaderLength, chunkSize), chunkSize, throwOnEndOfStream: false, cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                sent += read;
                if (sent > _options.MaxStreamLength)
                {
                    // Only a stream of unknown length gets here; dropping the connection tells clamd to discard it.
                    return TooLarge($"more than {_options.MaxStreamLength} bytes");
                }

                BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                if (!await TrySendAsync(socket, buffer.AsMemory(0, ChunkHeaderLength + read), cancellationToken).ConfigureAwait(false))
                {
                    // clamd hung up mid-stream, usually after replying "INSTREAM size limit exceeded. ERROR".
                    return await ReadVerdictAsync(socket, cancellationToken).ConfigureAwait(false);
                }

                if (read < chunkSize)
                {
                    break; // ReadAtLeastAsync returns a short count only at the end of the stream.
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // Even when this send fails, clamd may have replied before closing: the reply decides.
        await TrySendAsync(socket, EndOfStreamChunk, cancellationToken).ConfigureAwait(false);
        return await ReadVerdictAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ClamdScanResult> ReadVerdictAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await ReceiveReplyAsync(socket, cancellationToken).ConfigureAwait(false);
            return ClamdReplyParser.ParseScanReply(reply);
        }
        catch (SocketException ex)
        {
            return ClamdScanResult.Error($"clamd dropped the connection before its verdict ({ex.SocketErrorCode})");
        }
    }

    private async Task<string> CommandAsync(byte[] command, string name, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var exchange = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        byte[] reply;
        try
        {
            if (!await TrySendAsync(socket, command, exchange.Token).ConfigureAwait(false))
            {
                throw new ClamdUnavailableException($"{Endpoint} closed the connection before {name} was sent.");
            }

            reply = await ReceiveReplyAsync(socket, exchange.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ClamdUnavailableException(
                $"{Endpoint} did not answer {name} within {Seconds(_options.ConnectTimeout)} ({ClamdOptions.SectionName}:{nameof(ClamdOptions.ConnectTimeout)}).");
        }
        catch (SocketException ex)
        {
            throw new ClamdUnavailableException($"{Endpoint} dropped the connection during {name} ({ex.SocketErrorCode}).", ex);
        }

        return ClamdReplyParser.TryReadReply(reply, out var text)
            ? text
            : throw new ClamdUnavailableException($"{Endpoint} closed the connection before finishing its answer to {name}.");
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = _endPoint switch
        {
            UnixDomainSocketEndPoint => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
            IPEndPoint ip => new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true },
            _ => new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }, // dual mode: the name may resolve to either family
        };
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(_endPoint, connect.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ClamdUnavailableException(
                $"cannot connect to clamd at {Endpoint} within {Seconds(_options.ConnectTimeout)} ({ClamdOptions.SectionName}:{nameof(ClamdOptions.ConnectTimeout)}).");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ClamdUnavailableException($"cannot connect to clamd at {Endpoint} ({ex.SocketErrorCode}).", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends all of <paramref name="data"/>; false when the peer has closed or reset the connection.</summary>
    private static async Task<bool> TrySendAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            while (!data.IsEmpty)
            {
                var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Every byte up to and including the first NUL, or all received when the peer closes (or floods) first.</summary>
    private static async Task<byte[]> ReceiveReplyAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxReplyLength];
        var length = 0;
        while (length < buffer.Length)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                break;
            }

            var terminator = buffer.AsSpan(length, received).IndexOf(ClamdReplyParser.Terminator);
            length += received;
            if (terminator >= 0)
            {
                return buffer[..(length - received + terminator + 1)];
            }
        }

        return buffer[..length];
    }

    private ClamdScanResult TooLarge(string size) => ClamdScanResult.Error(
        $"the stream exceeds StreamMaxLength: {size}, above {ClamdOptions.SectionName}:{nameof(ClamdOptions.MaxStreamLength)} ({_options.MaxStreamLength} bytes)");

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s");

    private sealed record CachedVersion(string Engine, long AskedAt);
}
