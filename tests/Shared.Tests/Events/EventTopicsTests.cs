using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Tests.Events;

public sealed class EventTopicsTests
{
    [Theory]
    [InlineData("quikapp.message.sent", 12, "channelId", "message.sent", TopicRole.Consumed)]
    [InlineData("quikapp.message.edited", 6, "channelId", "message.edited", TopicRole.Consumed)]
    [InlineData("quikapp.message.deleted", 3, "channelId", "message.deleted", TopicRole.Consumed)]
    [InlineData("quikapp.message.reaction", 6, "channelId", "message.reaction", TopicRole.Consumed)]
    [InlineData("quikapp.file.uploaded", 6, "fileId", "file.uploaded", TopicRole.Consumed)]
    [InlineData("quikapp.file.deleted", 3, "fileId", "file.deleted", TopicRole.Consumed)]
    [InlineData("quikapp.moderation.flagged", 6, "channelId", "moderation.flagged", TopicRole.Produced)]
    [InlineData("quikapp.file.scanned", 6, "fileId", "file.scanned", TopicRole.Produced)]
    [InlineData("quikapp.file.processed", 6, "fileId", "file.processed", TopicRole.Produced)]
    public void Find_ContractTopic_ReturnsItsSpec(string topic, int partitions, string keyField, string eventType, TopicRole role)
    {
        var spec = EventTopics.Find(topic);

        Assert.NotNull(spec);
        Assert.Equal((topic, partitions, keyField, eventType, role), (spec.Name, spec.Partitions, spec.KeyField, spec.EventType, spec.Role));
    }

    [Theory]
    [InlineData("quikapp.message.sent.dlq")]
    [InlineData("quikapp.message.pinned")]
    [InlineData("QUIKAPP.MESSAGE.SENT")]
    [InlineData("")]
    public void Find_OtherTopic_ReturnsNull(string topic)
    {
        Assert.Null(EventTopics.Find(topic));
    }

    [Fact]
    public void All_ListsEachTopicOnceNamedAfterItsEventType()
    {
        Assert.Equal(9, EventTopics.All.Select(t => t.Name).Distinct().Count());
        Assert.All(EventTopics.All, t => Assert.Equal("quikapp." + t.EventType, t.Name));
    }

    [Theory]
    [MemberData(nameof(EventSamples.Topics), MemberType = typeof(EventSamples))]
    public void For_SampleData_ReturnsTheSampleTopic(string topic)
    {
        Assert.Equal(topic, EventTopics.For(EventSamples.For(topic).Expected.Data).Name);
    }

    [Fact]
    public void DeadLetterTopic_ConsumedTopic_AppendsDlq()
    {
        Assert.Equal("quikapp.file.uploaded.dlq", EventTopics.DeadLetterTopic(EventTopics.FileUploaded));
    }
}
