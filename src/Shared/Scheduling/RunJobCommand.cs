using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Hosting;

namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>
/// <c>run-job &lt;name&gt; [--from yyyy-MM-dd] [--to yyyy-MM-dd]</c>: runs a job once now through the same lease (no fire
/// time, so it only excludes a concurrent run), records it with trigger=cli and prints the result as JSON.
/// Exit 0 when the job ran and succeeded or skipped, 1 when it failed, lost its lease or could not take it, 2 on usage errors.
/// </summary>
internal sealed class RunJobCommand : IWorkerCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Name => "run-job";

    public string Usage => "run-job <name> [--from yyyy-MM-dd] [--to yyyy-MM-dd]";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(services, arguments, Console.Out, Console.Error, cancellationToken);

    internal async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var catalog = services.GetRequiredService<ScheduledJobCatalog>();
        RunJobArguments parsed;
        try
        {
            parsed = RunJobArguments.Parse(arguments);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\nusage: {Usage}\n{JobList(catalog)}").ConfigureAwait(false);
            return 2;
        }

        if (catalog.Find(parsed.Job) is null)
        {
            await error.WriteLineAsync($"unknown job '{parsed.Job}'\n{JobList(catalog)}").ConfigureAwait(false);
            return 2;
        }

        var runner = services.GetRequiredService<LeasedJobRunner>();
        JobRunResult result;
        try
        {
            result = await runner.RunAsync(new JobRunRequest(parsed.Job, JobRunTrigger.Cli, null, parsed.Window), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // MongoDB unreachable and the like: still answer in JSON, so scripts parse one shape.
            var failure = JobRunError.From(ex);
            await output.WriteLineAsync(JsonSerializer.Serialize(new { job = parsed.Job, status = "failed", error = failure }, Json)).ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync(Render(result)).ConfigureAwait(false);
        return result.LeaseAcquired && result.Status is JobRunStatus.Succeeded or JobRunStatus.Skipped ? 0 : 1;
    }

    internal static string Render(JobRunResult result) => JsonSerializer.Serialize(
        new
        {
            runId = result.RunId,
            job = result.Job,
            trigger = SchedulingWireNames.Of(result.Trigger),
            status = result.LeaseAcquired ? SchedulingWireNames.Of(result.Status) : "not-run",
            window = result.Window.IsEmpty ? null : new { from = result.Window.From, to = result.Window.To },
            startedAt = result.StartedAt,
            finishedAt = result.FinishedAt,
            counts = result.Counts,
            message = result.Message,
            error = result.Error,
        },
        Json);

    private static string JobList(ScheduledJobCatalog catalog) =>
        catalog.Jobs.Count == 0
            ? "this worker has no scheduled jobs"
            : "jobs: " + string.Join(", ", catalog.Jobs.Select(job => job.Enabled ? $"{job.Name} ({job.Cron})" : $"{job.Name} ({job.Cron}, disabled)"));
}

/// <summary>The parsed arguments of <c>run-job</c>. <c>--to</c> is exclusive: <c>--from 2026-01-01 --to 2026-01-02</c> is one UTC day.</summary>
internal sealed record RunJobArguments(string Job, JobWindow Window)
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <exception cref="ArgumentException">The arguments are not <c>&lt;name&gt; [--from yyyy-MM-dd] [--to yyyy-MM-dd]</c>.</exception>
    public static RunJobArguments Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string? job = null;
        DateTimeOffset? from = null;
        DateTimeOffset? to = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                job = job is null ? argument : throw new ArgumentException($"unexpected argument '{argument}': give one job name");
                continue;
            }

            var (option, value) = SplitOption(argument, arguments, ref i);
            switch (option)
            {
                case "--from":
                    from = from is null ? ParseDate(option, value) : throw new ArgumentException("--from is given twice");
                    break;
                case "--to":
                    to = to is null ? ParseDate(option, value) : throw new ArgumentException("--to is given twice");
                    break;
                default:
                    throw new ArgumentException($"unknown option '{option}'");
            }
        }

        if (string.IsNullOrWhiteSpace(job))
        {
            throw new ArgumentException("the job name is missing");
        }

        if (from is { } start && to is { } end && end <= start)
        {
            throw new ArgumentException($"--to ({end:yyyy-MM-dd}) must be after --from ({start:yyyy-MM-dd}); --to is exclusive");
        }

        return new RunJobArguments(job, new JobWindow(from, to));
    }

    private static (string Option, string Value) SplitOption(string argument, IReadOnlyList<string> arguments, ref int index)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0)
        {
            return (argument[..equals], argument[(equals + 1)..]);
        }

        if (index + 1 >= arguments.Count || arguments[index + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{argument} needs a date ({DateFormat})");
        }

        index++;
        return (argument, arguments[index]);
    }

    private static DateTimeOffset ParseDate(string option, string value) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : throw new ArgumentException($"{option} '{value}' is not a date ({DateFormat})");
}
