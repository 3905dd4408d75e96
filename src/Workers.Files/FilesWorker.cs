using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Commands;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Files.Handling;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Recording;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Files.Sweeping;
using QuikApp.Workers.Files.Thumbnails;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Scheduling;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Files;

/// <summary>Registers the files worker: storage, clamd, thumbnails, the pipeline, the document store, the upload/delete consumer, the sweeper and the verbs.</summary>
public static class FilesWorker
{
    /// <summary>The consumer's name (tuning under <c>Kafka:Consumers:files</c>).</summary>
    public const string ConsumerName = "files";

    public static WebApplicationBuilder AddFilesWorker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddFileProcessing(builder.Configuration);
        services.AddEventConsumer<FileEventsHandler>(ConsumerName, EventTopics.FileUploaded, EventTopics.FileDeleted);
        services.AddScheduledJob<StuckFileSweeperJob>(StuckFileSweeperJob.Name, StuckFileSweeperJob.DefaultCron);
        services.AddQuikAppScheduling();
        return builder;
    }

    /// <summary>
    /// The pipeline with its storage and document store, without Kafka or the schedule: object storage (Storage:CdnBaseUrl
    /// required), <see cref="AddFileAnalysis"/>, the processing and sweeper options, <see cref="FileProcessor"/>, the retry
    /// policy, the MongoDB document store and the outcome recorder. Needs <c>AddQuikAppMongo</c> and an <c>EventPublisher</c>
    /// (the worker defaults).
    /// </summary>
    public static IServiceCollection AddFileProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddQuikAppObjectStorage(configuration);
        services.AddOptions<ObjectStorageOptions>()
            .Validate(storage => !string.IsNullOrWhiteSpace(storage.CdnBaseUrl),
                "Storage:CdnBaseUrl is required by the files worker: urls.thumbnail is the CDN URL of the thumbnail.");
        services.AddFileAnalysis(configuration);

        services.AddOptions<FileProcessingOptions>().BindConfiguration(FileProcessingOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileProcessingOptions>, FileProcessingOptionsValidator>());
        services.AddOptions<StuckFileSweeperOptions>().BindConfiguration(StuckFileSweeperOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<RetryPolicy>();
        services.TryAddSingleton<FileProcessor>();
        services.TryAddSingleton<IFileDocumentStore, MongoFileDocumentStore>();
        services.TryAddSingleton<FileOutcomeRecorder>();
        return services;
    }

    /// <summary>
    /// The pipeline's steps on bytes and nothing else (no Kafka, MongoDB or storage): clamd, thumbnails and metadata,
    /// <see cref="FileAnalyzer"/> and the <c>process-file</c> verb. The worker and the benchmark share it.
    /// </summary>
    public static IServiceCollection AddFileAnalysis(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddClamdScanning();
        services.AddThumbnailsAndMetadata(configuration);
        services.TryAddSingleton<FileAnalyzer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkerCommand, ProcessFileCommand>());
        return services;
    }
}
