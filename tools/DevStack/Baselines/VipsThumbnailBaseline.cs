using System.Diagnostics;

namespace QuikApp.Workers.DevStack.Baselines;

/// <summary>An image file for the baseline: its path and its longest side in pixels (which sizes the worker would make).</summary>
public sealed record BaselineImage(string Path, int LongestSide);

/// <summary>
/// Debian's <c>vipsthumbnail</c> (libvips-tools) run directly on image files with the files worker's settings: the
/// baseline the worker's thumbnailing is compared with (NetVips.Native ships libvips as a library only, no CLI).
/// </summary>
public static class VipsThumbnailBaseline
{
    /// <summary>The CLI's libvips version, or null when vipsthumbnail is not installed.</summary>
    public static async Task<string?> VersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo("vipsthumbnail", "--vips-version") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Thumbnails every image with the worker's settings — fit inside Bound×Bound, never enlarge (">"), WebP quality 80,
    /// effort 2, no metadata — and its plan: a size is made only for images larger than it. <paramref name="processes"/>
    /// vipsthumbnail processes run at once, each over its share of the images; one call per size and share.
    /// </summary>
    /// <returns>The wall-clock time of the whole run.</returns>
    public static async Task<TimeSpan> RunAsync(IReadOnlyList<BaselineImage> images, int processes, string output, IReadOnlyList<int> bounds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(bounds);
        Directory.CreateDirectory(output);
        var clock = Stopwatch.StartNew();
        if (images.Count == 0)
        {
            return clock.Elapsed;
        }

        var shares = images.Chunk((images.Count + processes - 1) / processes);
        await Parallel.ForEachAsync(shares, new ParallelOptions { MaxDegreeOfParallelism = processes, CancellationToken = cancellationToken }, async (share, token) =>
        {
            foreach (var bound in bounds)
            {
                var larger = share.Where(image => image.LongestSide > bound).ToList();
                if (larger.Count == 0)
                {
                    continue;
                }

                var start = new ProcessStartInfo("vipsthumbnail") { RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add("--size");
                start.ArgumentList.Add($"{bound}x{bound}>");
                start.ArgumentList.Add("-o");
                start.ArgumentList.Add(Path.Join(output, $"%s.{bound}.webp[Q=80,effort=2,strip]"));
                foreach (var image in larger)
                {
                    start.ArgumentList.Add(image.Path);
                }

                using var process = Process.Start(start)!;
                var errors = process.StandardError.ReadToEndAsync(token);
                await process.StandardOutput.ReadToEndAsync(token).ConfigureAwait(false);
                await process.WaitForExitAsync(token).ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"vipsthumbnail failed: {await errors.ConfigureAwait(false)}");
                }
            }
        }).ConfigureAwait(false);
        return clock.Elapsed;
    }
}
