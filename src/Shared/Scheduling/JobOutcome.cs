namespace QuikApp.Workers.Shared.Scheduling;

/// <summary>How a job says its run ended: succeeded, failed or skipped (nothing to do), with counts and a one-line message.</summary>
public sealed record JobOutcome
{
    private JobOutcome(JobOutcomeStatus status, string? message)
    {
        Status = status;
        Message = message;
    }

    public JobOutcomeStatus Status { get; }

    public string? Message { get; init; }

    /// <summary>Counts the job reports in addition to (and over) what it put in <see cref="JobRunContext.Counts"/>.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; init; } = new Dictionary<string, long>();

    /// <summary>The window the run actually covered, when the job derived it itself (a scheduled run); recorded in job_runs.</summary>
    public JobWindow? Window { get; init; }

    public static JobOutcome Succeeded(string? message = null) => new(JobOutcomeStatus.Succeeded, message);

    public static JobOutcome Failed(string message) => new(JobOutcomeStatus.Failed, message);

    public static JobOutcome Skipped(string? message = null) => new(JobOutcomeStatus.Skipped, message);
}

/// <summary>What a job can say about its own run.</summary>
public enum JobOutcomeStatus
{
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>A half-open time window [From, To) a run covers; either end may be open (null) and then the job decides.</summary>
public readonly record struct JobWindow(DateTimeOffset? From, DateTimeOffset? To)
{
    public bool IsEmpty => From is null && To is null;
}
