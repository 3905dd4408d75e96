using MongoDB.Bson;
using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.Moderation.Tests.Learning;

public sealed class ModerationLabelsTests
{
    private static readonly ObjectId Message = ObjectId.Parse("65a000000000000000000001");
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    /// <summary>reason, status, action → spam label, toxic label (null: no label; "none": the message gets no labels at all).</summary>
    public static TheoryData<string, string, string?, bool?, bool?> Table => new()
    {
        { "spam", "actioned", "delete", true, null },
        { "spam", "actioned", "warn", true, null },
        { "spam", "actioned", null, true, null },
        { "spam", "dismissed", null, false, null },
        { "harassment", "actioned", "ban", null, true },
        { "harassment", "dismissed", null, null, false },
        { "inappropriate", "actioned", "delete", null, true },
        { "inappropriate", "dismissed", null, null, false },
        { "other", "actioned", "delete", null, null },
        { "other", "dismissed", null, null, null },
        { "something-new", "actioned", null, null, null },
        { "spam", "pending", null, null, null },
        { "spam", "reviewed", null, null, null },
        { "harassment", "reviewed", "warn", null, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Derive_OneReport_LabelsAsTheTableSays(string reason, string status, string? action, bool? spam, bool? toxic)
    {
        var labels = ModerationLabels.Derive([Report(1, reason, status, action, At)]);

        if (spam is null && toxic is null)
        {
            Assert.Empty(labels);
            return;
        }

        var label = Assert.Single(labels);
        Assert.Equal(Message, label.MessageId);
        Assert.Equal(spam, label.Spam?.IsPositive);
        Assert.Equal(toxic, label.Toxic?.IsPositive);
    }

    [Fact]
    public void Derive_SeveralDecisionsOnOneTask_TheLatestReviewWins()
    {
        var labels = ModerationLabels.Derive(
        [
            Report(1, "spam", "actioned", "warn", At),
            Report(2, "spam", "dismissed", null, At.AddHours(2)),   // a second moderator overruled the first
            Report(3, "spam", "actioned", null, At.AddHours(1)),
        ]);

        var label = Assert.Single(labels);
        Assert.False(label.Spam!.Value.IsPositive);
        Assert.Equal(At.AddHours(2), label.Spam.Value.DecidedAt);
    }

    [Fact]
    public void Derive_DecisionsAtTheSameInstant_TheLaterReportIdWins()
    {
        var labels = ModerationLabels.Derive([Report(2, "harassment", "actioned", null, At), Report(1, "harassment", "dismissed", null, At)]);

        Assert.True(Assert.Single(labels).Toxic!.Value.IsPositive);
    }

    [Fact]
    public void Derive_HarassmentAndInappropriate_AreOneTaskAndTheLatestDecides()
    {
        var labels = ModerationLabels.Derive([Report(1, "harassment", "actioned", null, At), Report(2, "inappropriate", "dismissed", null, At.AddMinutes(1))]);

        Assert.False(Assert.Single(labels).Toxic!.Value.IsPositive);
    }

    [Fact]
    public void Derive_SpamAndHarassmentReportsOnOneMessage_LabelBothTasksIndependently()
    {
        var labels = ModerationLabels.Derive([Report(1, "spam", "dismissed", null, At), Report(2, "harassment", "actioned", "warn", At.AddMinutes(-5))]);

        var label = Assert.Single(labels);
        Assert.False(label.Spam!.Value.IsPositive);
        Assert.True(label.Toxic!.Value.IsPositive);
    }

    [Fact]
    public void Derive_PendingReportAfterADecision_DoesNotChangeIt()
    {
        var labels = ModerationLabels.Derive([Report(1, "spam", "actioned", null, At), Report(2, "spam", "pending", null, At.AddDays(1))]);

        Assert.True(Assert.Single(labels).Spam!.Value.IsPositive);
    }

    [Theory]
    [InlineData("spam", "actioned", "delete", true)]
    [InlineData("other", "actioned", "delete", true)]      // any actioned deletion explains why the message is gone
    [InlineData("spam", "actioned", "warn", false)]
    [InlineData("spam", "dismissed", "delete", false)]     // a dismissed report deleted nothing
    public void Derive_ActionedWithDelete_MarksTheMessageDeletedByAModerator(string reason, string status, string action, bool expected)
    {
        var labels = ModerationLabels.Derive([Report(1, "harassment", "dismissed", null, At), Report(2, reason, status, action, At)]);

        Assert.Equal(expected, Assert.Single(labels).DeletedByModerator);
    }

    [Fact]
    public void Derive_ManyMessages_OneLabelEachInIdOrder()
    {
        var second = ObjectId.Parse("65a000000000000000000002");
        var labels = ModerationLabels.Derive(
        [
            Report(1, "spam", "actioned", null, At) with { MessageId = second },
            Report(2, "spam", "dismissed", null, At),
        ]);

        Assert.Equal([Message, second], labels.Select(l => l.MessageId));
    }

    private static ResolvedReport Report(int id, string reason, string status, string? action, DateTimeOffset reviewedAt) =>
        new(ObjectId.Parse($"65b{id:x21}"), Message, reason, status, action, reviewedAt);
}
