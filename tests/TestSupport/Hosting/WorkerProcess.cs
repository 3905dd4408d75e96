using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace QuikApp.Workers.Testing.Hosting;

/// <summary>
/// A worker executable started as a real child process (<c>dotnet &lt;worker&gt;.dll</c> from the test's output folder),
/// for specifications about start-up, endpoints and signals. Output is captured for assertions.
/// </summary>
public sealed partial class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="assemblyName"/> (e.g. QuikApp.Workers.Moderation) with its health endpoints on a free port.</summary>
    public static WorkerProcess Start(string assemblyName, params string[] arguments)
    {
        var port = FreePort.Next();
        var dll = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"the worker is not in the test output folder: {dll}");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"--Health:Port={port}");
        start.ArgumentList.Add("--Health:BindAddress=127.0.0.1");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, port);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="expected"/> or the process exits.</summary>
    public async Task<HttpResponseMessage> WaitForAsync(string path, System.Net.HttpStatusCode expected, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        HttpResponseMessage? last = null;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                last = await http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
                if (last.StatusCode == expected)
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new TimeoutException($"{path} did not answer {expected} (last: {last?.StatusCode.ToString() ?? "no answer"}, exited: {_process.HasExited})\n{Output}");
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping the container does.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
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

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
