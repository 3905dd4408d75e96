using System.ComponentModel.DataAnnotations;

namespace QuikApp.Workers.Files.Scanning;

/// <summary>Where clamd listens and how long and how much a scan may take (configuration section <c>Files:Clamd</c>).</summary>
/// <remarks>
/// clamd has no authentication: it must listen on loopback, a Unix socket or the cluster network only.
/// Data annotations cover ranges; <see cref="ClamdOptionsValidator"/> covers time spans and the endpoint.
/// </remarks>
public sealed class ClamdOptions
{
    public const string SectionName = "Files:Clamd";

    /// <summary>clamd's host name or IP address (its <c>TCPAddr</c>); ignored when <see cref="UnixSocket"/> is set.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>clamd's <c>TCPSocket</c>.</summary>
    [Range(1, 65535, ErrorMessage = "Files:Clamd:Port must be between {1} and {2}.")]
    public int Port { get; set; } = 3310;

    /// <summary>Absolute path of clamd's <c>LocalSocket</c>; when set it wins over <see cref="Host"/> and <see cref="Port"/>.</summary>
    public string? UnixSocket { get; set; }

    /// <summary>Budget for connecting, and for the whole of a PING or VERSION exchange.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Budget for one scan once connected: sending the stream and waiting for the verdict.</summary>
    public TimeSpan ScanTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Bytes per INSTREAM chunk.</summary>
    [Range(1024, 8 * 1024 * 1024, ErrorMessage = "Files:Clamd:ChunkSize must be between {1} and {2} bytes.")]
    public int ChunkSize { get; set; } = 64 * 1024;

    /// <summary>
    /// What we believe clamd's <c>StreamMaxLength</c> is (bytes). Longer streams are refused without asking clamd;
    /// set it to clamd's value, since clamd refuses anything above its own limit anyway.
    /// </summary>
    public long MaxStreamLength { get; set; } = 25L * 1024 * 1024;

    /// <summary>Scans this process runs against clamd at once; keep the fleet's total below clamd's <c>MaxThreads</c>.</summary>
    [Range(1, 256, ErrorMessage = "Files:Clamd:MaxConcurrentScans must be between {1} and {2}.")]
    public int MaxConcurrentScans { get; set; } = 4;

    /// <summary>Budget for the readiness PING; short, so a probe never hangs on a stuck clamd.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the engine string from VERSION is reused. It carries the signature database version, which changes
    /// when clamd reloads its database, so it is asked again after this long.
    /// </summary>
    public TimeSpan VersionCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
