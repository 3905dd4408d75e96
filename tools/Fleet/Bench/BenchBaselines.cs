using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using QuikApp.Workers.DevStack.Baselines;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Bench;

/// <summary>What the bench compares the pipelines with, measured in the same run on the same data after the workers stopped.</summary>
internal sealed record BaselineFigures(
    double RawConsumePerSecond,
    long RawConsumed,
    double ClamdFilesPerSecond,
    TimeSpan ClamdElapsed,
    string ClamdVersion,
    double? VipsImagesPerSecond,
    TimeSpan? VipsElapsed,
    int Images,
    string? VipsVersion);

/// <summary>
/// The bench's baselines: a plain consumer reading quikapp.message.sent with no work (what the moderation pipeline is
/// compared with); clamd INSTREAM on every upload, as many at a time as the worker scans, and vipsthumbnail with the
/// worker's sizes and plan on every picture (what the files pipeline is compared with).
/// </summary>
internal static class BenchBaselines
{
    /// <summary>Files the worker processes at once (<c>Files:Processing:MaxConcurrentFiles</c>'s default): the baselines use as many.</summary>
    public const int Concurrency = 4;

    public static async Task<BaselineFigures> MeasureAsync(string bootstrapServers, int clamdPort, long clamdStreamMaxLength,
        IReadOnlyList<PlannedFile> uploads, FileSamples samples, string workDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        ArgumentNullException.ThrowIfNull(samples);
        var (rawRate, rawCount) = RawConsume(bootstrapServers, EventTopics.MessageSent, cancellationToken);

        using var clamd = new ClamdClient(Options.Create(new ClamdOptions { Host = "127.0.0.1", Port = clamdPort, MaxStreamLength = clamdStreamMaxLength,
            MaxConcurrentScans = Concurrency }), TimeProvider.System);
        var version = await clamd.VersionAsync(cancellationToken).ConfigureAwait(false);
        var scanClock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(uploads, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (file, token) =>
            {
                using var content = new MemoryStream(samples.Bytes(file), writable: false);
                await clamd.ScanAsync(content, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        scanClock.Stop();

        var pictures = uploads.Where(f => FileSampleKinds.Expected(f.Kind).Thumbnail).ToList();
        var vipsVersion = await VipsThumbnailBaseline.VersionAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan? vipsElapsed = null;
        if (vipsVersion is not null && pictures.Count > 0)
        {
            var directory = Directory.CreateDirectory(Path.Join(workDirectory, "pictures")).FullName;
            var images = new List<BaselineImage>();
            foreach (var picture in pictures)
            {
                var path = Path.Join(directory, $"{picture.FileId}{Path.GetExtension(picture.FileName)}");
                await File.WriteAllBytesAsync(path, samples.Bytes(picture), cancellationToken).ConfigureAwait(false);
                images.Add(new BaselineImage(path, LongestSide(picture.Kind)));
            }

            // The worker's plan: the 1920 px preview for pictures larger than it, then the 360 px thumbnail.
            vipsElapsed = await VipsThumbnailBaseline.RunAsync(images, Concurrency, Path.Join(workDirectory, "vipsthumbnail"), [1920, 360], cancellationToken)
                .ConfigureAwait(false);
        }

        return new BaselineFigures(rawRate, rawCount, uploads.Count / Math.Max(scanClock.Elapsed.TotalSeconds, 1e-9), scanClock.Elapsed, version,
            vipsElapsed is { } v ? pictures.Count / Math.Max(v.TotalSeconds, 1e-9) : null, vipsElapsed, pictures.Count, vipsVersion);
    }

    /// <summary>Reads every record the topic still holds with a plain consumer (assigned, no group work, no processing); records per second from the first.</summary>
    public static (double PerSecond, long Count) RawConsume(string bootstrapServers, string topic, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"fleet-raw-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        var partitions = Enumerable.Range(0, EventTopics.Find(topic)!.Partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var total = partitions.Sum(p =>
        {
            var watermarks = consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10));
            return watermarks.High.Value - watermarks.Low.Value;
        });
        if (total < 2)
        {
            return (0, total);
        }

        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        Stopwatch? clock = null;
        long received = 0;
        while (received < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = consumer.Consume(TimeSpan.FromSeconds(10));
            if (record is null)
            {
                break; // nothing for ten seconds: the topic holds less than its watermarks said (the mock dropped old records)
            }

            clock ??= Stopwatch.StartNew();
            received++;
        }

        return (clock is null || received < 2 ? 0 : (received - 1) / clock.Elapsed.TotalSeconds, received);
    }

    /// <summary>The displayed longest side of each picture kind (what decides whether the worker makes the 1920 px preview).</summary>
    public static int LongestSide(FileSampleKind kind) => kind switch
    {
        FileSampleKind.JpegExif => 1600,
        FileSampleKind.JpegLarge => 2400,
        FileSampleKind.PngAlpha => 800,
        FileSampleKind.GifAnimated => 640,
        _ => 0,
    };
}
