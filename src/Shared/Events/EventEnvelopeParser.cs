using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace QuikApp.Workers.Shared.Events;

/// <summary>Reads an event from the raw bytes of a Kafka message value, strictly against the contract.</summary>
/// <remarks>
/// The input is untrusted: <see cref="Parse"/> never throws on it and returns a failure whose reason names the
/// offending field first (<c>data.channelId: expected a UUID string, got number</c>), ready for the dlq-reason header.
/// Fields the contract defines must be present (unless nullable) and well-formed. Fields it does not define are
/// ignored: within a major version producers may add fields, and a consumer that rejected them would turn every
/// additive change into a dead-letter storm. A new major version is rejected outright, never guessed at.
/// </remarks>
public static class EventEnvelopeParser
{
    /// <summary>Larger values are rejected before being parsed.</summary>
    public const int MaxPayloadBytes = 1024 * 1024;

    /// <summary>The contract nests four levels deep; this leaves room for unknown fields and stops depth bombs.</summary>
    public const int MaxDepth = 32;

    // Comments and trailing commas stay disallowed (the defaults): the contract is plain JSON.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Parses one Kafka message value consumed from <paramref name="topic"/>; never throws on the bytes.</summary>
    /// <param name="topic">The topic the value was consumed from; the event type must be the topic's.</param>
    /// <param name="utf8Json">The raw message value.</param>
    /// <exception cref="ArgumentNullException"><paramref name="topic"/> is null (a caller bug, not bad input).</exception>
    public static EventParseResult Parse(string topic, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (EventTopics.Find(topic) is not { } spec)
        {
            return EventParseResult.Failure($"topic: {JsonFieldReader.Quote(topic)} is not a topic of the event contract");
        }

        if (utf8Json.Length > MaxPayloadBytes)
        {
            return EventParseResult.Failure(
                $"payload: {utf8Json.Length.ToString(CultureInfo.InvariantCulture)} bytes exceeds the limit of {MaxPayloadBytes.ToString(CultureInfo.InvariantCulture)}");
        }

        // JsonDocument does not check that string contents are valid UTF-8; checking up front is one vectorised pass.
        if (!Utf8.IsValid(utf8Json))
        {
            return EventParseResult.Failure("payload: not valid UTF-8");
        }

        // JsonDocument parses from memory it can hold on to; a rented copy keeps the caller's span API allocation-light.
        var buffer = ArrayPool<byte>.Shared.Rent(utf8Json.Length);
        try
        {
            utf8Json.CopyTo(buffer);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, utf8Json.Length), DocumentOptions);
            return ReadEnvelope(spec, document.RootElement);
        }
        catch (JsonException ex)
        {
            return EventParseResult.Failure($"payload: not valid JSON ({ex.Message})");
        }
        catch (Exception ex)
        {
            // Last resort: a parser bug must dead-letter one event, not stop the partition; the reason names the bug.
            return EventParseResult.Failure($"payload: unreadable ({ex.GetType().Name}: {ex.Message})");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Best effort: the top-level eventId of a value that may not parse, for logging a dead-lettered event.</summary>
    public static bool TryGetEventId(ReadOnlySpan<byte> utf8Json, out Guid eventId)
    {
        eventId = Guid.Empty;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEventId = reader.ValueTextEquals("eventId"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isEventId)
                {
                    return reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out eventId) && eventId != Guid.Empty;
                }

                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed before the eventId was reached.
        }

        eventId = Guid.Empty;
        return false;
    }

    private static EventParseResult ReadEnvelope(TopicSpec spec, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return EventParseResult.Failure($"payload: expected a JSON object, got {JsonFieldReader.KindOf(root)}");
        }

        var envelope = JsonFieldReader.ForRoot(root);

        // Version and type first: data of a version or type we do not understand is not worth describing.
        var version = envelope.ReadString("version");
        CheckVersion(envelope, version);
        var eventType = envelope.ReadString("eventType");
        if (envelope.Failure is null && eventType != spec.EventType)
        {
            envelope.Reject("eventType", $"{JsonFieldReader.Quote(eventType)} does not match topic {spec.Name} (expected '{spec.EventType}')");
        }

        var eventId = envelope.ReadUuid("eventId");
        if (envelope.Failure is null && eventId == Guid.Empty)
        {
            envelope.Reject("eventId", "must not be the empty UUID");
        }

        var timestamp = envelope.ReadTimestamp("timestamp");
        var metadata = ReadMetadata(envelope.ReadObject("metadata"));
        var data = ReadData(spec, envelope.ReadObject("data"));

        return envelope.Failure is { } failure
            ? EventParseResult.Failure(failure)
            : EventParseResult.Success(new EventEnvelope(eventId, eventType, timestamp, version, data, metadata));
    }

    // "<major>.<minor>"; any minor of a supported major is readable, since minors only add fields.
    private static void CheckVersion(JsonFieldReader envelope, string version)
    {
        if (envelope.Failure is not null)
        {
            return;
        }

        // NumberStyles.None: digits only, no sign, no whitespace.
        var dot = version.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0
            || !int.TryParse(version.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(version.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            envelope.Reject("version", $"expected \"<major>.<minor>\", got {JsonFieldReader.Quote(version)}");
        }
        else if (major != EventEnvelope.SupportedMajorVersion)
        {
            envelope.Reject(
                "version",
                $"unsupported major version {major.ToString(CultureInfo.InvariantCulture)} (supported: {EventEnvelope.SupportedMajorVersion.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    private static EventMetadata ReadMetadata(JsonFieldReader m) =>
        new(m.ReadNonEmptyString("source"), m.ReadNullableString("correlationId"));

    // Fields are read in contract order, so the first violation reported is the first in the contract.
    private static IEventData ReadData(TopicSpec spec, JsonFieldReader d) => spec.Name switch
    {
        EventTopics.MessageSent => new MessageSent(
            d.ReadObjectId("messageId"),
            d.ReadUuid("channelId"),
            d.ReadUuid("workspaceId"),
            d.ReadUuid("userId"),
            d.ReadString("content"),
            d.ReadEnum<MessageContentType>("contentType"),
            d.ReadNullableObjectId("threadId"),
            d.ReadUuidArray("mentions"),
            d.ReadBoolean("mentionsEveryone"),
            d.ReadObjectArray("attachments", ReadAttachment),
            d.ReadNullableString("clientMessageId"),
            d.ReadTimestamp("createdAt")),
        EventTopics.MessageEdited => new MessageEdited(
            d.ReadObjectId("messageId"),
            d.ReadUuid("channelId"),
            d.ReadUuid("workspaceId"),
            d.ReadUuid("userId"),
            d.ReadString("content"),
            d.ReadTimestamp("editedAt")),
        EventTopics.MessageDeleted => new MessageDeleted(
            d.ReadObjectId("messageId"),
            d.ReadUuid("channelId"),
            d.ReadUuid("workspaceId"),
            d.ReadUuid("deletedBy"),
            d.ReadTimestamp("deletedAt")),
        EventTopics.MessageReaction => new MessageReaction(
            d.ReadObjectId("messageId"),
            d.ReadUuid("channelId"),
            d.ReadUuid("userId"),
            d.ReadNonEmptyString("emoji"),
            d.ReadEnum<ReactionAction>("action"),
            d.ReadTimestamp("at")),
        EventTopics.FileUploaded => new FileUploaded(
            d.ReadUuid("fileId"),
            d.ReadUuid("workspaceId"),
            d.ReadUuid("uploadedBy"),
            d.ReadString("filename"),
            d.ReadString("originalFilename"),
            d.ReadString("mimeType"),
            d.ReadNonNegativeInt64("size"),
            ReadStorage(d.ReadObject("storage")),
            d.ReadNullableTimestamp("expiresAt")),
        EventTopics.FileDeleted => new FileDeleted(
            d.ReadUuid("fileId"),
            d.ReadUuid("workspaceId"),
            d.ReadUuid("deletedBy"),
            d.ReadTimestamp("deletedAt")),
        EventTopics.ModerationFlagged => new ModerationFlagged(
            d.ReadObjectId("messageId"),
            d.ReadUuid("channelId"),
            d.ReadUuid("workspaceId"),
            d.ReadUuid("userId"),
            d.ReadNonEmptyString("action"),
            d.ReadDouble("overallScore"),
            d.ReadObjectMap("checks", c => new ModerationCheckResult(c.ReadDouble("score"), c.ReadBoolean("flagged")))),
        EventTopics.FileScanned => new FileScanned(
            d.ReadUuid("fileId"),
            d.ReadUuid("workspaceId"),
            d.ReadEnum<FileScanStatus>("status"),
            d.ReadNullableString("signature"),
            d.ReadTimestamp("scannedAt")),
        EventTopics.FileProcessed => new FileProcessed(
            d.ReadUuid("fileId"),
            d.ReadUuid("workspaceId"),
            d.ReadNullableString("thumbnailUrl"),
            ReadMediaMetadata(d.ReadObject("metadata"))),
        _ => throw new UnreachableException($"No data reader for topic {spec.Name}."),
    };

    private static MessageAttachment ReadAttachment(JsonFieldReader a) => new(
        a.ReadUuid("id"),
        a.ReadString("type"),
        a.ReadString("filename"),
        a.ReadString("mimeType"),
        a.ReadNonNegativeInt64("size"));

    private static FileStorageLocation ReadStorage(JsonFieldReader s) => new(
        s.ReadNonEmptyString("provider"),
        s.ReadNonEmptyString("bucket"),
        s.ReadNonEmptyString("key"),
        s.ReadNullableString("region"));

    private static FileMediaMetadata ReadMediaMetadata(JsonFieldReader m) => new(
        m.ReadNullableNonNegativeInt32("width"),
        m.ReadNullableNonNegativeInt32("height"),
        m.ReadNullableNonNegativeDouble("duration"),
        m.ReadNullableNonNegativeInt32("pages"));
}
