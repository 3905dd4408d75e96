using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Testing.Storage;

/// <summary>
/// s3rver (the npm fake S3, pinned in tools/s3rver) as a child process on 127.0.0.1 with the test buckets, for the S3 store's
/// specifications. Started on first <see cref="StartAsync"/> through tools/s3rver/start.js (which also reports every request,
/// see <see cref="RequestsMentioning"/>), killed at dispose; its data directory is a temporary folder.
/// </summary>
/// <remarks>
/// Missing Node.js or s3rver is a failure naming tools/setup-test-env.sh, never a skip: the S3 store must not go untested
/// because a machine was not set up. Register as an assembly fixture and call <see cref="StartAsync"/> in each test.
/// </remarks>
public sealed partial class S3rverFixture : IAsyncDisposable
{
    /// <summary>s3rver's built-in account (it checks SigV4 signatures against this pair).</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string SetupScript = "tools/setup-test-env.sh";

    public static readonly IReadOnlyList<string> Buckets = ["quikapp-files", "quikapp-derivatives", "quikapp-quarantine", "quikapp-other"];
    public static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringBuilder _output = new();
    private readonly List<string> _requests = [];
    private readonly string _directory = Path.Join(Path.GetTempPath(), $"quikapp-s3rver-{Guid.NewGuid():N}");
    private Process? _process;
    private Exception? _failure;

    /// <summary>The endpoint, e.g. http://127.0.0.1:41234 (set once started).</summary>
    public Uri? ServiceUrl { get; private set; }

    /// <summary>From process start to the first answered request.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>Settings for an S3 provider pointing at this s3rver (path-style, s3rver's keys).</summary>
    public StorageProviderSettings ProviderSettings() => new()
    {
        Kind = StorageProviderKind.S3,
        ServiceUrl = (ServiceUrl ?? throw new InvalidOperationException("s3rver is not started: await StartAsync first.")).ToString(),
        ForcePathStyle = true,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
    };

    /// <summary>Starts s3rver once per fixture; later calls return at once (or rethrow the first start's failure).</summary>
    public async Task<S3rverFixture> StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException(_failure.Message, _failure);
            }

            if (ServiceUrl is null)
            {
                try
                {
                    await LaunchAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _failure = ex;
                    throw;
                }
            }

            return this;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }

            _process.Dispose();
        }

        _gate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            $"Node.js is not installed, so s3rver (the S3 store's test server) cannot start: run {SetupScript}.");
        var tool = Path.Join(RepositoryRoot(), "tools", "s3rver");
        var installed = Path.Join(tool, "node_modules", "s3rver", "package.json");
        if (!File.Exists(installed))
        {
            throw new InvalidOperationException($"s3rver is not installed ({installed} is missing): run {SetupScript}.");
        }

        Directory.CreateDirectory(_directory);
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Port 0 and reading the bound port back avoids racing other tests for a "free" port.
        foreach (var argument in (string[])[Path.Join(tool, "start.js"), "--address", "127.0.0.1", "--port", "0", "--directory", _directory])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var bucket in Buckets)
        {
            start.ArgumentList.Add("--bucket");
            start.ArgumentList.Add(bucket);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatch = Stopwatch.StartNew();
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data, listening);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data, null);
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"s3rver exited during start-up:{Environment.NewLine}{Output()}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(StartBudget);
        int port;
        try
        {
            port = await listening.Task.WaitAsync(budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"s3rver did not report its port within {StartBudget.TotalSeconds:0} s:{Environment.NewLine}{Output()}");
        }

        ServiceUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // Any HTTP answer will do (an anonymous request gets 403): it proves the server handles requests.
        using (await http.GetAsync(ServiceUrl, budget.Token).ConfigureAwait(false))
        {
        }

        StartTime = stopwatch.Elapsed;
    }

    private void OnOutput(string? line, TaskCompletionSource<int>? listening)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("request ", StringComparison.Ordinal))
        {
            lock (_requests)
            {
                _requests.Add(line["request ".Length..]);
            }

            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (listening is not null && ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Requests s3rver has received whose "METHOD url" contains <paramref name="fragment"/> (e.g. a unique key).</summary>
    public IReadOnlyList<string> RequestsMentioning(string fragment)
    {
        lock (_requests)
        {
            return [.. _requests.Where(request => request.Contains(fragment, StringComparison.Ordinal))];
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "tools", "s3rver", "package.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"tools/s3rver/package.json was not found above {AppContext.BaseDirectory}: run the tests from the repository.");
    }

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Join(directory, executable))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"listening on [^\s:]+:(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();
}
