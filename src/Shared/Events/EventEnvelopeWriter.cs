using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MongoDB.Bson;

namespace QuikApp.Workers.Shared.Events;

/// <summary>Writes an event as contract-shaped JSON: the bytes of a Kafka message value.</summary>
/// <remarks>
/// camelCase fields in contract order; ObjectIds as 24 lowercase hex digits, UUIDs in the 36-character lowercase
/// form, times as ISO-8601 UTC with 'Z', enums as their contract strings, and nullable fields written as null.
/// </remarks>
public static class EventEnvelopeWriter
{
    // The JSON goes to Kafka, never into HTML, so only what JSON requires is escaped: text in any script stays
    // readable and compact instead of becoming \uXXXX sequences.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <exception cref="ArgumentException">The envelope's event type is not its data's, or a number is not finite.</exception>
    public static byte[] Serialize(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var spec = EventTopics.For(envelope.Data);
        if (envelope.EventType != spec.EventType)
        {
            throw new ArgumentException(
                $"Event type '{envelope.EventType}' does not match its data, {envelope.Data.GetType().Name} ('{spec.EventType}').",
                nameof(envelope));
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("eventId", envelope.EventId);
            writer.WriteString("eventType", envelope.EventType);
            WriteTime(writer, "timestamp", envelope.Timestamp);
            writer.WriteString("version", envelope.Version);
            writer.WritePropertyName("data");
            WriteData(writer, envelope.Data);
            writer.WriteStartObject("metadata");
            writer.WriteString("source", envelope.Metadata.Source);
            writer.WriteString("correlationId", envelope.Metadata.CorrelationId);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteData(Utf8JsonWriter w, IEventData data)
    {
        w.WriteStartObject();
        switch (data)
        {
            case MessageSent e:
                WriteObjectId(w, "messageId", e.MessageId);
                w.WriteString("channelId", e.ChannelId);
                w.WriteString("workspaceId", e.WorkspaceId);
                w.WriteString("userId", e.UserId);
                w.WriteString("content", e.Content);
                w.WriteString("contentType", WireEnum<MessageContentType>.Name(e.ContentType));
                WriteObjectId(w, "threadId", e.ThreadId);
                w.WriteStartArray("mentions");
                foreach (var userId in e.Mentions)
                {
                    w.WriteStringValue(userId);
                }

                w.WriteEndArray();
                w.WriteBoolean("mentionsEveryone", e.MentionsEveryone);
                w.WriteStartArray("attachments");
                foreach (var a in e.Attachments)
                {
                    w.WriteStartObject();
                    w.WriteString("id", a.Id);
                    w.WriteString("type", a.Type);
                    w.WriteString("filename", a.Filename);
                    w.WriteString("mimeType", a.MimeType);
                    w.WriteNumber("size", a.Size);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("clientMessageId", e.ClientMessageId);
                WriteTime(w, "createdAt", e.CreatedAt);
                break;
            case MessageEdited e:
                WriteObjectId(w, "messageId", e.MessageId);
                w.WriteString("channelId", e.ChannelId);
                w.WriteString("workspaceId", e.WorkspaceId);
                w.WriteString("userId", e.UserId);
                w.WriteString("content", e.Content);
                WriteTime(w, "editedAt", e.EditedAt);
                break;
            case MessageDeleted e:
                WriteObjectId(w, "messageId", e.MessageId);
                w.WriteString("channelId", e.ChannelId);
                w.WriteString("workspaceId", e.WorkspaceId);
                w.WriteString("deletedBy", e.DeletedBy);
                WriteTime(w, "deletedAt", e.DeletedAt);
                break;
            case MessageReaction e:
                WriteObjectId(w, "messageId", e.MessageId);
                w.WriteString("channelId", e.ChannelId);
                w.WriteString("userId", e.UserId);
                w.WriteString("emoji", e.Emoji);
                w.WriteString("action", WireEnum<ReactionAction>.Name(e.Action));
                WriteTime(w, "at", e.At);
                break;
            case FileUploaded e:
                w.WriteString("fileId", e.FileId);
                w.WriteString("workspaceId", e.WorkspaceId);
                w.WriteString("uploadedBy", e.UploadedBy);
                w.WriteString("filename", e.Filename);
                w.WriteString("originalFilename", e.OriginalFilename);
                w.WriteString("mimeType", e.MimeType);
                w.WriteNumber("size", e.Size);
                w.WriteStartObject("storage");
                w.WriteString("provider", e.Storage.Provider);
                w.WriteString("bucket", e.Storage.Bucket);
                w.WriteString("key", e.Storage.Key);
                w.WriteString("region", e.Storage.Region);
                w.WriteEndObject();
                WriteTime(w, "expiresAt", e.ExpiresAt);
                break;
            case FileDeleted e:
                w.WriteString("fileId", e.FileId);
                w.WriteString("workspaceId", e.WorkspaceId);
                w.WriteString("deletedBy", e.DeletedBy);
                WriteTime(w, "deletedAt", e.DeletedAt);
                break;
            case ModerationFlagged e:
                WriteObjectId(w, "messageId", e.MessageId);
                w.WriteString("channelId", e.ChannelId);
                w.WriteString("workspaceId", e.WorkspaceId);
                w.WriteString("userId", e.UserId);
                w.WriteString("action", e.Action);
                w.WriteNumber("overallScore", e.OverallScore);
                w.WriteStartObject("checks");
                foreach (var (name, check) in e.Checks.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    w.WriteStartObject(name);
                    w.WriteNumber("score", check.Score);
                    w.WriteBoolean("flagged", check.Flagged);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                break;
            case FileScanned e:
                w.WriteString("fileId", e.FileId);
                w.WriteString("workspaceId", e.WorkspaceId);
                w.WriteString("status", WireEnum<FileScanStatus>.Name(e.Status));
                w.WriteString("signature", e.Signature);
                WriteTime(w, "scannedAt", e.ScannedAt);
                break;
            case FileProcessed e:
                w.WriteString("fileId", e.FileId);
                w.WriteString("workspaceId", e.WorkspaceId);
                w.WriteString("thumbnailUrl", e.ThumbnailUrl);
                w.WriteStartObject("metadata");
                WriteNumber(w, "width", e.Metadata.Width);
                WriteNumber(w, "height", e.Metadata.Height);
                WriteNumber(w, "duration", e.Metadata.Duration);
                WriteNumber(w, "pages", e.Metadata.Pages);
                w.WriteEndObject();
                break;
        }

        w.WriteEndObject();
    }

    // A UTC DateTime is written as ISO-8601 with 'Z' and only the fractional digits it needs.
    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, t.UtcDateTime);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteObjectId(Utf8JsonWriter w, string name, ObjectId? id)
    {
        if (id is { } value)
        {
            w.WriteString(name, value.ToString());
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
