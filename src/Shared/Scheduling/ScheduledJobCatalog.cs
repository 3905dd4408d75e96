using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Quartz;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>A job as registered in code: its name, implementation and default cron (<see cref="SchedulingServiceCollectionExtensions.AddScheduledJob{TJob}"/>).</summary>
public sealed record ScheduledJobRegistration(string Name, Type JobType, string? DefaultCron);

/// <summary>A job as this worker runs it: registration plus configuration (effective cron, enabled, parameters).</summary>
public sealed record ScheduledJobDefinition(string Name, string Cron, CronExpression Schedule, bool Enabled, IConfiguration Parameters);

/// <summary>The jobs this worker has, with their effective settings; what the Quartz wiring and <c>run-job</c> look jobs up in.</summary>
public sealed class ScheduledJobCatalog
{
    private readonly Dictionary<string, ScheduledJobDefinition> _byName;

    public ScheduledJobCatalog(IEnumerable<ScheduledJobRegistration> registrations, IOptions<SchedulingOptions> options, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        configuration ??= new ConfigurationBuilder().Build();
        _byName = new Dictionary<string, ScheduledJobDefinition>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            var configured = settings.Jobs.GetValueOrDefault(registration.Name);
            var cron = string.IsNullOrWhiteSpace(configured?.Cron) ? registration.DefaultCron : configured.Cron;
            // Options are validated on start; a bad cron here means validation was bypassed, so say which setting.
            var schedule = JobCron.TryParse(cron, out var parsed, out var error)
                ? parsed!
                : throw new InvalidOperationException($"{SchedulingOptions.JobKey(registration.Name, nameof(ScheduledJobSettings.Cron))}: {error}.");
            _byName[registration.Name] = new ScheduledJobDefinition(
                registration.Name,
                cron!.Trim(),
                schedule,
                configured?.Enabled ?? true,
                configuration.GetSection(SchedulingOptions.JobKey(registration.Name, "Parameters")));
        }
    }

    /// <summary>Every registered job, by name.</summary>
    public IReadOnlyList<ScheduledJobDefinition> Jobs => [.. _byName.Values.OrderBy(job => job.Name, StringComparer.Ordinal)];

    public ScheduledJobDefinition? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>Who this process is to a lease: the worker instance plus a per-process nonce.</summary>
/// <remarks>
/// The nonce keeps two processes on one host (the worker and a <c>run-job</c> beside it, or a restarted pod with the same
/// name) from counting as the same owner, which would let one take over the other's live lease as "already ours".
/// </remarks>
public sealed record LeaseOwner(string Value)
{
    public static LeaseOwner For(string workerName, string instanceId) =>
        new($"{workerName}/{instanceId}#{Guid.NewGuid().ToString("N")[..8]}");

    public override string ToString() => Value;
}
