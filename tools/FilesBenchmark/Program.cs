using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuikApp.Workers.DevStack.Baselines;
using QuikApp.Workers.DevStack.Clamd;
using QuikApp.Workers.Files;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Recording;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Tools.FilesBenchmark;

// files-benchmark [--files N] [--concurrency C] [--batch B]
// The files worker's pipeline (FileProcessor: download from local storage, clamd scan, metadata, thumbnails 360 + 1920 px,
// derivative writes, document write to an in-memory double) on N generated files, beside clamd INSTREAM alone (ClamdClient)
// and vipsthumbnail alone (Debian's libvips-tools) on the same files, all in this run. A clamd of its own is started.
var count = Option("--files", 200);
var concurrency = Option("--concurrency", 4);
var batchSize = Option("--batch", 32);
var work = Directory.CreateTempSubdirectory("quikapp-files-benchmark-").FullName;
Console.WriteLine($"{count} files, concurrency {concurrency}, batches of {batchSize}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");

var corpus = BenchmarkCorpus.Generate(count);
Console.WriteLine($"corpus: {string.Join(", ", corpus.GroupBy(f => f.Kind).Select(g => $"{g.Count()} {g.Key} (~{g.First().Content.Length / 1024} KiB)"))}; {corpus.Sum(f => (long)f.Content.Length) / (1024 * 1024)} MiB in all");
var plain = Directory.CreateDirectory(Path.Join(work, "plain")).FullName;
foreach (var file in corpus)
{
    await File.WriteAllBytesAsync(Path.Join(plain, file.Name), file.Content);
}

// A clamd of the benchmark's own, as the tests run it but with production limits; its clean-file cache is off (see ClamdProcessOptions.DisableCache).
await using var clamd = await ClamdProcess.StartAsync(new ClamdProcessOptions { DisableCache = true, MaxThreads = 12 }, CancellationToken.None);
var builder = Host.CreateApplicationBuilder([
    $"--Storage:Providers:Local:Root={Path.Join(work, "storage")}",
    "--Storage:AllowedBuckets:local:0=quikapp-files",
    "--Storage:Derivatives:Provider=local", "--Storage:Derivatives:Bucket=quikapp-derivatives",
    "--Storage:Quarantine:Provider=local", "--Storage:Quarantine:Bucket=quikapp-quarantine",
    "--Storage:CdnBaseUrl=https://cdn.quikapp.dev/",
    $"--Files:Clamd:Port={clamd.Port.ToString(CultureInfo.InvariantCulture)}",
    $"--Files:Processing:MaxConcurrentFiles={concurrency.ToString(CultureInfo.InvariantCulture)}",
    "--Serilog:MinimumLevel:Default=Warning", "--Logging:LogLevel:Default=Warning"]);
builder.Services.AddFileProcessing(builder.Configuration);
builder.Services.Replace(ServiceDescriptor.Singleton<IFileDocumentStore, InMemoryDocuments>());
builder.Services.AddSingleton<EventPublisher, DiscardingPublisher>();
using var host = builder.Build();
var services = host.Services;
var storage = services.GetRequiredService<ObjectStorage>();
var processor = services.GetRequiredService<FileProcessor>();
var recorder = services.GetRequiredService<FileOutcomeRecorder>();
var client = services.GetRequiredService<ClamdClient>();
Console.WriteLine($"clamd: {await client.VersionAsync(CancellationToken.None)} (test signatures); libvips in the worker: {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)} (NetVips.Native)");

var originals = new List<FileToProcess>();
foreach (var file in corpus.Append(corpus[0]).Append(corpus[1]).Append(corpus[3]))
{
    var (workspace, id) = (Guid.NewGuid(), Guid.NewGuid());
    var location = new ObjectLocation("local", "quikapp-files", $"workspaces/{workspace}/files/{id}{Path.GetExtension(file.Name)}");
    using var content = new MemoryStream(file.Content);
    await storage.For("local").PutAsync(location, content, file.MimeType, CancellationToken.None);
    originals.Add(new FileToProcess(id, workspace, location, file.MimeType));
}

// Warm-up (JIT, libvips, clamd's first scans): the three extra files, not counted.
foreach (var warm in originals.Skip(count))
{
    await processor.ProcessAsync(warm, CancellationToken.None);
}

// 1. The pipeline, as the consumer drives it: a batch of files processed `concurrency` at a time, then one bulk write.
var outcomes = new ConcurrentBag<FileOutcome>();
var writes = new List<(TimeSpan Elapsed, int Files)>();
var pipelineClock = Stopwatch.StartNew();
foreach (var batch in originals.Take(count).Chunk(batchSize))
{
    var records = new ConcurrentBag<(FileOutcomeRecord, string?)>();
    await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (file, token) =>
    {
        var outcome = await processor.ProcessAsync(file, token);
        outcomes.Add(outcome);
        records.Add((recorder.Record(outcome, 1, Guid.NewGuid()), null));
    });
    var writeStarted = Stopwatch.GetTimestamp();
    await recorder.WriteAndPublishAsync([.. records], CancellationToken.None);
    writes.Add((Stopwatch.GetElapsedTime(writeStarted), batch.Length));
}

pipelineClock.Stop();

// 2. clamd alone: the same bytes through the same client (INSTREAM), `concurrency` at a time.
var scanClock = Stopwatch.StartNew();
var rawScans = new ConcurrentBag<TimeSpan>();
await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (file, token) =>
{
    var started = Stopwatch.GetTimestamp();
    var bytes = await File.ReadAllBytesAsync(Path.Join(plain, file.Name), token);
    await client.ScanAsync(new MemoryStream(bytes), token);
    rawScans.Add(Stopwatch.GetElapsedTime(started));
});
scanClock.Stop();

// 3. vipsthumbnail alone on the image files: `concurrency` processes, each over its share of the files.
var images = corpus.Where(f => f.IsImage).ToList();
var vipsVersion = await VipsThumbnailBaseline.VersionAsync(CancellationToken.None);
var baselineImages = images.Select(image => new BaselineImage(Path.Join(plain, image.Name), image.LongestSide)).ToList();
TimeSpan? vips360 = null;
TimeSpan? vipsBoth = null;
if (vipsVersion is not null)
{
    vips360 = await VipsThumbnailBaseline.RunAsync(baselineImages, concurrency, Path.Join(work, "vips360"), [360], CancellationToken.None);
    vipsBoth = await VipsThumbnailBaseline.RunAsync(baselineImages, concurrency, Path.Join(work, "vipsboth"), [1920, 360], CancellationToken.None);
}

// Report.
var all = outcomes.ToList();
Console.WriteLine();
Console.WriteLine($"{"pipeline (FileProcessor + bulk write to an in-memory double; no MongoDB here)",-70} {count / pipelineClock.Elapsed.TotalSeconds,9:N1} files/s  ({pipelineClock.Elapsed.TotalSeconds:N1} s)");
Console.WriteLine($"  outcomes: {all.Count(o => o.Status == ProcessingStatus.Done)} done ({all.Count(o => o.Derivatives.Count > 0)} with thumbnails), {all.Count(o => o.Status == ProcessingStatus.Skipped)} infected, {all.Count(o => o.Status == ProcessingStatus.Failed)} failed");
Console.WriteLine($"  {"stage",-40} {"files",6} {"mean ms",9} {"p95 ms",9}");
Stage("download (stat + read from local disk)", all.Select(o => o.Timings.Download));
Stage("scan (clamd INSTREAM + VERSION)", all.Select(o => o.Timings.Scan));
Stage("metadata (clean files)", all.Select(o => o.Timings.Metadata));
Stage("thumbnail (clean files)", all.Select(o => o.Timings.Thumbnail));
Stage("thumbnail (clean images)", all.Where(o => o.Type?.Kind == QuikApp.Workers.Files.Sniffing.FileKind.Image).Select(o => o.Timings.Thumbnail));
Stage("store (derivatives / quarantine)", all.Select(o => o.Timings.Store));
Stage("write (bulk per batch, per file)", writes.Select(w => (TimeSpan?)(w.Elapsed / w.Files)));
Console.WriteLine();
Console.WriteLine($"{"baseline: clamd INSTREAM alone (ClamdClient), same files",-70} {count / scanClock.Elapsed.TotalSeconds,9:N1} files/s  (mean {rawScans.Average(t => t.TotalMilliseconds):N1} ms, p95 {P95(rawScans):N1} ms)");
if (vipsVersion is null)
{
    Console.WriteLine("baseline: vipsthumbnail not found (install Debian's libvips-tools: tools/setup-test-env.sh)");
}
else
{
    Console.WriteLine($"{$"baseline: vipsthumbnail {vipsVersion}, 360 px WebP, {images.Count} images",-70} {images.Count / vips360!.Value.TotalSeconds,9:N1} images/s");
    Console.WriteLine($"{"baseline: vipsthumbnail, the worker's plan: 1920 px where larger, then 360 px",-70} {images.Count / vipsBoth!.Value.TotalSeconds,9:N1} images/s");
}

Directory.Delete(work, recursive: true);
return 0;

void Stage(string name, IEnumerable<TimeSpan?> timings)
{
    var values = timings.OfType<TimeSpan>().ToList();
    if (values.Count == 0)
    {
        Console.WriteLine($"  {name,-40} {0,6}");
        return;
    }

    Console.WriteLine($"  {name,-40} {values.Count,6} {values.Average(t => t.TotalMilliseconds),9:N1} {P95(values),9:N1}");
}

static double P95(IEnumerable<TimeSpan> values)
{
    var sorted = values.Select(v => v.TotalMilliseconds).Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.95) - 1)];
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

/// <summary>Keeps documents in memory (the MongoDB write is not measured here: no MongoDB can run on this machine).</summary>
internal sealed class InMemoryDocuments : IFileDocumentStore
{
    private readonly ConcurrentDictionary<Guid, FileOutcomeRecord> _records = new();

    public Task<IReadOnlyDictionary<Guid, FileDocument>> ReadAsync(IReadOnlyCollection<Guid> fileIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, FileDocument>>(new Dictionary<Guid, FileDocument>());

    public Task<IReadOnlyList<bool>> WriteOutcomesAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            _records[record.FileId] = record;
        }

        return Task.FromResult<IReadOnlyList<bool>>([.. records.Select(_ => true)]);
    }

    public Task MarkPublishedAsync(IReadOnlyList<FileOutcomeRecord> records, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task MarkDerivativesDeletedAsync(IReadOnlyList<DerivativeDeletion> deletions, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<FileDocument>> FindStuckAsync(DateTimeOffset pendingCreatedBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FileDocument>>([]);

    public Task<IReadOnlyList<FileDocument>> FindUnpublishedAsync(DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FileDocument>>([]);
}

/// <summary>Drops events (no Kafka in this measurement).</summary>
internal sealed class DiscardingPublisher() : EventPublisher(null!)
{
    public override Task PublishAsync(EventEnvelope envelope, string key, CancellationToken cancellationToken) => Task.CompletedTask;
}
