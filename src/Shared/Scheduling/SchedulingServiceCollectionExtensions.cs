using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Registers scheduled jobs and the Quartz + MongoDB-lease machinery that runs each firing once across replicas.</summary>
public static partial class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TJob"/> as the scheduled job <paramref name="name"/> (lowercase letters, digits and dashes;
    /// it is the lease's <c>_id</c> and the Quartz key). <c>Scheduling:Jobs:&lt;name&gt;:Cron</c> overrides <paramref name="defaultCron"/>.
    /// </summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services, string name, string? defaultCron = null)
        where TJob : class, IScheduledJob
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        if (!JobName().IsMatch(name))
        {
            throw new ArgumentException($"Scheduled job name '{name}' must be 1-64 lowercase letters, digits or dashes, starting with a letter or digit.", nameof(name));
        }

        if (services.Any(descriptor => descriptor.ImplementationInstance is ScheduledJobRegistration existing && existing.Name == name))
        {
            throw new ArgumentException($"A scheduled job named '{name}' is already registered.", nameof(name));
        }

        services.AddSingleton(new ScheduledJobRegistration(name, typeof(TJob), defaultCron));
        services.AddKeyedScoped<IScheduledJob, TJob>(name);
        return services;
    }

    /// <summary>
    /// Wires scheduling: options (section "Scheduling", validated on start), the MongoDB lease and job-run stores, Quartz with
    /// the in-memory store and its hosted service (waiting for running jobs on shutdown), the start-up registrar with
    /// catch-up, the <c>run-job</c> verb, and the job_runs index (owner <see cref="IndexOwner.Scheduling"/>) in this worker's
    /// index bootstrap. Needs <c>AddQuikAppMongo</c> (part of the worker defaults). Calling it twice is harmless.
    /// </summary>
    public static IServiceCollection AddQuikAppScheduling(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(SchedulingMarker)))
        {
            return services;
        }

        services.AddSingleton<SchedulingMarker>();
        services.AddOptions<SchedulingOptions>()
            .BindConfiguration(SchedulingOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => provider.GetService<WorkerIdentity>() is { } identity
            ? LeaseOwner.For(identity.Name, identity.InstanceId)
            : LeaseOwner.For("worker", Environment.MachineName));
        services.TryAddSingleton(provider => new ScheduledJobCatalog(
            provider.GetServices<ScheduledJobRegistration>(),
            provider.GetRequiredService<IOptions<SchedulingOptions>>(),
            provider.GetService<IConfiguration>()));
        services.TryAddSingleton<ILeaseStore, MongoLeaseStore>();
        services.TryAddSingleton<IJobRunStore, MongoJobRunStore>();
        services.TryAddSingleton<LeasedJobRunner>();
        services.TryAddTransient<LeasedQuartzJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkerCommand, RunJobCommand>());

        services.AddMongoIndexOwners(IndexOwner.Scheduling);
        services.AddHostedService<MongoIndexBootstrapService>();

        // Before Quartz's hosted service: the triggers are stored before the scheduler starts.
        services.AddHostedService<ScheduledJobRegistrar>();
        services.AddQuartz(quartz => quartz.UseInMemoryStore(_ => { }));
        services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        return services;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex JobName();

    private sealed class SchedulingMarker;
}
