using QuikApp.Workers.Analytics.Parameters;

namespace QuikApp.Workers.Analytics.MessageStats;

/// <summary>daily-message-stats settings (<c>Scheduling:Jobs:daily-message-stats:Parameters</c>).</summary>
public sealed class DailyMessageStatsParameters : IJobParameters
{
    /// <summary>How far before the last run's start a run looks for changed messages again (late commits, replica lag). Default 5 min.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the very first run looks for changed messages; older history is a backfill (<c>run-job --from</c>). Default 1 day.</summary>
    public TimeSpan FirstRunLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>(workspace, day range) clauses per recompute aggregation. Default 50.</summary>
    public int ClausesPerBatch { get; set; } = 50;

    public IEnumerable<string> Problems(string section) =>
        ParameterChecks.InRange(section, nameof(Overlap), Overlap, TimeSpan.Zero, TimeSpan.FromDays(1))
            .Concat(ParameterChecks.InRange(section, nameof(FirstRunLookback), FirstRunLookback, TimeSpan.FromMinutes(1), TimeSpan.FromDays(400)))
            .Concat(ParameterChecks.InRange(section, nameof(ClausesPerBatch), ClausesPerBatch, 1, 1000));
}
