using System.Diagnostics;
using System.Globalization;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

/// <summary>The test process's resident memory (native libvips buffers included, unlike GC counters), and a sampler for its peak.</summary>
internal sealed class ResidentMemory : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    private ResidentMemory()
    {
        Baseline = Current();
        _peak = Baseline;
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
    }

    public long Baseline { get; }

    /// <summary>Highest resident size seen since sampling started, minus where it started.</summary>
    public long PeakGrowth
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak) - Baseline;
        }
    }

    public static ResidentMemory StartSampling() => new();

    /// <summary>VmRSS from /proc on Linux (what a container's memory limit counts); the working set elsewhere.</summary>
    public static long Current()
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = Current();
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
