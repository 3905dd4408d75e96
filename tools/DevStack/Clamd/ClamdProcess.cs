using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QuikApp.Workers.DevStack.Clamd;

/// <summary>How a <see cref="ClamdProcess"/> is configured (the lines of its <c>clamd.conf</c> that matter).</summary>
public sealed record ClamdProcessOptions
{
    /// <summary>clamd's <c>StreamMaxLength</c> in bytes (whole MiB): longer INSTREAM streams are refused.</summary>
    public long StreamMaxLength { get; init; } = 25L * 1024 * 1024;

    /// <summary><c>MaxScanSize</c> and <c>MaxFileSize</c> in bytes (whole MiB): how much clamd unpacks from one stream.</summary>
    public long MaxScanSize { get; init; } = 100L * 1024 * 1024;

    /// <summary>
    /// <c>DisableCache</c>: clamd otherwise remembers the hashes of clean files, so a baseline scanning files the pipeline
    /// has just scanned would look far cheaper than a fresh upload ever is.
    /// </summary>
    public bool DisableCache { get; init; }

    /// <summary><c>MaxThreads</c>, or clamd's default (10) when null.</summary>
    public int? MaxThreads { get; init; }

    /// <summary>Where the <c>*.hdb</c>/<c>*.ndb</c> signatures are (default: <see cref="ClamdProcess.DefaultSignatureDirectory"/>).</summary>
    public string? SignatureDirectory { get; init; }

    /// <summary>Where the process's directory (config, database copy, log) is created; the system temp directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How long clamd may take to answer its first PING.</summary>
    public TimeSpan StartBudget { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// A real clamd as a child process on a free loopback port, with the repository's test signatures (no freshclam, no
/// network: docs/files.md, "Test signatures, and why"). Started, killed and restarted on the same port by its owner;
/// the process and its directory go at dispose.
/// </summary>
public sealed class ClamdProcess : IAsyncDisposable
{
    /// <summary>Optional path of the clamd binary, for machines where it is not installed where Debian puts it.</summary>
    public const string ClamdPathVariable = "QUIKAPP_TEST_CLAMD";

    /// <summary>What to do when clamd is missing.</summary>
    public const string SetupHint =
        "run tools/setup-test-env.sh as root (or with sudo): it installs Debian's clamav-daemon and clamav-testfiles; CI runs it through tools/test.sh";

    private static readonly string[] SearchPaths = ["/usr/sbin/clamd", "/usr/local/sbin/clamd"];

    private readonly StringBuilder _output = new();
    private readonly string _binary;
    private readonly string _directory;
    private readonly string _database;
    private readonly ClamdProcessOptions _options;
    private Process? _process;

    private ClamdProcess(string binary, string directory, string database, ClamdProcessOptions options)
    {
        _binary = binary;
        _directory = directory;
        _database = database;
        _options = options;
    }

    /// <summary>The signatures copied beside every assembly that references DevStack.</summary>
    public static string DefaultSignatureDirectory => Path.Combine(AppContext.BaseDirectory, "ClamAV", "signatures");

    public int Port { get; private set; }

    /// <summary>From starting the process to the first PONG, on the last (re)start.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The running clamd's process id; null while it is stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>What clamd printed (its log goes to stdout in the foreground), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The clamd binary: <see cref="ClamdPathVariable"/>, then PATH, then Debian's places; null when none exists.</summary>
    /// <exception cref="InvalidOperationException"><see cref="ClamdPathVariable"/> names a file that does not exist.</exception>
    public static string? FindBinary()
    {
        if (Environment.GetEnvironmentVariable(ClamdPathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{ClamdPathVariable} is set to '{configured}', which does not exist.");
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "clamd"));
        return onPath.Concat(SearchPaths).FirstOrDefault(File.Exists);
    }

    /// <summary>Starts clamd and waits for its first PONG.</summary>
    /// <exception cref="InvalidOperationException">clamd is not installed, the signatures are missing, or it never answered.</exception>
    public static async Task<ClamdProcess> StartAsync(ClamdProcessOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var binary = FindBinary() ?? throw new InvalidOperationException(
            $"clamd is not installed (looked at ${ClamdPathVariable}, PATH, {string.Join(", ", SearchPaths)}): {SetupHint}.");
        var signatureDirectory = options.SignatureDirectory ?? DefaultSignatureDirectory;
        var signatures = Directory.Exists(signatureDirectory) ? Directory.EnumerateFiles(signatureDirectory, "*.?db").ToList() : [];
        if (signatures.Count == 0)
        {
            // clamd refuses to start on an empty database directory; say why here instead.
            throw new InvalidOperationException($"no test signatures in {signatureDirectory} (expected *.hdb and *.ndb from the repository).");
        }

        var directory = options.WorkingDirectory is { } parent
            ? Directory.CreateDirectory(Path.Combine(parent, $"clamd-{Guid.NewGuid():N}")).FullName
            : Directory.CreateTempSubdirectory("quikapp-clamd-").FullName;
        var database = Directory.CreateDirectory(Path.Combine(directory, "db")).FullName;
        foreach (var signature in signatures)
        {
            File.Copy(signature, Path.Combine(database, Path.GetFileName(signature)));
        }

        var clamd = new ClamdProcess(binary, directory, database, options);
        try
        {
            // A free port can be taken by another process before clamd binds it: try a few.
            for (var attempt = 1; ; attempt++)
            {
                clamd.Port = FreeLoopbackPort();
                if (await clamd.StartOnPortAsync(cancellationToken).ConfigureAwait(false))
                {
                    return clamd;
                }

                if (attempt == 3 || !clamd.Output.Contains("bind", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"clamd ({binary}) did not answer PING on 127.0.0.1:{clamd.Port} within {options.StartBudget.TotalSeconds:0} s. Its output:\n{clamd.Output}");
                }
            }
        }
        catch
        {
            await clamd.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills clamd (a crash, as far as its clients can tell); <see cref="RestartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Starts clamd again on the port it had (after <see cref="StopAsync"/>, or after it died).</summary>
    /// <exception cref="InvalidOperationException">It did not answer PING in time (e.g. the port was taken meanwhile).</exception>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync().ConfigureAwait(false);
        if (!await StartOnPortAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"clamd did not answer PING on 127.0.0.1:{Port} after a restart. Its output:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless; failing the caller over it is not.
        }
    }

    private async Task<bool> StartOnPortAsync(CancellationToken cancellationToken)
    {
        var config = WriteConfig();
        var started = Stopwatch.StartNew();
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--config-file={config}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        while (started.Elapsed < _options.StartBudget)
        {
            if (process.HasExited)
            {
                await StopAsync().ConfigureAwait(false);
                return false;
            }

            if (await PingsAsync(Port, cancellationToken).ConfigureAwait(false))
            {
                StartupTime = started.Elapsed;
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }

        await StopAsync().ConfigureAwait(false);
        return false;
    }

    private string WriteConfig()
    {
        // Loopback only: clamd has no authentication. No User: clamd runs as whoever starts it.
        // AlertExceedsMax as in production (docs/files.md): without it, what lies beyond a limit is silently "OK".
        const long MiB = 1024 * 1024;
        var config = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            # Written by ClamdProcess (tools/DevStack) for one run.
            Foreground yes
            TCPSocket {Port}
            TCPAddr 127.0.0.1
            DatabaseDirectory {_database}
            TemporaryDirectory {_directory}
            PidFile {Path.Combine(_directory, "clamd.pid")}
            LogFile {Path.Combine(_directory, "clamd.log")}
            LogTime yes
            StreamMaxLength {_options.StreamMaxLength / MiB}M
            MaxScanSize {_options.MaxScanSize / MiB}M
            MaxFileSize {_options.MaxScanSize / MiB}M
            AlertExceedsMax yes

            """));
        if (_options.DisableCache)
        {
            config.AppendLine("DisableCache yes");
        }

        if (_options.MaxThreads is { } threads)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"MaxThreads {threads}");
        }

        var path = Path.Combine(_directory, "clamd.conf");
        File.WriteAllText(path, config.ToString());
        return path;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Raw, not through ClamdClient: a broken client must fail its own specifications, not the process that serves them.
    private static async Task<bool> PingsAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync("zPING\0"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var reply = new byte[8];
            var received = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return reply.AsSpan(0, received).StartsWith("PONG"u8);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
