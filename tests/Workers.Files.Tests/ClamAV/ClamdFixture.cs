using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.ClamAV;

/// <summary>
/// A real clamd as a child process: a free loopback port, the repository's test signatures (ClamAV/signatures),
/// a small StreamMaxLength so the limit is testable, killed at dispose.
/// </summary>
/// <remarks>
/// No freshclam and no network: the signature database is ours (docs/files.md, "Virus scanning"). Without clamd the
/// fixture fails, never skips: the scanning specifications are the only proof that uploads are really scanned, and
/// tools/setup-test-env.sh (run by tools/test.sh and CI) installs it.
/// </remarks>
public sealed class ClamdFixture : IAsyncLifetime
{
    /// <summary>The StreamMaxLength the test clamd runs with (clamd.conf: <c>StreamMaxLength 2M</c>).</summary>
    public const long StreamMaxLength = 2 * 1024 * 1024;

    /// <summary>How much the test clamd unpacks from one stream (clamd.conf: <c>MaxScanSize 10M</c>, with <c>AlertExceedsMax yes</c>).</summary>
    public const long MaxScanSize = 10 * 1024 * 1024;

    /// <summary>Optional path of the clamd binary, for machines where it is not installed by the setup script.</summary>
    public const string ClamdPathVariable = "QUIKAPP_TEST_CLAMD";

    /// <summary>Debian's clamav-testfiles: 44 wrappings (packers, archives, documents, mail) of one test executable.</summary>
    public const string TestFilesDirectory = "/usr/share/clamav-testfiles";

    public const string SetupHint =
        "run tools/setup-test-env.sh as root (or with sudo): it installs Debian's clamav-daemon and clamav-testfiles; CI runs it through tools/test.sh";

    private static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(60);
    private static readonly string[] SearchPaths = ["/usr/sbin/clamd", "/usr/local/sbin/clamd"];

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _directory;

    public int Port { get; private set; }

    /// <summary>From starting the process to the first PONG.</summary>
    public TimeSpan StartupTime { get; private set; }

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

    public static string SignatureDirectory => Path.Combine(AppContext.BaseDirectory, "ClamAV", "signatures");

    /// <summary>Client options pointing at this clamd, with our limit equal to its StreamMaxLength.</summary>
    public ClamdOptions ClientOptions(Action<ClamdOptions>? configure = null)
    {
        var options = new ClamdOptions
        {
            Host = "127.0.0.1",
            Port = Port,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ScanTimeout = TimeSpan.FromSeconds(30),
            MaxStreamLength = StreamMaxLength,
        };
        configure?.Invoke(options);
        return options;
    }

    public ClamdClient CreateClient(Action<ClamdOptions>? configure = null, TimeProvider? timeProvider = null) =>
        new(Options.Create(ClientOptions(configure)), timeProvider ?? TimeProvider.System);

    public async ValueTask InitializeAsync()
    {
        var clamd = FindClamd() ?? throw new InvalidOperationException(
            $"clamd is not installed (looked at ${ClamdPathVariable}, PATH, {string.Join(", ", SearchPaths)}): {SetupHint}.");

        _directory = Directory.CreateTempSubdirectory("quikapp-clamd-").FullName;
        var database = Directory.CreateDirectory(Path.Combine(_directory, "db")).FullName;
        var signatures = Directory.EnumerateFiles(SignatureDirectory, "*.?db").ToList();
        if (signatures.Count == 0)
        {
            // clamd refuses to start on an empty database directory; say why here instead.
            throw new InvalidOperationException($"no test signatures in {SignatureDirectory} (expected *.hdb and *.ndb from the repository).");
        }

        foreach (var signature in signatures)
        {
            File.Copy(signature, Path.Combine(database, Path.GetFileName(signature)));
        }

        // FreePort can race with another process taking the port before clamd binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            var config = WriteConfig(_directory, database, Port);
            var started = Stopwatch.StartNew();
            _process = Start(clamd, config);
            if (await WaitForPongAsync(_process).ConfigureAwait(false))
            {
                StartupTime = started.Elapsed;
                return;
            }

            await StopAsync().ConfigureAwait(false);
            if (attempt == 3 || !Output.Contains("bind", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"clamd ({clamd}) did not answer PING on 127.0.0.1:{Port} within {StartBudget.TotalSeconds:0} s. Its output:\n{Output}");
            }
        }
    }

    /// <summary>Kills clamd (the fixture stays usable for options pointing at a now-closed port).</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        finally
        {
            _process.Dispose();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless; failing the run over it is not.
            }
        }
    }

    private static string? FindClamd()
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

    private static string WriteConfig(string directory, string database, int port)
    {
        // Loopback only: clamd has no authentication. No User: clamd runs as whoever runs the tests.
        // AlertExceedsMax as in production (docs/files.md): without it, what lies beyond a limit is silently "OK".
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            # Written by ClamdFixture for one test run.
            Foreground yes
            TCPSocket {port}
            TCPAddr 127.0.0.1
            DatabaseDirectory {database}
            TemporaryDirectory {directory}
            PidFile {Path.Combine(directory, "clamd.pid")}
            LogFile {Path.Combine(directory, "clamd.log")}
            LogTime yes
            StreamMaxLength {StreamMaxLength / (1024 * 1024)}M
            MaxScanSize {MaxScanSize / (1024 * 1024)}M
            MaxFileSize {MaxScanSize / (1024 * 1024)}M
            AlertExceedsMax yes

            """);
        var path = Path.Combine(directory, "clamd.conf");
        File.WriteAllText(path, config);
        return path;
    }

    private Process Start(string clamd, string config)
    {
        var start = new ProcessStartInfo(clamd)
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
        return process;
    }

    private async Task<bool> WaitForPongAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartBudget)
        {
            if (process.HasExited)
            {
                return false;
            }

            if (await PingsAsync(Port).ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        }

        return false;
    }

    // Raw, not through ClamdClient: a broken client must fail its own specifications, not the fixture.
    private static async Task<bool> PingsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync("zPING\0"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var reply = new byte[8];
            var received = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return reply.AsSpan(0, received).StartsWith("PONG"u8);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
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
