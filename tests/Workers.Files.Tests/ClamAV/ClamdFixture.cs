using Microsoft.Extensions.Options;
using QuikApp.Workers.DevStack.Clamd;
using QuikApp.Workers.Files.Scanning;

namespace QuikApp.Workers.Files.Tests.ClamAV;

/// <summary>
/// A real clamd as a child process (<see cref="ClamdProcess"/>): a free loopback port, the repository's test signatures
/// (ClamAV/signatures), a small StreamMaxLength so the limit is testable, killed at dispose.
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
    public const string ClamdPathVariable = ClamdProcess.ClamdPathVariable;

    /// <summary>Debian's clamav-testfiles: 44 wrappings (packers, archives, documents, mail) of one test executable.</summary>
    public const string TestFilesDirectory = "/usr/share/clamav-testfiles";

    public const string SetupHint = ClamdProcess.SetupHint;

    private ClamdProcess? _clamd;

    public int Port => Clamd.Port;

    /// <summary>From starting the process to the first PONG.</summary>
    public TimeSpan StartupTime => Clamd.StartupTime;

    /// <summary>What clamd printed (its log goes to stdout in the foreground), for failure messages.</summary>
    public string Output => Clamd.Output;

    public static string SignatureDirectory => ClamdProcess.DefaultSignatureDirectory;

    private ClamdProcess Clamd => _clamd ?? throw new InvalidOperationException("the fixture's clamd has not been started");

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

    public async ValueTask InitializeAsync() =>
        _clamd = await ClamdProcess.StartAsync(new ClamdProcessOptions { StreamMaxLength = StreamMaxLength, MaxScanSize = MaxScanSize }, CancellationToken.None);

    /// <summary>Kills clamd (the fixture stays usable for options pointing at a now-closed port).</summary>
    public Task StopAsync() => _clamd?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_clamd is not null)
        {
            await _clamd.DisposeAsync();
        }
    }
}
