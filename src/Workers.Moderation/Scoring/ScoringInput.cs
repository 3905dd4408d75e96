namespace QuikApp.Workers.Moderation.Scoring;

/// <summary>What the checks see of one message: its text and the chat context the spam heuristics need.</summary>
/// <param name="Content">The message text as sent (never logged).</param>
/// <param name="UserId">The author, when known (flood detection is per user).</param>
/// <param name="ChannelId">The channel it was posted in (cross-posting is counted across channels).</param>
/// <param name="WorkspaceId">The workspace it was posted in.</param>
/// <param name="MentionCount">How many users the message @-mentions.</param>
/// <param name="MentionsEveryone">Whether it mentions @everyone / @channel.</param>
/// <param name="At">When the message was sent or edited (flood windows are measured in this time, not the clock's).</param>
public sealed record ScoringInput(
    string Content,
    Guid? UserId = null,
    Guid? ChannelId = null,
    Guid? WorkspaceId = null,
    int MentionCount = 0,
    bool MentionsEveryone = false,
    DateTimeOffset At = default);

/// <summary>
/// One check's verdict on one message: a score in [0, 1] (whether it is flagged is decided by the policy's thresholds)
/// and the signals that fired, for the moderator (e.g. <c>term:sh*t</c>, <c>links:3</c>, <c>flood:5/60s</c>).
/// </summary>
public sealed record CheckResult(double Score, IReadOnlyList<string> Signals)
{
    public static CheckResult Clean { get; } = new(0, []);
}
