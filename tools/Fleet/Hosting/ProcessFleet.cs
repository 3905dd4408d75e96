using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using QuikApp.Workers.Fleet.Reporting;

namespace QuikApp.Workers.Fleet.Hosting;

/// <summary>
/// Each worker as a child process (<c>fleet worker &lt;name&gt;</c>), the way they run in production: a crash or a kill
/// takes one worker down, not the fleet. The children share Kafka, clamd, storage and MongoDB — or, without MongoDB,
/// the fleet's in-memory stores served on loopback (<paramref name="stores"/>, a <see cref="Remote.RemoteStoreServer"/>).
/// Their output goes to <c>logs/&lt;worker&gt;.log</c> in the run directory; closing a child's stdin stops it gracefully.
/// </summary>
internal sealed class ProcessFleet(FleetEnvironment environment, string runDirectory, Uri? stores = null) : IWorkerFleet
{
    private readonly ConcurrentDictionary<string, WorkerChild> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _peaks = new(StringComparer.Ordinal);
    private CancellationTokenSource? _sampling;
    private Task? _sampler;

    public string Description => $"as {Workers.Count} processes";

    public IReadOnlyList<string> Workers { get; } = environment.HasMongo ? FleetWorkers.All : [FleetWorkers.Moderation, FleetWorkers.Files];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.HasMongo && stores is null)
        {
            throw new InvalidOperationException("workers in separate processes need MongoDB or the fleet's stores served to them");
        }

        Directory.CreateDirectory(Path.Join(runDirectory, "logs"));
        foreach (var worker in Workers)
        {
            _children[worker] = WorkerChild.Start(worker, environment, runDirectory, stores);
        }

        _sampling = new CancellationTokenSource();
        _sampler = SampleAsync(_sampling.Token);
        // A worker that cannot start (MongoDB unreachable, a bad setting) exits: say so now, not at the run's timeout.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromMinutes(2));
        foreach (var (worker, child) in _children)
        {
            try
            {
                await child.Started.WaitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new WorkerStartException($"the {worker} worker did not start within 2 minutes; its log: {child.LogPath}");
            }
        }
    }

    /// <summary>The worker's process id while it runs.</summary>
    public int? ProcessId(string worker) => _children.TryGetValue(worker, out var child) ? child.ProcessId : null;

    /// <summary>Kills a worker's process at once (SIGKILL): what a crash or an OOM kill does.</summary>
    public void Kill(string worker) => _children[worker].Kill();

    /// <summary>Starts a worker's process again (after <see cref="Kill"/>, or after it died); completes when it has started.</summary>
    public Task RestartAsync(string worker)
    {
        _children[worker].Kill();
        _children[worker].Dispose();
        var child = WorkerChild.Start(worker, environment, runDirectory, stores);
        _children[worker] = child;
        return child.Started;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var worker in Workers.Reverse())
        {
            if (_children.TryGetValue(worker, out var child))
            {
                await child.StopAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }
        }

        if (_sampling is not null)
        {
            await _sampling.CancelAsync().ConfigureAwait(false);
        }
    }

    public IReadOnlyDictionary<string, double> PeakRssMiB()
    {
        lock (_peaks)
        {
            return new Dictionary<string, double>(_peaks) { ["fleet"] = MachineInfo.PeakRssMiB() };
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sampling is not null)
        {
            await _sampling.CancelAsync().ConfigureAwait(false);
            try
            {
                await (_sampler ?? Task.CompletedTask).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped sampling.
            }

            _sampling.Dispose();
        }

        foreach (var child in _children.Values)
        {
            child.Kill();
            child.Dispose();
        }
    }

    // The children's peaks are read while they live: /proc/<pid> is gone once they exit.
    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var (worker, child) in _children)
            {
                if (child.ProcessId is { } pid && MachineInfo.PeakRssMiB(pid) is > 0 and var peak)
                {
                    lock (_peaks)
                    {
                        _peaks[worker] = Math.Max(peak, _peaks.GetValueOrDefault(worker));
                    }
                }
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One worker's child process and its log file.</summary>
    private sealed class WorkerChild : IDisposable
    {
        private readonly Process _process;
        private readonly StreamWriter _log;

        private WorkerChild(Process process, StreamWriter log, string logPath, Task started)
        {
            _process = process;
            _log = log;
            LogPath = logPath;
            Started = started;
        }

        public string LogPath { get; }

        /// <summary>Completes when the host says it started; fails when the process exits first.</summary>
        public Task Started { get; }

        public int? ProcessId => _process.HasExited ? null : _process.Id;

        public static WorkerChild Start(string worker, FleetEnvironment environment, string runDirectory, Uri? stores)
        {
            var (executable, prefix) = FleetExecutable.Command();
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in prefix.Concat(WorkerVerbArguments.For(worker, environment, runDirectory, stores)))
            {
                start.ArgumentList.Add(argument);
            }

            var path = Path.Join(runDirectory, "logs", $"{worker}.log");
            var log = new StreamWriter(path, append: true) { AutoFlush = true };
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) =>
            {
                Write(log, e.Data);
                if (e.Data?.Contains("Application started", StringComparison.Ordinal) == true)
                {
                    started.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) => Write(log, e.Data);
            process.Exited += (_, _) => started.TrySetException(new WorkerStartException($"the {worker} worker exited while starting; its log: {path}"));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new WorkerChild(process, log, path, started.Task);
        }

        public async Task StopAsync(TimeSpan patience)
        {
            if (_process.HasExited)
            {
                return;
            }

            _process.StandardInput.Close(); // the worker verb stops gracefully on end of input
            using var wait = new CancellationTokenSource(patience);
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        public void Kill()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }

        public void Dispose()
        {
            _process.Dispose();
            lock (_log)
            {
                _log.Dispose();
            }
        }

        private static void Write(StreamWriter log, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}

/// <summary>A worker process that could not start; the message names its log.</summary>
internal sealed class WorkerStartException(string message) : Exception(message);

/// <summary>How to start this tool again as a child: its apphost, or <c>dotnet fleet.dll</c> (also when it is not the entry point, e.g. in a test host).</summary>
internal static class FleetExecutable
{
    public static (string Executable, IReadOnlyList<string> Prefix) Command()
    {
        var fleet = typeof(FleetExecutable).Assembly;
        var path = Environment.ProcessPath ?? "dotnet";
        if (System.Reflection.Assembly.GetEntryAssembly() == fleet && Path.GetFileNameWithoutExtension(path) != "dotnet")
        {
            return (path, []);
        }

        var dotnet = Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return (dotnet, [fleet.Location]);
    }
}

/// <summary>
/// The arguments of the hidden <c>worker</c> verb, written by the fleet and read by the child. MongoDB comes from
/// MONGODB_URL; without it, <c>--stores</c> is the fleet's <see cref="Remote.RemoteStoreServer"/>.
/// </summary>
internal sealed record WorkerVerbArguments(string Worker, FleetEnvironment Environment, string RunDirectory, Uri? Stores = null)
{
    public static IEnumerable<string> For(string worker, FleetEnvironment environment, string runDirectory, Uri? stores = null) =>
    [
        "worker", worker,
        "--bootstrap", environment.BootstrapServers,
        "--clamd-port", environment.ClamdPort.ToString(CultureInfo.InvariantCulture),
        "--clamd-max-stream", environment.ClamdStreamMaxLength.ToString(CultureInfo.InvariantCulture),
        "--storage", environment.StorageRoot,
        "--run-dir", runDirectory,
        .. stores is null ? Array.Empty<string>() : ["--stores", stores.ToString()],
    ];

    /// <summary>Reads the verb's arguments (after <c>worker</c>); null with a reason when they are incomplete.</summary>
    public static WorkerVerbArguments? Parse(IReadOnlyList<string> arguments, string? mongoUrl, out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        error = null;
        var worker = arguments.Count > 0 ? arguments[0] : null;
        string? Value(string name)
        {
            for (var i = 1; i < arguments.Count - 1; i++)
            {
                if (arguments[i] == name)
                {
                    return arguments[i + 1];
                }
            }

            return null;
        }

        var (bootstrap, port, max, storage, run) = (Value("--bootstrap"), Value("--clamd-port"), Value("--clamd-max-stream"), Value("--storage"), Value("--run-dir"));
        if (worker is null || !FleetWorkers.All.Contains(worker) || bootstrap is null || port is null || max is null || storage is null || run is null)
        {
            error = "usage: fleet worker <moderation|files|analytics> --bootstrap <servers> --clamd-port <port> --clamd-max-stream <bytes> --storage <dir> --run-dir <dir> [--stores <url>]";
            return null;
        }

        var stores = Value("--stores") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var address) ? address : null;
        if (string.IsNullOrWhiteSpace(mongoUrl) && stores is null)
        {
            error = "fleet worker needs MONGODB_URL, or --stores <url> (the fleet's in-memory stores served on loopback)";
            return null;
        }

        return new WorkerVerbArguments(worker, new FleetEnvironment(bootstrap, int.Parse(port, CultureInfo.InvariantCulture),
            long.Parse(max, CultureInfo.InvariantCulture), storage, string.IsNullOrWhiteSpace(mongoUrl) ? null : mongoUrl), run, stores);
    }
}
