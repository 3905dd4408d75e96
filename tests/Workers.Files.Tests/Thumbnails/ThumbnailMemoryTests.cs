using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.DevStack.Samples;
using QuikApp.Workers.Files.Thumbnails;

namespace QuikApp.Workers.Files.Tests.Thumbnails;

/// <summary>Runs alone: process memory is measured, and other tests decoding at the same time would be counted too.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>Memory stays bounded: a bomb costs next to nothing, a flood of large photos queues instead of piling up.</summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class ThumbnailMemoryTests : IDisposable
{
    // Stated bounds, deliberately loose (allocator slack varies by machine); the measured figures are written to the output.
    private const long BombResidentGrowthBound = 64L * 1024 * 1024;
    private const long FloodResidentGrowthBound = 1024L * 1024 * 1024;

    private readonly DecodeGate _gate = new(2);

    [Fact(Timeout = 60_000)]
    public async Task RenderAsync_FiftyThousandSquaredPngBomb_IsRefusedInMillisecondsWithoutDecoding()
    {
        var renderer = Renderer(ThumbnailOptions.DefaultSizes);
        var bomb = FileCorpus.PngBomb();
        await renderer.RenderAsync(FileCorpus.Png(400, 300), null, TestContext.Current.CancellationToken); // warm-up
        GC.Collect();

        using var memory = ResidentMemory.StartSampling();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        var rendering = await renderer.RenderAsync(bomb, "image/png", TestContext.Current.CancellationToken);
        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var growth = memory.PeakGrowth;

        Assert.Equal(
            new ThumbnailRefusal(ThumbnailRefusalKind.DecompressionBomb, "decompression bomb: 50000x50000 = 2.5 GP exceeds the 33 MP cap"),
            rendering.Refusal);
        Assert.Empty(rendering.Thumbnails);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"bomb ({bomb.Length} bytes, claims 2.5 GP) refused in {stopwatch.Elapsed.TotalMilliseconds:F1} ms; " +
            $"managed allocation {allocated / 1024} KiB; peak RSS growth {growth / 1024} KiB");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"refusal took {stopwatch.Elapsed}");
        Assert.True(growth < BombResidentGrowthBound, $"resident memory grew {growth / (1024 * 1024)} MiB");
    }

    [Fact(Timeout = 300_000)]
    public async Task RenderAsync_TwentyConcurrent24MegapixelPhotos_QueueBehindTheGateAndKeepMemoryBounded()
    {
        var renderer = Renderer(ThumbnailOptions.DefaultSizes);
        // One array for all twenty: the input buffers are the caller's memory, not the renderer's.
        var photo = FileCorpus.Photo(6000, 4000);
        await renderer.RenderAsync(FileCorpus.Photo(600, 400), null, TestContext.Current.CancellationToken); // warm-up
        GC.Collect();

        var mostAtOnce = 0;
        using var memory = ResidentMemory.StartSampling();
        using var gateWatch = new Timer(_ => InterlockedMax(ref mostAtOnce, _gate.Running), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        var stopwatch = Stopwatch.StartNew();
        var renderings = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => renderer.RenderAsync(photo, "image/jpeg", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken)));
        stopwatch.Stop();
        var growth = memory.PeakGrowth;

        Assert.All(renderings, rendering => Assert.Equal(2, rendering.Thumbnails.Count));
        Assert.InRange(mostAtOnce, 1, _gate.Slots);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"20 × 24 MP JPEG ({photo.Length / 1024} KiB) → 360 + 1920 px WebP with {_gate.Slots} decode slots: " +
            $"{stopwatch.Elapsed.TotalSeconds:F1} s, {stopwatch.Elapsed.TotalMilliseconds / 20:F0} ms per photo on average; " +
            $"peak RSS growth {growth / (1024 * 1024)} MiB over {memory.Baseline / (1024 * 1024)} MiB");
        Assert.True(growth < FloodResidentGrowthBound, $"resident memory grew {growth / (1024 * 1024)} MiB");
    }

    public void Dispose() => _gate.Dispose();

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private ThumbnailRenderer Renderer(IReadOnlyList<ThumbnailSize> sizes)
    {
        var options = new ThumbnailOptions { MaxConcurrentDecodes = _gate.Slots };
        foreach (var size in sizes)
        {
            options.Sizes.Add(size);
        }

        return new ThumbnailRenderer(Options.Create(options), _gate, NullLogger<ThumbnailRenderer>.Instance);
    }
}
