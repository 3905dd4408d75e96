namespace QuikApp.Workers.Analytics.Tests.Dataset;

/// <summary>
/// The generated history has what the real-lane specifications rely on (they skip here, the generator does not): drift to
/// fix, a day whose messages are all deleted, unattributed reports, enough receipts to sweep in steps.
/// </summary>
public sealed class ChatDatasetTests
{
    private readonly ChatDataset _data = ChatDataset.Generate();

    [Fact]
    public void Generate_SameSeed_SameHistory()
    {
        var again = ChatDataset.Generate();

        Assert.Equal(_data.Messages.Select(m => (m.WorkspaceId, m.CreatedAt, m.Deleted)), again.Messages.Select(m => (m.WorkspaceId, m.CreatedAt, m.Deleted)));
        Assert.Equal(_data.Reactions.Count, again.Reactions.Count);
    }

    [Fact]
    public void Generate_HasDriftedReactionsAndThreads_OnUndeletedMessages()
    {
        Assert.NotEmpty(_data.DriftedReactions);
        Assert.NotEmpty(_data.DriftedThreads);
        Assert.All(_data.DriftedReactions, id => Assert.False(_data.Messages.Single(m => m.Id == id).Deleted));
        Assert.Contains(_data.Messages, m => !m.Deleted && _data.Reactions.All(r => r.MessageId != m.Id));
        Assert.Contains(_data.Messages, m => m.ThreadId is { } parent && !m.Deleted && !_data.Messages.Single(p => p.Id == parent).Deleted);
    }

    [Fact]
    public void Generate_OneWorkspaceDayIsAllDeleted_AndHasNoFigures()
    {
        var day = ChatDataset.FirstDay.AddDays(1);

        Assert.Contains(_data.Messages, m => m.WorkspaceId == _data.Workspaces[2] && m.CreatedAt.Date == day);
        Assert.DoesNotContain((_data.Workspaces[2], day), _data.ExpectedDailyStats().Keys);
        Assert.Contains(_data.Messages, m => m.WorkspaceId == _data.Workspaces[0] && m.CreatedAt.Date == ChatDataset.FirstDay.AddDays(2) && !m.Deleted);
        Assert.Contains((_data.Workspaces[1], ChatDataset.FirstDay), _data.ExpectedDailyStats().Keys);
        Assert.Contains(_data.Messages, m => m.WorkspaceId == _data.Workspaces[2] && m.CreatedAt.Date == ChatDataset.FirstDay.AddDays(3) && !m.Deleted);
    }

    [Fact]
    public void Generate_ReactionsAreOnePerUserAndMessage_AsTheSeedsUniqueIndexRequires()
    {
        Assert.Equal(_data.Reactions.Count, _data.Reactions.Select(r => (r.UserId, r.MessageId)).Distinct().Count());
        Assert.Equal(_data.Receipts.Count, _data.Receipts.Select(r => (r.ChannelId, r.UserId)).Distinct().Count());
        Assert.Equal(_data.Results.Count, _data.Results.Select(r => r.MessageId).Distinct().Count());
    }

    [Fact]
    public void Generate_ReceiptsAndModeration_CoverTheCasesTheJobsDistinguish()
    {
        var from = ChatDataset.FirstDay.AddDays(-1);
        var to = ChatDataset.FirstDay.AddDays(10);

        Assert.True(_data.Receipts.Count > 8);
        Assert.Contains(_data.Receipts, r => r.LastReadAt is null);
        Assert.Contains(_data.Receipts, r => _data.ExpectedUnread(r, int.MaxValue) > 3);
        Assert.True(_data.ExpectedUnattributedReports(from, to) > 0);
        Assert.Contains(_data.Results, r => r.ProcessedAt is null);
        Assert.Contains(_data.Reports, r => r.Status == "actioned");
        var figures = _data.ExpectedModerationDaily(from, to);
        Assert.Contains(figures, pair => pair.Key.Workspace == _data.Workspaces[0] && pair.Key.Day == ChatDataset.FirstDay.AddDays(4) && pair.Value.Scored > 0);
        Assert.Contains(figures.Values, value => value.Flagged > 0);
        Assert.Contains(figures.Values, value => value.Blocked > 0);
        Assert.Contains(figures.Values, value => value.Actioned > 0);
    }

    [Fact]
    public void Generate_EveryWriteIsBeforeNow_SoTheIncrementalSpecificationsSeeOnlyTheirOwnWrites()
    {
        var cutoff = ChatDataset.Now.UtcDateTime.AddMinutes(-5);

        Assert.All(_data.Messages, m => Assert.True(m.UpdatedAt < cutoff));
        Assert.All(_data.Reactions, r => Assert.True(r.CreatedAt < cutoff));
    }
}
