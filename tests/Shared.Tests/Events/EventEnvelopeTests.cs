using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Tests.Events;

public sealed class EventEnvelopeTests
{
    private sealed record NotAContractEvent : IEventData;

    [Fact]
    public void Create_ProducedData_FillsEventTypeVersionAndMetadata()
    {
        var data = EventSamples.FileScanned.Expected.Data;
        var eventId = Guid.NewGuid();

        var envelope = EventEnvelope.Create(data, "files-worker", "req_1", eventId, EventSamples.Timestamp);

        Assert.Equal(new EventEnvelope(eventId, "file.scanned", EventSamples.Timestamp, "1.0", data, new EventMetadata("files-worker", "req_1")), envelope);
    }

    [Fact]
    public void Create_WithoutIdOrTimestamp_UsesANewIdAndNowInUtc()
    {
        var before = DateTimeOffset.UtcNow;

        var envelope = EventEnvelope.Create(EventSamples.FileProcessed.Expected.Data, "files-worker", null);

        Assert.NotEqual(Guid.Empty, envelope.EventId);
        Assert.Equal(7, envelope.EventId.Version);
        Assert.InRange(envelope.Timestamp, before, DateTimeOffset.UtcNow);
        Assert.Equal(TimeSpan.Zero, envelope.Timestamp.Offset);
    }

    [Fact]
    public void Create_TimestampWithOffset_StoresItInUtc()
    {
        var envelope = EventEnvelope.Create(
            EventSamples.FileProcessed.Expected.Data, "files-worker", null, timestamp: new DateTimeOffset(2024, 1, 15, 12, 30, 0, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero), envelope.Timestamp);
        Assert.Equal(TimeSpan.Zero, envelope.Timestamp.Offset);
    }

    [Fact]
    public void Create_DataOutsideTheContract_Throws()
    {
        Assert.Throws<ArgumentException>(() => EventEnvelope.Create(new NotAContractEvent(), "test", null));
    }

    [Fact]
    public void DerivedEventId_SameSourceEventTwoEntities_ReturnsTwoIds()
    {
        Assert.NotEqual(
            EventEnvelope.DerivedEventId(EventSamples.EventId, "65a1b2c3d4e5f60718293a4b", "moderation.flagged"),
            EventEnvelope.DerivedEventId(EventSamples.EventId, "65a1b2c3d4e5f60718293a4c", "moderation.flagged"));
    }

    [Fact]
    public void DerivedEventId_SameSourceEntityAndKind_ReturnsTheSameId()
    {
        Assert.Equal(
            EventEnvelope.DerivedEventId(EventSamples.EventId, EventSamples.FileId.ToString(), "file.scanned#1"),
            EventEnvelope.DerivedEventId(EventSamples.EventId, EventSamples.FileId.ToString(), "file.scanned#1"));
    }

    [Fact]
    public void DeterministicEventId_SameSourceAndType_ReturnsTheSameId()
    {
        Assert.Equal(
            EventEnvelope.DeterministicEventId(EventSamples.EventId, "file.scanned"),
            EventEnvelope.DeterministicEventId(EventSamples.EventId, "file.scanned"));
    }

    [Fact]
    public void DeterministicEventId_DifferentTypes_ReturnDifferentIds()
    {
        Assert.NotEqual(
            EventEnvelope.DeterministicEventId(EventSamples.EventId, "file.scanned"),
            EventEnvelope.DeterministicEventId(EventSamples.EventId, "file.processed"));
    }

    [Fact]
    public void DeterministicEventId_DifferentSources_ReturnDifferentIds()
    {
        Assert.NotEqual(
            EventEnvelope.DeterministicEventId(EventSamples.EventId, "file.scanned"),
            EventEnvelope.DeterministicEventId(EventSamples.FileId, "file.scanned"));
    }

    [Theory]
    // Reference values from Python's uuid.uuid5; the first is the well-known NAMESPACE_DNS example.
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d")]
    [InlineData(EventSamples.EventIdText, "file.scanned", "c90b3826-b983-5cf9-810c-3e88bb30b724")]
    public void DeterministicEventId_MatchesRfc4122Version5(string sourceEventId, string eventType, string expected)
    {
        var id = EventEnvelope.DeterministicEventId(Guid.Parse(sourceEventId), eventType);

        Assert.Equal(Guid.Parse(expected), id);
        Assert.Equal(5, id.Version);
        Assert.Equal(0x8, id.Variant & 0xC);
    }
}
