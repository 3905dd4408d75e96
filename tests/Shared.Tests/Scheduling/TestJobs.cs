using System.Collections.Concurrent;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>What the test jobs saw, shared through DI so a test can read it after the scheduler ran them.</summary>
public sealed class JobProbe
{
    public ConcurrentQueue<JobRunContext> Runs { get; } = new();

    /// <summary>What the next run does; default: count one item and succeed.</summary>
    public Func<JobRunContext, CancellationToken, Task<JobOutcome>> Behaviour { get; set; } = (context, _) =>
    {
        context.Add("fixed", 12);
        return Task.FromResult(JobOutcome.Succeeded("fixed 12"));
    };
}

/// <summary>A scheduled job that reports to <see cref="JobProbe"/>.</summary>
public sealed class ProbeJob(JobProbe probe) : IScheduledJob
{
    public Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        probe.Runs.Enqueue(context);
        return probe.Behaviour(context, cancellationToken);
    }
}
