using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Tests.Events;

public sealed class EventDataEqualityTests
{
    [Fact]
    public void MessageSent_EqualListsInDifferentInstances_AreEqual()
    {
        var sent = (MessageSent)EventSamples.MessageSent.Expected.Data;

        var copy = sent with { Mentions = [.. sent.Mentions], Attachments = [.. sent.Attachments] };

        Assert.Equal(sent, copy);
        Assert.Equal(sent.GetHashCode(), copy.GetHashCode());
    }

    [Fact]
    public void MessageSent_DifferentMention_IsNotEqual()
    {
        var sent = (MessageSent)EventSamples.MessageSent.Expected.Data;

        Assert.NotEqual(sent, sent with { Mentions = [Guid.NewGuid()] });
    }

    [Fact]
    public void ModerationFlagged_SameChecksInAnotherOrder_AreEqual()
    {
        var flagged = (ModerationFlagged)EventSamples.ModerationFlagged.Expected.Data;

        var reordered = flagged with { Checks = flagged.Checks.Reverse().ToDictionary() };

        Assert.Equal(flagged, reordered);
    }

    [Fact]
    public void ModerationFlagged_DifferentCheckResult_IsNotEqual()
    {
        var flagged = (ModerationFlagged)EventSamples.ModerationFlagged.Expected.Data;

        var changed = flagged with { Checks = flagged.Checks.ToDictionary(c => c.Key, c => c.Value with { Flagged = !c.Value.Flagged }) };

        Assert.NotEqual(flagged, changed);
    }
}
