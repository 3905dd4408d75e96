using NetVips;

namespace QuikApp.Workers.Files.Thumbnails;

/// <summary>Process-wide libvips settings for a worker that decodes untrusted uploads, each one different, a few at a time.</summary>
/// <remarks>
/// libvips keeps these globally, so the last call wins; the worker makes one <see cref="ThumbnailRenderer"/>.
/// <list type="bullet">
/// <item>Operation cache off (<c>Cache.Max</c>, <c>MaxMem</c>, <c>MaxFiles</c> = 0): every upload is new, so the
/// default cache (100 operations, 100 MB, 100 files) would only pin decoded pixels and memory we want back.</item>
/// <item><c>Concurrency</c> = cores ÷ decode slots (at least 1): each pipeline gets its share of threads, so slots ×
/// threads stays near the core count instead of its square.</item>
/// <item><c>BlockUntrusted</c>: loaders libvips does not consider safe for hostile input (ImageMagick, MATLAB, FITS,
/// SVG via librsvg…) are never chosen, whatever the bytes look like.</item>
/// <item>libvips warnings (e.g. "error in tile") go to the logger at Debug instead of raw stderr lines between JSON
/// log lines; the failure itself surfaces as an exception and is recorded as the reason.</item>
/// </list>
/// </remarks>
public static class LibvipsRuntime
{
    private static readonly Lock Gate = new();
    private static ILogger? s_logger;
    private static Log.LogDelegate? s_handler;

    /// <summary>Applies the settings above for <paramref name="maxConcurrentDecodes"/> decode slots.</summary>
    public static void Configure(int maxConcurrentDecodes, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        lock (Gate)
        {
            Cache.Max = 0;
            Cache.MaxMem = 0;
            Cache.MaxFiles = 0;
            NetVips.NetVips.Concurrency = ThreadsPerDecode(Environment.ProcessorCount, maxConcurrentDecodes);
            NetVips.NetVips.BlockUntrusted = true;

            s_logger = logger;
            if (s_handler is null)
            {
                // Kept in a static field: libvips calls it from native threads long after this method returns.
                s_handler = static (domain, level, message) =>
                    s_logger?.LogDebug("libvips {Domain} {Level}: {Message}", domain, level, message);
                Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Message | Enums.LogLevelFlags.Info | Enums.LogLevelFlags.Debug, s_handler);
            }
        }
    }

    /// <summary>libvips worker threads per pipeline: the cores shared among the decode slots, at least one.</summary>
    public static int ThreadsPerDecode(int processorCount, int maxConcurrentDecodes) =>
        Math.Max(1, processorCount / Math.Max(1, maxConcurrentDecodes));
}
