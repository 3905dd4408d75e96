using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Sweeping;
using QuikApp.Workers.Files.Tests.ClamAV;
using QuikApp.Workers.Files.Tests.Doubles;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Files.Tests.Processing;

/// <summary>
/// The files worker's pipeline as <c>AddFileProcessing</c> composes it — real clamd, real libvips, real local-disk storage
/// in a temporary directory — with an in-memory document store, a recording publisher and a fake clock; no Kafka, no host.
/// </summary>
internal sealed class Pipeline : IAsyncDisposable
{
    public const string Bucket = "quikapp-files";
    public const string CdnBaseUrl = "https://cdn.quikapp.test/";

    private Pipeline(ServiceProvider services, string root)
    {
        Services = services;
        StorageRoot = root;
    }

    public ServiceProvider Services { get; }

    /// <summary>The local provider's root: buckets are its subdirectories.</summary>
    public string StorageRoot { get; }

    public ObjectStorage Storage => Services.GetRequiredService<ObjectStorage>();

    public FileProcessor Processor => Services.GetRequiredService<FileProcessor>();

    public InMemoryFileDocumentStore Documents => (InMemoryFileDocumentStore)Services.GetRequiredService<IFileDocumentStore>();

    public RecordingEventPublisher Publisher => (RecordingEventPublisher)Services.GetRequiredService<EventPublisher>();

    public FakeTimeProvider Time => (FakeTimeProvider)Services.GetRequiredService<TimeProvider>();

    public StuckFileSweeperJob Sweeper => Services.GetRequiredService<StuckFileSweeperJob>();

    /// <param name="settings">Extra or overriding configuration, e.g. ("Files:Thumbnails:MaxInputBytes", "65536").</param>
    public static Pipeline Create(ClamdFixture clamd, params (string Key, string Value)[] settings) =>
        Create(clamd.Port, settings);

    public static Pipeline Create(int clamdPort, params (string Key, string Value)[] settings)
    {
        var root = Directory.CreateTempSubdirectory("quikapp-files-pipeline-").FullName;
        var values = new Dictionary<string, string?>
        {
            ["Storage:Providers:Local:Root"] = root,
            ["Storage:AllowedBuckets:local:0"] = Bucket,
            ["Storage:Derivatives:Provider"] = "local",
            ["Storage:Derivatives:Bucket"] = "quikapp-derivatives",
            ["Storage:Derivatives:Prefix"] = "thumbs",
            ["Storage:Quarantine:Provider"] = "local",
            ["Storage:Quarantine:Bucket"] = "quikapp-quarantine",
            ["Storage:Quarantine:Prefix"] = "quarantine",
            ["Storage:CdnBaseUrl"] = CdnBaseUrl,
            ["Files:Clamd:Host"] = "127.0.0.1",
            ["Files:Clamd:Port"] = clamdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Files:Clamd:ConnectTimeout"] = "00:00:02",
            ["Files:Clamd:MaxStreamLength"] = ClamdFixture.StreamMaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Files:Thumbnails:MaxConcurrentDecodes"] = "2",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
        services.AddFileProcessing(configuration);
        services.Replace(ServiceDescriptor.Singleton<IFileDocumentStore>(new InMemoryFileDocumentStore()));
        services.AddSingleton<EventPublisher>(new RecordingEventPublisher());
        services.AddSingleton<IFailureClassifier, DefaultFailureClassifier>();
        services.AddSingleton<StuckFileSweeperJob>();
        return new Pipeline(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), root);
    }

    /// <summary>Stores <paramref name="sample"/> as the file-service would: under workspaces/&lt;ws&gt;/files/&lt;fileId&gt; in the allowed bucket.</summary>
    public async Task<FileToProcess> PutOriginalAsync(UploadSample sample, Guid? workspaceId = null, Guid? fileId = null)
    {
        var workspace = workspaceId ?? Guid.NewGuid();
        var file = fileId ?? Guid.NewGuid();
        var location = new ObjectLocation("local", Bucket, $"workspaces/{workspace}/files/{file}{Path.GetExtension(sample.FileName)}");
        using var content = new MemoryStream(sample.Content);
        await Storage.For("local").PutAsync(location, content, sample.DeclaredMimeType, TestContext.Current.CancellationToken);
        return new FileToProcess(file, workspace, location, sample.DeclaredMimeType);
    }

    /// <summary>Stores <paramref name="sample"/> and seeds its pending document, created <paramref name="age"/> ago by the fake clock.</summary>
    public async Task<FileToProcess> UploadAsync(UploadSample sample, TimeSpan age)
    {
        var file = await PutOriginalAsync(sample);
        var storage = new FileStorageLocation(file.Original.Provider, file.Original.Bucket, file.Original.Key, null);
        Documents.Seed(InMemoryFileDocumentStore.Pending(file.FileId, file.WorkspaceId, storage, sample.DeclaredMimeType, Time.GetUtcNow() - age));
        return file;
    }

    public bool Exists(ObjectLocation location) =>
        File.Exists(Path.Join(StorageRoot, location.Bucket, location.Key));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
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
