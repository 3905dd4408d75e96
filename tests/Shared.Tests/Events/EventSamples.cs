using MongoDB.Bson;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Tests.Events;

/// <summary>One hand-written, contract-shaped event per event type, with the envelope it must parse to.</summary>
public sealed record EventSample(string Topic, string Json, EventEnvelope Expected)
{
    public override string ToString() => Topic;
}

/// <summary>The valid samples the parser and writer specs start from.</summary>
public static class EventSamples
{
    public const string EventIdText = "6f1c9a2e-4b7d-4c1e-9a2b-3c4d5e6f7a8b";
    public const string ChannelIdText = "0b8e2a54-1f3c-4d5e-8a9b-0c1d2e3f4a5b";
    public const string WorkspaceIdText = "1c9f3b65-2a4d-4e6f-9bac-1d2e3f4a5b6c";
    public const string UserIdText = "2dab4c76-3b5e-4f70-8cbd-2e3f4a5b6c7d";
    public const string MentionedIdText = "3ebc5d87-4c6f-4081-9dce-3f4a5b6c7d8e";
    public const string FileIdText = "4fcd6e98-5d70-4192-aedf-4a5b6c7d8e9f";
    public const string MessageIdText = "65a5083c8f1b2c3d4e5f6a7b";
    public const string ParentMessageIdText = "65a507f18f1b2c3d4e5f6a01";

    public static readonly Guid EventId = Guid.Parse(EventIdText);
    public static readonly Guid ChannelId = Guid.Parse(ChannelIdText);
    public static readonly Guid WorkspaceId = Guid.Parse(WorkspaceIdText);
    public static readonly Guid UserId = Guid.Parse(UserIdText);
    public static readonly Guid MentionedId = Guid.Parse(MentionedIdText);
    public static readonly Guid FileId = Guid.Parse(FileIdText);
    public static readonly ObjectId MessageId = ObjectId.Parse(MessageIdText);
    public static readonly ObjectId ParentMessageId = ObjectId.Parse(ParentMessageIdText);
    public static readonly DateTimeOffset Timestamp = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public static EventSample MessageSent { get; } = Sample(EventTopics.MessageSent, "message.sent", "message-service", $$"""
        {
          "messageId": "{{MessageIdText}}",
          "channelId": "{{ChannelIdText}}",
          "workspaceId": "{{WorkspaceIdText}}",
          "userId": "{{UserIdText}}",
          "content": "Hello <@alice>, see the spec",
          "contentType": "text",
          "threadId": "{{ParentMessageIdText}}",
          "mentions": ["{{MentionedIdText}}"],
          "mentionsEveryone": false,
          "attachments": [
            { "id": "{{FileIdText}}", "type": "file", "filename": "spec.pdf", "mimeType": "application/pdf", "size": 24576 }
          ],
          "clientMessageId": "c_1705314600000_ab12",
          "createdAt": "2024-01-15T10:29:59.123Z"
        }
        """,
        new MessageSent(
            MessageId, ChannelId, WorkspaceId, UserId, "Hello <@alice>, see the spec", MessageContentType.Text, ParentMessageId,
            [MentionedId], false, [new MessageAttachment(FileId, "file", "spec.pdf", "application/pdf", 24576)],
            "c_1705314600000_ab12", new DateTimeOffset(2024, 1, 15, 10, 29, 59, 123, TimeSpan.Zero)));

    public static EventSample MessageEdited { get; } = Sample(EventTopics.MessageEdited, "message.edited", "message-service", $$"""
        {
          "messageId": "{{MessageIdText}}",
          "channelId": "{{ChannelIdText}}",
          "workspaceId": "{{WorkspaceIdText}}",
          "userId": "{{UserIdText}}",
          "content": "Hello <@alice>, see the *new* spec",
          "editedAt": "2024-01-15T10:35:00Z"
        }
        """,
        new MessageEdited(MessageId, ChannelId, WorkspaceId, UserId, "Hello <@alice>, see the *new* spec", At(10, 35)));

    public static EventSample MessageDeleted { get; } = Sample(EventTopics.MessageDeleted, "message.deleted", "message-service", $$"""
        {
          "messageId": "{{MessageIdText}}",
          "channelId": "{{ChannelIdText}}",
          "workspaceId": "{{WorkspaceIdText}}",
          "deletedBy": "{{UserIdText}}",
          "deletedAt": "2024-01-15T10:40:00Z"
        }
        """,
        new MessageDeleted(MessageId, ChannelId, WorkspaceId, UserId, At(10, 40)));

    public static EventSample MessageReaction { get; } = Sample(EventTopics.MessageReaction, "message.reaction", "message-service", $$"""
        {
          "messageId": "{{MessageIdText}}",
          "channelId": "{{ChannelIdText}}",
          "userId": "{{MentionedIdText}}",
          "emoji": "👍",
          "action": "added",
          "at": "2024-01-15T10:31:00Z"
        }
        """,
        new MessageReaction(MessageId, ChannelId, MentionedId, "👍", ReactionAction.Added, At(10, 31)));

    public static EventSample FileUploaded { get; } = Sample(EventTopics.FileUploaded, "file.uploaded", "file-service", $$"""
        {
          "fileId": "{{FileIdText}}",
          "workspaceId": "{{WorkspaceIdText}}",
          "uploadedBy": "{{UserIdText}}",
          "filename": "4fcd6e98.pdf",
          "originalFilename": "Q1 spec (final).pdf",
          "mimeType": "application/pdf",
          "size": 24576,
          "storage": { "provider": "s3", "bucket": "quikapp-files", "key": "ws/1c9f3b65/4fcd6e98.pdf", "region": "eu-west-1" },
          "expiresAt": null
        }
        """,
        new FileUploaded(
            FileId, WorkspaceId, UserId, "4fcd6e98.pdf", "Q1 spec (final).pdf", "application/pdf", 24576,
            new FileStorageLocation("s3", "quikapp-files", "ws/1c9f3b65/4fcd6e98.pdf", "eu-west-1"), null));

    public static EventSample FileDeleted { get; } = Sample(EventTopics.FileDeleted, "file.deleted", "file-service", $$"""
        {
          "fileId": "{{FileIdText}}",
          "workspaceId": "{{WorkspaceIdText}}",
          "deletedBy": "{{UserIdText}}",
          "deletedAt": "2024-01-16T08:00:00Z"
        }
        """,
        new FileDeleted(FileId, WorkspaceId, UserId, new DateTimeOffset(2024, 1, 16, 8, 0, 0, TimeSpan.Zero)));

    public static EventSample ModerationFlagged { get; } = Sample(EventTopics.ModerationFlagged, "moderation.flagged", "moderation-worker", $$"""
        {
          "messageId": "{{MessageIdText}}",
          "channelId": "{{ChannelIdText}}",
          "workspaceId": "{{WorkspaceIdText}}",
          "userId": "{{UserIdText}}",
          "action": "flag",
          "overallScore": 0.82,
          "checks": {
            "toxicity": { "score": 0.82, "flagged": true },
            "spam": { "score": 0.1, "flagged": false }
          }
        }
        """,
        new ModerationFlagged(
            MessageId, ChannelId, WorkspaceId, UserId, "flag", 0.82,
            new Dictionary<string, ModerationCheckResult>
            {
                ["toxicity"] = new(0.82, true),
                ["spam"] = new(0.1, false),
            }));

    public static EventSample FileScanned { get; } = Sample(EventTopics.FileScanned, "file.scanned", "files-worker", $$"""
        {
          "fileId": "{{FileIdText}}",
          "workspaceId": "{{WorkspaceIdText}}",
          "status": "infected",
          "signature": "Eicar-Test-Signature",
          "scannedAt": "2024-01-15T10:30:05Z"
        }
        """,
        new FileScanned(FileId, WorkspaceId, FileScanStatus.Infected, "Eicar-Test-Signature", new DateTimeOffset(2024, 1, 15, 10, 30, 5, TimeSpan.Zero)));

    public static EventSample FileProcessed { get; } = Sample(EventTopics.FileProcessed, "file.processed", "files-worker", $$"""
        {
          "fileId": "{{FileIdText}}",
          "workspaceId": "{{WorkspaceIdText}}",
          "thumbnailUrl": "https://files.quikapp.test/thumbs/4fcd6e98.webp",
          "metadata": { "width": null, "height": null, "duration": null, "pages": 12 }
        }
        """,
        new FileProcessed(FileId, WorkspaceId, "https://files.quikapp.test/thumbs/4fcd6e98.webp", new FileMediaMetadata(null, null, null, 12)));

    public static IReadOnlyList<EventSample> All { get; } =
        [MessageSent, MessageEdited, MessageDeleted, MessageReaction, FileUploaded, FileDeleted, ModerationFlagged, FileScanned, FileProcessed];

    /// <summary>The samples' topics: strings keep each sample its own test case in the runner.</summary>
    public static TheoryData<string> Topics => new(All.Select(s => s.Topic));

    public static EventSample For(string topic) => All.Single(s => s.Topic == topic);

    /// <summary>A contract envelope around <paramref name="data"/>, with the sample envelope fields.</summary>
    public static string Envelope(string eventType, string data, string source = "message-service", string version = "1.0") => $$"""
        {
          "eventId": "{{EventIdText}}",
          "eventType": "{{eventType}}",
          "timestamp": "2024-01-15T10:30:00Z",
          "version": "{{version}}",
          "data": {{data}},
          "metadata": { "source": "{{source}}", "correlationId": "req_8f3a2b" }
        }
        """;

    private static EventSample Sample(string topic, string eventType, string source, string data, IEventData expected) => new(
        topic,
        Envelope(eventType, data, source),
        new EventEnvelope(EventId, eventType, Timestamp, "1.0", expected, new EventMetadata(source, "req_8f3a2b")));

    private static DateTimeOffset At(int hour, int minute) => new(2024, 1, 15, hour, minute, 0, TimeSpan.Zero);
}
