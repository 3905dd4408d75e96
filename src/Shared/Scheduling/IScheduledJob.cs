namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>A unit of scheduled work (a daily aggregation, a sweeper): run once per firing across every replica of the worker.</summary>
/// <remarks>
/// Registered with <see cref="SchedulingServiceCollectionExtensions.AddScheduledJob{TJob}"/> and resolved from a fresh DI
/// scope for each run. The run holds the job's MongoDB lease for as long as <see cref="RunAsync"/> runs; when the lease is
/// lost the <see cref="CancellationToken"/> is cancelled, so a job must honour it and stop writing.
/// </remarks>
public interface IScheduledJob
{
    /// <summary>Runs the job once. Fill <see cref="JobRunContext.Counts"/> as you go; throw (or return <see cref="JobOutcome.Failed"/>) on failure.</summary>
    Task<JobOutcome> RunAsync(JobRunContext context, CancellationToken cancellationToken);
}
