using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Health;

namespace QuikApp.Workers.Files.Scanning;

/// <summary>Registers the clamd client, its options (validated at start) and its readiness check in one call.</summary>
public static class ClamdServiceCollectionExtensions
{
    public const string HealthCheckName = "clamd";

    /// <summary>
    /// Binds <see cref="ClamdOptions"/> from <c>Files:Clamd</c> (checked at start-up), registers one
    /// <see cref="ClamdClient"/> per process (its semaphore is the process-wide scan limit) and adds
    /// <see cref="ClamdHealthCheck"/> under "clamd", tagged "ready".
    /// </summary>
    public static IServiceCollection AddClamdScanning(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ClamdOptions>()
            .BindConfiguration(ClamdOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClamdOptions>, ClamdOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClamdClient>();
        services.AddHealthChecks()
            .AddCheck<ClamdHealthCheck>(HealthCheckName, HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]);
        return services;
    }
}
