using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>Fails start-up on a bad schedule: invalid cron, lease timings that cannot hold, or settings for a job this worker does not have.</summary>
public sealed class SchedulingOptionsValidator(IEnumerable<ScheduledJobRegistration> registrations) : IValidateOptions<SchedulingOptions>
{
    private readonly IReadOnlyList<ScheduledJobRegistration> _registrations = [.. registrations];

    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.LeaseDuration <= TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(SchedulingOptions.LeaseDuration))} must be positive (e.g. 00:02:00).");
        }

        if (options.RenewInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(SchedulingOptions.RenewInterval))} must be positive (e.g. 00:00:30).");
        }
        else if (options.LeaseDuration > TimeSpan.Zero && options.RenewInterval * 2 > options.LeaseDuration)
        {
            failures.Add(
                $"{Key(nameof(SchedulingOptions.RenewInterval))} ({options.RenewInterval}) must be at most half of " +
                $"{Key(nameof(SchedulingOptions.LeaseDuration))} ({options.LeaseDuration}), so a lease survives one failed renewal.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(SchedulingOptions.OperationTimeout))} must be positive (e.g. 00:00:10).");
        }
        else if (options.RenewInterval > TimeSpan.Zero && options.OperationTimeout > options.RenewInterval)
        {
            failures.Add(
                $"{Key(nameof(SchedulingOptions.OperationTimeout))} ({options.OperationTimeout}) must be at most " +
                $"{Key(nameof(SchedulingOptions.RenewInterval))} ({options.RenewInterval}), so a hung renewal ends before the next is due.");
        }

        var declared = SchedulingIndexes.Databases();
        if (!declared.Contains(options.Database))
        {
            failures.Add(
                $"{Key(nameof(SchedulingOptions.Database))} '{options.Database}' has no job_runs index declared in MongoIndexCatalog " +
                $"(declared for: {string.Join(", ", declared)}).");
        }

        foreach (var registration in _registrations)
        {
            var settings = options.Jobs.GetValueOrDefault(registration.Name);
            var cron = string.IsNullOrWhiteSpace(settings?.Cron) ? registration.DefaultCron : settings.Cron;
            if (!JobCron.TryParse(cron, out _, out var error))
            {
                var key = SchedulingOptions.JobKey(registration.Name, nameof(ScheduledJobSettings.Cron));
                failures.Add(string.IsNullOrWhiteSpace(cron)
                    ? $"{key} is required: job '{registration.Name}' was registered without a default cron."
                    : $"{key} '{cron}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year], UTC): {error}.");
            }
        }

        var registered = _registrations.Select(registration => registration.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var configured in options.Jobs.Keys.Where(job => !registered.Contains(job)).Order(StringComparer.Ordinal))
        {
            failures.Add(
                $"{SchedulingOptions.SectionName}:Jobs:{configured} configures a job this worker does not register " +
                $"(registered: {(registered.Count == 0 ? "none" : string.Join(", ", registered.Order(StringComparer.Ordinal)))}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{SchedulingOptions.SectionName}:{property}";
}

/// <summary>The scheduling indexes in <see cref="MongoIndexCatalog"/>: where job_runs is indexed, i.e. where scheduling may live.</summary>
internal static class SchedulingIndexes
{
    public static IReadOnlyList<QuikAppDatabase> Databases() =>
        [.. MongoIndexCatalog.All
            .Where(index => index.Owner == IndexOwner.Scheduling && index.Collection == MongoCatalog.Collections.JobRuns)
            .Select(index => index.Database)
            .Distinct()];
}
