using QuikApp.Workers.Analytics.Parameters;

namespace QuikApp.Workers.Analytics.ModerationStats;

/// <summary>moderation-daily settings (<c>Scheduling:Jobs:moderation-daily:Parameters</c>).</summary>
public sealed class ModerationDailyParameters : IJobParameters
{
    /// <summary>UTC days a scheduled run recomputes, ending today (2: yesterday and today). Default 2.</summary>
    public int Days { get; set; } = 2;

    /// <summary>How far before the last run's start the recomputed days reach back at least (after downtime, the missed days too). Default 5 min.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Problems(string section) =>
        ParameterChecks.InRange(section, nameof(Days), Days, 1, 400)
            .Concat(ParameterChecks.InRange(section, nameof(Overlap), Overlap, TimeSpan.Zero, TimeSpan.FromDays(1)));
}
