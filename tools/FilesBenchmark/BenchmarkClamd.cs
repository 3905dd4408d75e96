using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace QuikApp.Workers.Tools.FilesBenchmark;

/// <summary>
/// A clamd of the benchmark's own, as the tests run it: loopback, the repository's test signatures, production limits
/// (StreamMaxLength 25M, AlertExceedsMax). Its clean-file cache is off: the baseline scans the files the pipeline has
/// just scanned, and a cache hit (clamd remembers the hashes of clean files) would make it look far cheaper than a
/// fresh upload ever is. Killed at dispose.
/// </summary>
internal sealed class BenchmarkClamd : IAsyncDisposable
{
    private static readonly string[] ClamdPaths = ["/usr/sbin/clamd", "/usr/local/sbin/clamd"];
    private readonly Process _process;
    private readonly string _directory;

    private BenchmarkClamd(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<BenchmarkClamd> StartAsync(string repositoryRoot)
    {
        var clamd = ClamdPaths.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("clamd is not installed: run tools/setup-test-env.sh");
        var directory = Directory.CreateTempSubdirectory("quikapp-bench-clamd-").FullName;
        var database = Directory.CreateDirectory(Path.Join(directory, "db")).FullName;
        foreach (var signature in Directory.EnumerateFiles(Path.Join(repositoryRoot, "tests", "Workers.Files.Tests", "ClamAV", "signatures"), "*.?db"))
        {
            File.Copy(signature, Path.Join(database, Path.GetFileName(signature)));
        }

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var config = Path.Join(directory, "clamd.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            Foreground yes
            TCPSocket {port}
            TCPAddr 127.0.0.1
            DatabaseDirectory {database}
            TemporaryDirectory {directory}
            PidFile {Path.Join(directory, "clamd.pid")}
            StreamMaxLength 25M
            MaxScanSize 100M
            MaxFileSize 100M
            AlertExceedsMax yes
            MaxThreads 12
            DisableCache yes

            """));
        var start = new ProcessStartInfo(clamd) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add($"--config-file={config}");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await PingsAsync(port))
            {
                return new BenchmarkClamd(process, directory, port);
            }

            await Task.Delay(20);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"clamd did not answer PING on 127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<bool> PingsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            await socket.SendAsync("zPING\0"u8.ToArray(), SocketFlags.None, timeout.Token);
            var reply = new byte[8];
            var received = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token);
            return reply.AsSpan(0, received).StartsWith("PONG"u8);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
