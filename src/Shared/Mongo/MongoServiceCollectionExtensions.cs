using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Registers QuikApp's MongoDB client, catalog, index bootstrapper and health check in one call per worker.</summary>
public static class MongoServiceCollectionExtensions
{
    public const string HealthCheckName = "mongodb";
    public const string ReadyTag = "ready";

    /// <summary>
    /// Binds and validates <see cref="MongoOptions"/> (section "Mongo", checked at start-up), and registers one
    /// <see cref="IMongoClient"/> per process (it owns the connection pools; the container disposes it), the
    /// <see cref="MongoCatalog"/> and the <see cref="MongoIndexBootstrapper"/>.
    /// </summary>
    /// <remarks>The worker name is reported to MongoDB as appName "quikapp-workers/&lt;workerName&gt;".</remarks>
    public static IServiceCollection AddQuikAppMongo(this IServiceCollection services, IConfiguration configuration, string workerName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var applicationName = MongoClientFactory.ApplicationNameFor(workerName);

        // Now, before anything can look up a Guid serializer and pin the driver's unconfigured default.
        StandardGuidSerialization.Register();

        services.AddOptions<MongoOptions>()
            .Bind(configuration.GetSection(MongoOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MongoOptions>, MongoOptionsValidator>());

        services.TryAddSingleton<IMongoClient>(provider => MongoClientFactory.CreateClient(
            provider.GetRequiredService<IOptions<MongoOptions>>().Value,
            applicationName,
            provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton(provider => new MongoCatalog(
            provider.GetRequiredService<IMongoClient>(),
            provider.GetRequiredService<IOptions<MongoOptions>>().Value));
        services.TryAddSingleton<MongoIndexBootstrapper>();
        services.TryAddSingleton<MongoRequiredIndexGate>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Hosting.IWorkerCommand, EnsureIndexesCommand>());
        return services;
    }

    /// <inheritdoc cref="AddQuikAppMongo(IServiceCollection, IConfiguration, string)"/>
    public static IHostApplicationBuilder AddQuikAppMongo(this IHostApplicationBuilder builder, string workerName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddQuikAppMongo(builder.Configuration, workerName);
        return builder;
    }

    public const string RequiredIndexesHealthCheckName = "mongodb-required-indexes";

    /// <summary>
    /// Adds <see cref="MongoHealthCheck"/> under "mongodb", tagged "ready" (a worker without MongoDB cannot make progress),
    /// and <see cref="MongoRequiredIndexesHealthCheck"/> under "mongodb-required-indexes", tagged "ready" (a worker whose
    /// required unique indexes are missing must not consume).
    /// </summary>
    public static IHealthChecksBuilder AddMongoHealthCheck(this IHealthChecksBuilder builder, string name = HealthCheckName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<MongoRequiredIndexGate>();
        return builder
            .AddCheck<MongoHealthCheck>(name, HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<MongoRequiredIndexesHealthCheck>(RequiredIndexesHealthCheckName, HealthStatus.Unhealthy, [ReadyTag]);
    }

    /// <summary>
    /// Builds the indexes <paramref name="owners"/> own when the host starts (if Mongo:EnsureIndexesOnStart).
    /// Call it before registering the consumers: hosted services start in registration order.
    /// </summary>
    public static IServiceCollection AddMongoIndexBootstrap(this IServiceCollection services, params IndexOwner[] owners)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(owners);
        services.AddMongoIndexOwners(owners);
        services.AddHostedService<MongoIndexBootstrapService>();
        return services;
    }

    /// <summary>
    /// Adds owners to the worker's <see cref="MongoIndexOwners"/> (used at start and by <c>ensure-indexes</c>) without
    /// registering the bootstrap: for shared features (scheduling) whose indexes every worker using them must build.
    /// </summary>
    public static IServiceCollection AddMongoIndexOwners(this IServiceCollection services, params IndexOwner[] owners)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(owners);
        services.AddSingleton(new MongoIndexOwnerContribution([.. owners]));
        // One MongoIndexOwners from every contribution, in registration order, whoever registered first.
        services.TryAddSingleton(provider => new MongoIndexOwners(
            [.. provider.GetServices<MongoIndexOwnerContribution>().SelectMany(contribution => contribution.Owners).Distinct()]));
        return services;
    }
}
