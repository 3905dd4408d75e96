using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Tests.ClamAV;
using QuikApp.Workers.Files.Tests.Processing;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Shared.Storage;
using QuikApp.Workers.Testing.Hosting;
using QuikApp.Workers.Testing.Kafka;
using QuikApp.Workers.Testing.Scheduling;
using QuikApp.Workers.Testing.Storage;

namespace QuikApp.Workers.Files.Tests.Handling;

/// <summary>
/// The files worker as composed in Program.cs, on the embedded Kafka, with real clamd, libvips and storage (local disk,
/// and s3rver when given), and in-memory doubles in place of MongoDB (documents, scheduling leases and runs).
/// </summary>
internal sealed class FilesHost : IAsyncDisposable
{
    public const string Bucket = Pipeline.Bucket;
    public const string CdnBaseUrl = Pipeline.CdnBaseUrl;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private FilesHost(WebApplication app, string root)
    {
        App = app;
        StorageRoot = root;
    }

    public WebApplication App { get; }

    public string StorageRoot { get; }

    public InMemoryFileDocumentStore Documents => (InMemoryFileDocumentStore)App.Services.GetRequiredService<IFileDocumentStore>();

    public ObjectStorage Storage => App.Services.GetRequiredService<ObjectStorage>();

    public string BootstrapServers => App.Services.GetRequiredService<KafkaConnection>().BootstrapServers;

    /// <param name="clamdPort">The test clamd, or a <see cref="ClamdProxy"/> in front of it.</param>
    /// <param name="s3rver">When given, an S3 provider "s3" on it, with quikapp-files allowed.</param>
    public static async Task<FilesHost> StartAsync(int clamdPort, S3rverFixture? s3rver = null, params string[] settings)
    {
        var root = Directory.CreateTempSubdirectory("quikapp-files-host-").FullName;
        var arguments = new List<string>
        {
            "--Kafka:BootstrapServers=embedded",
            $"--Health:Port={FreePort.Next()}",
            "--Health:BindAddress=127.0.0.1",
            "--Mongo:ConnectionString=mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300",
            "--Mongo:EnsureIndexesOnStart=false",
            "--Kafka:Consumers:files:MaxBatchWait=00:00:00.005",
            "--Kafka:Consumers:files:Retry:InitialDelay=00:00:00.050",
            "--Kafka:Consumers:files:Retry:MaxDelay=00:00:00.500",
            "--Serilog:MinimumLevel:Default=Warning",
            $"--Storage:Providers:Local:Root={root}",
            $"--Storage:AllowedBuckets:local:0={Bucket}",
            "--Storage:Derivatives:Provider=local",
            "--Storage:Derivatives:Bucket=quikapp-derivatives",
            "--Storage:Quarantine:Provider=local",
            "--Storage:Quarantine:Bucket=quikapp-quarantine",
            $"--Storage:CdnBaseUrl={CdnBaseUrl}",
            $"--Files:Clamd:Port={clamdPort.ToString(CultureInfo.InvariantCulture)}",
            "--Files:Clamd:ConnectTimeout=00:00:02",
            $"--Files:Clamd:MaxStreamLength={ClamdFixture.StreamMaxLength.ToString(CultureInfo.InvariantCulture)}",
            "--Files:Thumbnails:MaxConcurrentDecodes=2",
            "--Files:Processing:MissingDocumentGrace=00:00:02",
            "--Scheduling:Jobs:files-stuck-sweeper:Enabled=false",
        };
        if (s3rver is not null)
        {
            await s3rver.StartAsync(TestContext.Current.CancellationToken);
            var s3 = s3rver.ProviderSettings();
            arguments.AddRange([
                $"--Storage:Providers:S3:ServiceUrl={s3.ServiceUrl}",
                "--Storage:Providers:S3:ForcePathStyle=true",
                $"--Storage:Providers:S3:AccessKey={s3.AccessKey}",
                $"--Storage:Providers:S3:SecretKey={s3.SecretKey}",
                $"--Storage:AllowedBuckets:s3:0={Bucket}",
            ]);
        }

        arguments.AddRange(settings);
        var builder = WebApplication.CreateBuilder([.. arguments]);
        builder.AddQuikAppWorkerDefaults("files");
        builder.AddFilesWorker();
        builder.Services.Replace(ServiceDescriptor.Singleton<IFileDocumentStore>(new InMemoryFileDocumentStore()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(new InMemoryLeaseStore()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IJobRunStore>(new InMemoryJobRunStore()));
        var app = builder.Build();
        app.MapQuikAppWorkerEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new FilesHost(app, root);
    }

    /// <summary>As the file-service does it: stores the original, writes the pending document, then publishes <c>file.uploaded</c>.</summary>
    public async Task<(FileUploaded Uploaded, EventEnvelope Envelope)> UploadAsync(UploadSample sample, string provider = "local", string bucket = Bucket, bool seedDocument = true)
    {
        var (workspace, file) = (Guid.NewGuid(), Guid.NewGuid());
        var key = $"workspaces/{workspace}/files/{file}{Path.GetExtension(sample.FileName)}";
        if (bucket == Bucket)
        {
            using var content = new MemoryStream(sample.Content);
            await Storage.For(provider).PutAsync(new ObjectLocation(provider, bucket, key), content, sample.DeclaredMimeType, TestContext.Current.CancellationToken);
        }

        var storage = new FileStorageLocation(provider, bucket, key, provider == "s3" ? "us-east-1" : null);
        if (seedDocument)
        {
            Documents.Seed(InMemoryFileDocumentStore.Pending(file, workspace, storage, sample.DeclaredMimeType, DateTimeOffset.UtcNow));
        }

        var uploaded = new FileUploaded(file, workspace, Guid.NewGuid(), Path.GetFileName(key), sample.FileName, sample.DeclaredMimeType,
            sample.Content.Length, storage, null);
        var envelope = EventEnvelope.Create(uploaded, "file-service", $"req-{file:N}");
        await PublishAsync(envelope, file);
        return (uploaded, envelope);
    }

    public Task PublishAsync(EventEnvelope envelope, Guid fileId) =>
        App.Services.GetRequiredService<EventPublisher>().PublishAsync(envelope, fileId.ToString(), TestContext.Current.CancellationToken);

    public Task WaitForAsync(Func<InMemoryFileDocumentStore, bool> condition, string what, TimeSpan? timeout = null) =>
        Documents.WaitForAsync(condition, what, timeout, TestContext.Current.CancellationToken);

    /// <summary>Waits until the file's document has an outcome (processing written).</summary>
    public Task WaitForOutcomeAsync(Guid fileId) =>
        WaitForAsync(d => d.Document(fileId)?.Processing is { Published: true }, $"the outcome of {fileId}");

    public bool Exists(ObjectLocation location) =>
        location.Provider == "local" ? File.Exists(Path.Join(StorageRoot, location.Bucket, location.Key))
            : Storage.For(location.Provider).StatAsync(location, TestContext.Current.CancellationToken).GetAwaiter().GetResult() is not null;

    public List<EventEnvelope> Read(string topic, int expected, TimeSpan? timeout = null) =>
        [.. KafkaTestClient.ReadAll(BootstrapServers, topic, 6, expected, timeout ?? Patience)
            .Select(r => EventEnvelopeParser.Parse(topic, r.Message.Value))
            .Select(p => p.IsSuccess ? p.Envelope : throw new InvalidOperationException(p.FailureReason))];

    public List<Confluent.Kafka.ConsumeResult<byte[], byte[]>> DeadLetters(string topic, int expected, TimeSpan? timeout = null) =>
        KafkaTestClient.ReadAll(BootstrapServers, EventTopics.DeadLetterTopic(topic), EventTopics.Find(topic)!.Partitions, expected, timeout ?? Patience);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        try
        {
            Directory.Delete(StorageRoot, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
