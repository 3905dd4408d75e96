using QuikApp.Workers.Analytics.Parameters;

namespace QuikApp.Workers.Analytics.Reconciliation;

/// <summary>counter-reconciliation settings (<c>Scheduling:Jobs:counter-reconciliation:Parameters</c>).</summary>
public sealed class CounterReconciliationParameters : IJobParameters
{
    /// <summary>Messages checked per round of queries (their reactions, their replies). Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Messages the rolling sweep rechecks per scheduled run, beyond those written since the last run, so drift that no
    /// write announces (a reaction removed without its message being updated) is found too. 0 turns it off. Default 5000.
    /// </summary>
    public int SweepSize { get; set; } = 5000;

    /// <inheritdoc cref="MessageStats.DailyMessageStatsParameters.Overlap"/>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the very first run looks for written messages and new reactions. Default 1 day.</summary>
    public TimeSpan FirstRunLookback { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<string> Problems(string section) =>
        ParameterChecks.InRange(section, nameof(BatchSize), BatchSize, 1, 10_000)
            .Concat(ParameterChecks.InRange(section, nameof(SweepSize), SweepSize, 0, 1_000_000))
            .Concat(ParameterChecks.InRange(section, nameof(Overlap), Overlap, TimeSpan.Zero, TimeSpan.FromDays(1)))
            .Concat(ParameterChecks.InRange(section, nameof(FirstRunLookback), FirstRunLookback, TimeSpan.FromMinutes(1), TimeSpan.FromDays(400)));
}
