using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using QuikApp.Workers.Shared.Health;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Logging;
using QuikApp.Workers.Shared.Metrics;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Hosting;

/// <summary>
/// The one call every worker makes: configuration, logging, metrics, health endpoints, Kafka and MongoDB wiring.
/// A worker's Program.cs then adds only its own handlers and jobs.
/// </summary>
public static class WorkerDefaults
{
    /// <summary>The seed's name for the MongoDB URL, honoured when <c>Mongo:ConnectionString</c> is not set.</summary>
    public const string MongoUrlVariable = "MONGODB_URL";

    public static WebApplicationBuilder AddQuikAppWorkerDefaults(this WebApplicationBuilder builder, string workerName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(workerName);
        var identity = new WorkerIdentity(workerName, Environment.MachineName);
        var services = builder.Services;
        var configuration = builder.Configuration;

        if (string.IsNullOrWhiteSpace(configuration["Mongo:ConnectionString"]) &&
            Environment.GetEnvironmentVariable(MongoUrlVariable) is { Length: > 0 } mongoUrl)
        {
            configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("Mongo:ConnectionString", mongoUrl)]);
        }

        services.AddSingleton(identity);
        services.AddSingleton(TimeProvider.System);
        services.AddQuikAppLogging(configuration, workerName);

        services.AddOptions<HealthOptions>()
            .BindConfiguration(HealthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkerCommand, HealthProbeCommand>());
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var health = context.Configuration.GetSection(HealthOptions.SectionName).Get<HealthOptions>() ?? new HealthOptions();
            if (health.Port is < 0 or > 65535 || (health.BindAddress is not ("*" or "0.0.0.0") && !System.Net.IPAddress.TryParse(health.BindAddress, out _)))
            {
                // Kestrel reads these before options validation runs: fail here with the setting's name.
                throw new OptionsValidationException(HealthOptions.SectionName, typeof(HealthOptions),
                    [$"Health:Port must be between 0 and 65535 and Health:BindAddress '*' or an IP address (got {health.Port}, '{health.BindAddress}')."]);
            }

            if (health.BindAddress is "*" or "0.0.0.0")
            {
                kestrel.ListenAnyIP(health.Port);
            }
            else
            {
                kestrel.Listen(System.Net.IPAddress.Parse(health.BindAddress), health.Port);
            }
        });

        services.Configure<HostOptions>(host =>
        {
            // Longer than the consumers' drain timeout, so a SIGTERM lets in-flight batches finish and commit.
            host.ShutdownTimeout = TimeSpan.FromSeconds(45);
        });

        services.AddQuikAppKafka();
        services.AddQuikAppMongo(configuration, workerName);

        services.AddMetrics();
        services.AddSingleton<WorkerMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService($"quikapp-{workerName}", serviceInstanceId: identity.InstanceId))
            .WithMetrics(metrics => metrics
                .AddMeter(WorkerMetrics.MeterName)
                .AddMeter("System.Runtime")
                .AddPrometheusExporter());

        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("the process answers"), [HealthEndpoints.LiveTag])
            .AddCheck<KafkaHealthCheck>("kafka", HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag])
            .AddMongoHealthCheck();
        return builder;
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>.</summary>
    public static WebApplication MapQuikAppWorkerEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapQuikAppHealth();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
