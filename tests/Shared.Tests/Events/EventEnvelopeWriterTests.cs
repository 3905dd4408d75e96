using System.Text;
using System.Text.Json;
using MongoDB.Bson;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Tests.Events;

public sealed class EventEnvelopeWriterTests
{
    [Theory]
    [MemberData(nameof(EventSamples.Topics), MemberType = typeof(EventSamples))]
    public void Serialize_ThenParse_RoundTripsEveryEventType(string topic)
    {
        var envelope = EventSamples.For(topic).Expected;

        Assert.Equal(envelope, RoundTrip(topic, envelope));
    }

    [Fact]
    public void Serialize_ThenParse_RoundTripsEdgeValues()
    {
        var precise = new DateTimeOffset(2024, 1, 15, 12, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        IEventData[] edgeCases =
        [
            new MessageSent(
                ObjectId.GenerateNewId(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
                "quote \" backslash \\ newline \n control \u0001 <b>&amp;</b> héllo 日本 👍", MessageContentType.Code,
                null, [], true, [], null, precise),
            new MessageSent(
                ObjectId.GenerateNewId(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "", MessageContentType.File,
                ObjectId.GenerateNewId(), [Guid.NewGuid(), Guid.NewGuid()], false,
                [new MessageAttachment(Guid.NewGuid(), "image", "a.png", "image/png", 0), new MessageAttachment(Guid.NewGuid(), "file", "b", "x/y", long.MaxValue)],
                "", DateTimeOffset.UnixEpoch),
            new MessageReaction(ObjectId.GenerateNewId(), Guid.NewGuid(), Guid.NewGuid(), "🏳️‍🌈", ReactionAction.Removed, precise),
            new FileUploaded(
                Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "f", "f", "application/octet-stream", 1,
                new FileStorageLocation("local", "files", "a/b/c", null), precise),
            new FileScanned(Guid.NewGuid(), Guid.NewGuid(), FileScanStatus.Clean, null, precise),
            new FileScanned(Guid.NewGuid(), Guid.NewGuid(), FileScanStatus.Error, null, precise),
            new FileProcessed(Guid.NewGuid(), Guid.NewGuid(), null, new FileMediaMetadata(1920, 1080, 12.345, null)),
            new ModerationFlagged(ObjectId.GenerateNewId(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "block", 0.1 + 0.2, new Dictionary<string, ModerationCheckResult>()),
            new ModerationFlagged(
                ObjectId.GenerateNewId(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "flag", 1e-7,
                new Dictionary<string, ModerationCheckResult> { ["é"] = new(double.Epsilon, true), ["a.b"] = new(-0.5, false) }),
        ];

        foreach (var data in edgeCases)
        {
            var envelope = EventEnvelope.Create(data, "test", correlationId: null, timestamp: precise);

            Assert.Equal(envelope, RoundTrip(EventTopics.For(data).Name, envelope));
        }
    }

    [Fact]
    public void Serialize_FileDeleted_WritesExactlyTheContractShape()
    {
        var json = Encoding.UTF8.GetString(EventEnvelopeWriter.Serialize(EventSamples.FileDeleted.Expected with
        {
            Timestamp = new DateTimeOffset(2024, 1, 16, 9, 0, 0, TimeSpan.FromHours(1)).AddMilliseconds(250),
        }));

        Assert.Equal(
            $$$"""{"eventId":"{{{EventSamples.EventIdText}}}","eventType":"file.deleted","timestamp":"2024-01-16T08:00:00.25Z","version":"1.0","data":{"fileId":"{{{EventSamples.FileIdText}}}","workspaceId":"{{{EventSamples.WorkspaceIdText}}}","deletedBy":"{{{EventSamples.UserIdText}}}","deletedAt":"2024-01-16T08:00:00Z"},"metadata":{"source":"file-service","correlationId":"req_8f3a2b"}}""",
            json);
    }

    [Fact]
    public void Serialize_MessageSent_WritesContractFieldsAndFormats()
    {
        var envelope = EventSamples.MessageSent.Expected with
        {
            EventId = Guid.Parse("6F1C9A2E-4B7D-4C1E-9A2B-3C4D5E6F7A8B"),
            Data = (MessageSent)EventSamples.MessageSent.Expected.Data with { ThreadId = null, ClientMessageId = null },
        };

        using var document = JsonDocument.Parse(EventEnvelopeWriter.Serialize(envelope));
        var root = document.RootElement;
        var data = root.GetProperty("data");

        Assert.Equal(["eventId", "eventType", "timestamp", "version", "data", "metadata"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["messageId", "channelId", "workspaceId", "userId", "content", "contentType", "threadId", "mentions", "mentionsEveryone", "attachments", "clientMessageId", "createdAt"],
            data.EnumerateObject().Select(p => p.Name));
        Assert.Equal(EventSamples.EventIdText, root.GetProperty("eventId").GetString());
        Assert.Equal("2024-01-15T10:30:00Z", root.GetProperty("timestamp").GetString());
        Assert.Equal(EventSamples.MessageIdText, data.GetProperty("messageId").GetString());
        Assert.Equal("text", data.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("threadId").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("clientMessageId").ValueKind);
        Assert.Equal("2024-01-15T10:29:59.123Z", data.GetProperty("createdAt").GetString());
        Assert.Equal(
            ["id", "type", "filename", "mimeType", "size"],
            data.GetProperty("attachments")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Serialize_NonAsciiAndHtmlCharacters_AreWrittenUnescaped()
    {
        var data = (MessageEdited)EventSamples.MessageEdited.Expected.Data with { Content = "<b>héllo</b> & 日本" };

        var json = Encoding.UTF8.GetString(EventEnvelopeWriter.Serialize(EventEnvelope.Create(data, "test", null)));

        Assert.Contains("\"content\":\"<b>héllo</b> & 日本\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_EventTypeNotMatchingTheData_Throws()
    {
        var envelope = EventSamples.MessageSent.Expected with { EventType = "message.edited" };

        Assert.Throws<ArgumentException>(() => EventEnvelopeWriter.Serialize(envelope));
    }

    [Fact]
    public void Serialize_NonFiniteScore_Throws()
    {
        var data = (ModerationFlagged)EventSamples.ModerationFlagged.Expected.Data with { OverallScore = double.NaN };

        Assert.Throws<ArgumentException>(() => EventEnvelopeWriter.Serialize(EventEnvelope.Create(data, "test", null)));
    }

    private static EventEnvelope RoundTrip(string topic, EventEnvelope envelope)
    {
        var result = EventEnvelopeParser.Parse(topic, EventEnvelopeWriter.Serialize(envelope));
        Assert.True(result.IsSuccess, result.FailureReason);
        return result.Envelope;
    }
}
