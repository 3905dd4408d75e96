using System.Globalization;
using System.Runtime.InteropServices;

namespace QuikApp.Workers.Fleet.Reporting;

/// <summary>The machine a run measured, and the memory a process used, read from <c>/proc</c> where there is one.</summary>
internal static class MachineInfo
{
    public static MachineSummary Describe() => new(
        Environment.ProcessorCount,
        Cpu(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a");

    /// <summary>The peak resident set (VmHWM) of a process in MiB; of this process when <paramref name="processId"/> is null. 0 when unknown.</summary>
    public static double PeakRssMiB(int? processId = null)
    {
        var status = $"/proc/{(processId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "self")}/status";
        try
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0; // not Linux, or the process is gone
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string Cpu()
    {
        try
        {
            return File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
                : RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
