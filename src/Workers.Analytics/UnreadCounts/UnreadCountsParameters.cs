using QuikApp.Workers.Analytics.Parameters;

namespace QuikApp.Workers.Analytics.UnreadCounts;

/// <summary>unread-counts settings (<c>Scheduling:Jobs:unread-counts:Parameters</c>).</summary>
public sealed class UnreadCountsParameters : IJobParameters
{
    /// <summary>Read receipts per aggregation of the rolling sweep, and per bulk write. Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Channels per aggregation when refreshing the channels that had messages written. Default 100.</summary>
    public int ChannelsPerBatch { get; set; } = 100;

    /// <summary>Counting stops here: a channel with more unread messages stores this number (clients show "999+"). Default 1000.</summary>
    public int Cap { get; set; } = 1000;

    /// <summary>Read receipts the rolling sweep rechecks per scheduled run, so every receipt is verified now and then. 0 turns it off. Default 2000.</summary>
    public int SweepSize { get; set; } = 2000;

    /// <inheritdoc cref="MessageStats.DailyMessageStatsParameters.Overlap"/>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the very first run looks for channels with new messages. Default 1 day.</summary>
    public TimeSpan FirstRunLookback { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<string> Problems(string section) =>
        ParameterChecks.InRange(section, nameof(BatchSize), BatchSize, 1, 10_000)
            .Concat(ParameterChecks.InRange(section, nameof(ChannelsPerBatch), ChannelsPerBatch, 1, 10_000))
            .Concat(ParameterChecks.InRange(section, nameof(Cap), Cap, 1, 1_000_000))
            .Concat(ParameterChecks.InRange(section, nameof(SweepSize), SweepSize, 0, 1_000_000))
            .Concat(ParameterChecks.InRange(section, nameof(Overlap), Overlap, TimeSpan.Zero, TimeSpan.FromDays(1)))
            .Concat(ParameterChecks.InRange(section, nameof(FirstRunLookback), FirstRunLookback, TimeSpan.FromMinutes(1), TimeSpan.FromDays(400)));
}
