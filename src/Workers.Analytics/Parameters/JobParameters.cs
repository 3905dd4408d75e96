using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Analytics.Parameters;

/// <summary>A job's settings, bound from <c>Scheduling:Jobs:&lt;name&gt;:Parameters</c> and checked at start-up.</summary>
public interface IJobParameters
{
    /// <summary>What is wrong, one message per setting, each naming its full key (<paramref name="section"/>:Setting).</summary>
    IEnumerable<string> Problems(string section);
}

/// <summary>Registers job parameters so that a bad value stops the worker at start, with a message naming the key.</summary>
public static class JobParametersRegistration
{
    /// <summary>The configuration section a job's parameters live in, e.g. <c>Scheduling:Jobs:unread-counts:Parameters</c>.</summary>
    public static string SectionFor(string job) => SchedulingOptions.JobKey(job, "Parameters");

    /// <summary>
    /// Binds <typeparamref name="TParameters"/> to the job's Parameters section (the one <see cref="JobRunContext.Parameters"/>
    /// exposes) and validates it on start; <c>run-job</c>, which starts no host, validates on first use instead.
    /// </summary>
    public static IServiceCollection AddJobParameters<TParameters>(this IServiceCollection services, string job)
        where TParameters : class, IJobParameters, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        var section = SectionFor(job);
        services.AddOptions<TParameters>().BindConfiguration(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TParameters>>(new JobParametersValidator<TParameters>(section)));
        return services;
    }
}

/// <summary>Turns <see cref="IJobParameters.Problems"/> into an options validation failure.</summary>
public sealed class JobParametersValidator<TParameters>(string section) : IValidateOptions<TParameters>
    where TParameters : class, IJobParameters
{
    public ValidateOptionsResult Validate(string? name, TParameters options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems(section).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Range checks shared by the parameter classes, so every message reads the same.</summary>
public static class ParameterChecks
{
    public static IEnumerable<string> InRange(string section, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            yield return $"{section}:{setting} must be between {min} and {max} (got {value}).";
        }
    }

    public static IEnumerable<string> InRange(string section, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            yield return $"{section}:{setting} must be between {min} and {max} (got {value}).";
        }
    }
}
