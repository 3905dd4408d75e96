using System.Text;
using System.Text.Json.Nodes;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Shared.Tests.Events;

public sealed class EventEnvelopeParserTests
{
    [Theory]
    [MemberData(nameof(EventSamples.Topics), MemberType = typeof(EventSamples))]
    public void Parse_ContractSample_ReturnsExpectedEnvelope(string topic)
    {
        var sample = EventSamples.For(topic);

        var result = EventEnvelopeParser.Parse(topic, Encoding.UTF8.GetBytes(sample.Json));

        Assert.True(result.IsSuccess, result.FailureReason);
        Assert.Equal(sample.Expected, result.Envelope);
    }

    [Fact]
    public void Parse_FileMessageWithEmptyContentAndNulls_ReadsEmptyAndNulls()
    {
        var payload = Mutated(EventSamples.MessageSent, root =>
        {
            var data = Data(root);
            data["content"] = "";
            data["contentType"] = "file";
            data["threadId"] = null;
            data["mentions"] = new JsonArray();
            data["clientMessageId"] = null;
            root["metadata"]!["correlationId"] = null;
        });

        var envelope = ParseOk(EventTopics.MessageSent, payload);

        var data = Assert.IsType<MessageSent>(envelope.Data);
        Assert.Equal("", data.Content);
        Assert.Equal(MessageContentType.File, data.ContentType);
        Assert.Null(data.ThreadId);
        Assert.Empty(data.Mentions);
        Assert.Null(data.ClientMessageId);
        Assert.Null(envelope.Metadata.CorrelationId);
    }

    [Fact]
    public void Parse_NullableFieldsAbsent_ReadsThemAsNull()
    {
        var payload = Mutated(EventSamples.MessageSent, root =>
        {
            Data(root).Remove("threadId");
            Data(root).Remove("clientMessageId");
            root["metadata"]!.AsObject().Remove("correlationId");
        });

        var envelope = ParseOk(EventTopics.MessageSent, payload);

        var data = Assert.IsType<MessageSent>(envelope.Data);
        Assert.Null(data.ThreadId);
        Assert.Null(data.ClientMessageId);
        Assert.Null(envelope.Metadata.CorrelationId);
    }

    [Fact]
    public void Parse_UnknownFieldsAndNewerMinorVersion_AreIgnored()
    {
        var payload = Mutated(EventSamples.MessageSent, root =>
        {
            root["version"] = "1.7";
            root["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            root["metadata"]!["region"] = "eu";
            Data(root)["priority"] = new JsonObject { ["level"] = 3, ["tags"] = new JsonArray("a", "b") };
            Data(root)["attachments"]![0]!["checksum"] = "sha256:abc";
        });

        var envelope = ParseOk(EventTopics.MessageSent, payload);

        Assert.Equal(EventSamples.MessageSent.Expected with { Version = "1.7" }, envelope);
    }

    [Fact]
    public void Parse_TimestampWithOffset_IsNormalisedToUtc()
    {
        var payload = Mutated(EventSamples.MessageSent, root => root["timestamp"] = "2024-01-15T12:30:00+02:00");

        var envelope = ParseOk(EventTopics.MessageSent, payload);

        Assert.Equal(EventSamples.Timestamp, envelope.Timestamp);
        Assert.Equal(TimeSpan.Zero, envelope.Timestamp.Offset);
    }

    [Fact]
    public void Parse_UppercaseUuidAndObjectId_AreAccepted()
    {
        var payload = Mutated(EventSamples.MessageSent, root =>
        {
            Data(root)["channelId"] = EventSamples.ChannelIdText.ToUpperInvariant();
            Data(root)["messageId"] = EventSamples.MessageIdText.ToUpperInvariant();
        });

        var data = Assert.IsType<MessageSent>(ParseOk(EventTopics.MessageSent, payload).Data);

        Assert.Equal(EventSamples.ChannelId, data.ChannelId);
        Assert.Equal(EventSamples.MessageId, data.MessageId);
    }

    [Fact]
    public void Parse_EscapedPropertyName_MatchesTheField()
    {
        var json = EventSamples.MessageSent.Json.Replace("\"channelId\"", "\"\\u0063hannelId\"", StringComparison.Ordinal);

        var data = Assert.IsType<MessageSent>(ParseOk(EventTopics.MessageSent, Encoding.UTF8.GetBytes(json)).Data);

        Assert.Equal(EventSamples.ChannelId, data.ChannelId);
    }

    [Fact]
    public void Parse_FileScannedWithErrorStatus_IsAcceptedAsAContractExtension()
    {
        var payload = Mutated(EventSamples.FileScanned, root =>
        {
            Data(root)["status"] = "error";
            Data(root)["signature"] = null;
        });

        var data = Assert.IsType<FileScanned>(ParseOk(EventTopics.FileScanned, payload).Data);

        Assert.Equal(FileScanStatus.Error, data.Status);
    }

    [Fact]
    public void Parse_PayloadOfExactlyTheSizeLimit_IsAccepted()
    {
        var json = EventSamples.MessageSent.Json;
        var payload = Encoding.UTF8.GetBytes(json + new string(' ', EventEnvelopeParser.MaxPayloadBytes - Encoding.UTF8.GetByteCount(json)));

        Assert.Equal(EventEnvelopeParser.MaxPayloadBytes, payload.Length);
        Assert.True(EventEnvelopeParser.Parse(EventTopics.MessageSent, payload).IsSuccess);
    }

    [Fact]
    public void Parse_UnsupportedVersionWithUnreadableData_ReportsTheVersion()
    {
        var payload = Mutated(EventSamples.MessageSent, root =>
        {
            root["version"] = "2.0";
            root["data"] = new JsonArray();
        });

        var result = EventEnvelopeParser.Parse(EventTopics.MessageSent, payload);

        Assert.Equal("version: unsupported major version 2 (supported: 1)", result.FailureReason);
    }

    [Theory]
    [MemberData(nameof(HostileCaseNames))]
    public void Parse_HostileInput_FailsNamingTheOffendingField(string name)
    {
        var hostile = HostileCases.Single(c => c.Name == name);

        var result = EventEnvelopeParser.Parse(hostile.Topic, hostile.Payload);

        Assert.False(result.IsSuccess);
        Assert.StartsWith(hostile.ExpectedReason, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RandomBytes_NeverThrowsAndAlwaysFails()
    {
        var random = new Random(20240115);
        for (var i = 0; i < 3000; i++)
        {
            var payload = new byte[random.Next(0, 300)];
            random.NextBytes(payload);
            if (i % 2 == 0 && payload.Length > 0)
            {
                payload[0] = (byte)'{'; // get past the first byte more often
            }

            var result = EventEnvelopeParser.Parse(EventTopics.MessageSent, payload);
            EventEnvelopeParser.TryGetEventId(payload, out _);

            Assert.False(result.IsSuccess);
            Assert.False(string.IsNullOrEmpty(result.FailureReason));
        }
    }

    [Fact]
    public void Parse_MutatedContractSamples_NeverThrowsNorNeedsTheSafetyNet()
    {
        // Byte-level mutations of valid events reach much deeper into the parser than random bytes do.
        ReadOnlySpan<byte> significant = "{}[]\":,\\0123456789-.eEtfnu \u00e9"u8;
        var random = new Random(42);
        for (var i = 0; i < 4000; i++)
        {
            var sample = EventSamples.All[random.Next(EventSamples.All.Count)];
            var payload = new List<byte>(Encoding.UTF8.GetBytes(sample.Json));
            for (var m = random.Next(1, 4); m > 0 && payload.Count > 0; m--)
            {
                var at = random.Next(payload.Count);
                switch (random.Next(4))
                {
                    case 0: payload[at] = significant[random.Next(significant.Length)]; break;
                    case 1: payload.RemoveAt(at); break;
                    case 2: payload.Insert(at, significant[random.Next(significant.Length)]); break;
                    default: payload[at] = (byte)random.Next(256); break;
                }
            }

            var bytes = payload.ToArray();
            var result = EventEnvelopeParser.Parse(sample.Topic, bytes);
            EventEnvelopeParser.TryGetEventId(bytes, out _);

            if (!result.IsSuccess)
            {
                Assert.NotEmpty(result.FailureReason);
                Assert.False(
                    result.FailureReason.StartsWith("payload: unreadable", StringComparison.Ordinal),
                    $"{result.FailureReason}\n{Encoding.UTF8.GetString(bytes)}");
            }
        }
    }

    [Fact]
    public void TryGetEventId_ValidEvent_ReturnsItsId()
    {
        Assert.True(EventEnvelopeParser.TryGetEventId(Encoding.UTF8.GetBytes(EventSamples.FileDeleted.Json), out var eventId));
        Assert.Equal(EventSamples.EventId, eventId);
    }

    [Fact]
    public void TryGetEventId_MalformedAfterTheId_StillReturnsIt()
    {
        var json = $$"""{ "version": { "nested": [1, 2] }, "eventId": "{{EventSamples.EventIdText}}", "data": { oops""";

        Assert.True(EventEnvelopeParser.TryGetEventId(Encoding.UTF8.GetBytes(json), out var eventId));
        Assert.Equal(EventSamples.EventId, eventId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{ \"data\": { \"eventId\": \"6f1c9a2e-4b7d-4c1e-9a2b-3c4d5e6f7a8b\" } }")]
    [InlineData("{ \"eventId\": 42 }")]
    [InlineData("{ \"eventId\": \"00000000-0000-0000-0000-000000000000\" }")]
    [InlineData("{ \"version\": oops, \"eventId\": \"6f1c9a2e-4b7d-4c1e-9a2b-3c4d5e6f7a8b\" }")]
    public void TryGetEventId_NoReadableTopLevelId_ReturnsFalse(string json)
    {
        Assert.False(EventEnvelopeParser.TryGetEventId(Encoding.UTF8.GetBytes(json), out var eventId));
        Assert.Equal(Guid.Empty, eventId);
    }

    public static TheoryData<string> HostileCaseNames => new(HostileCases.Select(c => c.Name));

    private sealed record HostileCase(string Name, string Topic, byte[] Payload, string ExpectedReason);

    private static readonly HostileCase[] HostileCases = [.. BuildHostileCases()];

    private static IEnumerable<HostileCase> BuildHostileCases()
    {
        var sent = EventSamples.MessageSent;
        var sentJson = sent.Json;
        var sentBytes = Encoding.UTF8.GetBytes(sentJson);
        HostileCase Sent(string name, byte[] payload, string expected) => new(name, EventTopics.MessageSent, payload, expected);
        HostileCase SentWith(string name, Action<JsonObject> mutate, string expected) => Sent(name, Mutated(sent, mutate), expected);
        HostileCase SentData(string field, JsonNode? value, string expected) =>
            SentWith($"data.{field} = {value?.ToJsonString() ?? "null"}", root => Data(root)[field] = value, expected);

        // Not an event at all.
        yield return Sent("empty payload", [], "payload: not valid JSON");
        yield return Sent("not JSON", Utf8("hello"), "payload: not valid JSON");
        yield return Sent("single-quoted JSON", Utf8("{'eventId': 1}"), "payload: not valid JSON");
        yield return Sent("JSON with a comment", Utf8("/* hi */" + sentJson), "payload: not valid JSON");
        yield return Sent("trailing comma", Utf8(sentJson.TrimEnd()[..^1] + ",}"), "payload: not valid JSON");
        yield return Sent("truncated", sentBytes[..(sentBytes.Length / 2)], "payload: not valid JSON");
        yield return Sent("trailing garbage", Utf8(sentJson + "x"), "payload: not valid JSON");
        yield return Sent("two JSON values", Utf8(sentJson + "{}"), "payload: not valid JSON");
        yield return Sent("byte order mark", [0xEF, 0xBB, 0xBF, .. sentBytes], "payload: not valid JSON");
        yield return Sent("JSON array", Utf8("[]"), "payload: expected a JSON object, got array");
        yield return Sent("JSON string", Utf8("\"event\""), "payload: expected a JSON object, got string");
        yield return Sent("JSON number", Utf8("42"), "payload: expected a JSON object, got number");
        yield return Sent("JSON null", Utf8("null"), "payload: expected a JSON object, got null");
        yield return Sent("invalid UTF-8 in a string", Splice(sentJson, "Hello", [0xC3, 0x28]), "payload: not valid UTF-8");
        yield return Sent("overlong UTF-8 encoding", Splice(sentJson, "Hello", [0xC0, 0xAF]), "payload: not valid UTF-8");
        yield return Sent("UTF-8-encoded surrogate", Splice(sentJson, "Hello", [0xED, 0xA0, 0x80]), "payload: not valid UTF-8");
        var huge = Utf8(sentJson.Replace("Hello", new string('a', 2 * 1024 * 1024), StringComparison.Ordinal));
        yield return Sent("2 MiB payload", huge, $"payload: {huge.Length} bytes exceeds the limit of 1048576");
        var deep = new string('[', 100) + new string(']', 100);
        yield return Sent("depth bomb in an unknown field", Utf8(sentJson.Replace("\"content\":", $"\"deep\": {deep}, \"content\":", StringComparison.Ordinal)), "payload: not valid JSON (The maximum configured depth of 32");

        // Envelope fields.
        foreach (var field in new[] { "eventId", "eventType", "timestamp", "version", "data", "metadata" })
        {
            yield return SentWith($"missing {field}", root => root.Remove(field), $"{field}: required field is missing");
        }

        yield return SentWith("missing metadata.source", root => root["metadata"]!.AsObject().Remove("source"), "metadata.source: required field is missing");
        yield return SentWith("eventId = 42", root => root["eventId"] = 42, "eventId: expected a UUID string, got number");
        yield return SentWith("eventId = empty UUID", root => root["eventId"] = Guid.Empty.ToString(), "eventId: must not be the empty UUID");
        yield return SentWith("eventType = null", root => root["eventType"] = null, "eventType: expected a string, got null");
        yield return SentWith("version = 1.0 (number)", root => root["version"] = 1.0, "version: expected a string, got number");
        yield return SentWith("timestamp = epoch number", root => root["timestamp"] = 1705314600, "timestamp: expected an ISO-8601 time string, got number");
        yield return SentWith("data = []", root => root["data"] = new JsonArray(), "data: expected an object, got array");
        yield return SentWith("data = \"{}\"", root => root["data"] = "{}", "data: expected an object, got string");
        yield return SentWith("data = null", root => root["data"] = null, "data: expected an object, got null");
        yield return SentWith("metadata = true", root => root["metadata"] = true, "metadata: expected an object, got boolean");
        yield return SentWith("metadata.source = \"\"", root => root["metadata"]!["source"] = "", "metadata.source: must not be empty");

        foreach (var version in new[] { "abc", "1", "1.", ".1", "1.0.0", "+1.0", " 1.0", "v1.0", "1.x", "" })
        {
            yield return SentWith($"version = '{version}'", root => root["version"] = version, "version: expected \"<major>.<minor>\"");
        }

        yield return SentWith("version = '2.0'", root => root["version"] = "2.0", "version: unsupported major version 2 (supported: 1)");
        yield return SentWith("version = '0.9'", root => root["version"] = "0.9", "version: unsupported major version 0 (supported: 1)");

        foreach (var timestamp in new[]
        {
            "2024-01-15T10:30:00", "2024-01-15", "2024-01-15T10:30Z", "2024-01-15 10:30:00Z", "2024-01-15T10:30:00+0100",
            "2024-01-15T10:30:00z", "2024-13-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "yesterday", "",
        })
        {
            yield return SentWith($"timestamp = '{timestamp}'", root => root["timestamp"] = timestamp, "timestamp: expected a valid ISO-8601 time with seconds and a zone");
        }

        // Topic and type.
        yield return SentWith("eventType of another topic", root => root["eventType"] = "message.edited", "eventType: 'message.edited' does not match topic quikapp.message.sent");
        yield return SentWith("eventType empty", root => root["eventType"] = "", "eventType: '' does not match topic quikapp.message.sent");
        yield return new("unknown topic", "quikapp.message.pinned", sentBytes, "topic: 'quikapp.message.pinned' is not a topic of the event contract");
        yield return new("dead-letter topic", "quikapp.message.sent.dlq", sentBytes, "topic: 'quikapp.message.sent.dlq' is not a topic");

        // message.sent data.
        foreach (var field in new[] { "messageId", "channelId", "workspaceId", "userId", "content", "contentType", "mentions", "mentionsEveryone", "attachments", "createdAt" })
        {
            yield return SentWith($"missing data.{field}", root => Data(root).Remove(field), $"data.{field}: required field is missing");
        }

        yield return SentData("channelId", 42, "data.channelId: expected a UUID string, got number");
        yield return SentData("channelId", new JsonObject(), "data.channelId: expected a UUID string, got object");
        foreach (var uuid in new[]
        {
            "0b8e2a54-1f3c-4d5e-8a9b-0c1d2e3f4a5", "0b8e2a54-1f3c-4d5e-8a9b-0c1d2e3f4a5b0", "{0b8e2a54-1f3c-4d5e-8a9b-0c1d2e3f4a5b}",
            "(0b8e2a54-1f3c-4d5e-8a9b-0c1d2e3f4a5b)", "0b8e2a54-1f3c-4d5e-8a9b-0c1d2e3f4a5g", "0b8e2a541f3c4d5e8a9b0c1d2e3f4a5b",
            " 0b8e2a54-1f3c-4d5e-8a9b-0c1d2e3f4a5b", "0b8e2a54-1f3c-4d5e-8a9b-0c1d2e3f4a5b ", "",
        })
        {
            yield return SentData("channelId", uuid, "data.channelId: expected a UUID string (8-4-4-4-12 hex digits), got ");
        }

        foreach (var objectId in new[] { "65a5083c8f1b2c3d4e5f6a7", "65a5083c8f1b2c3d4e5f6a7b0", "65a5083c8f1b2c3d4e5f6a7z", "65a5083c-8f1b-2c3d-4e5f6a7b", "" })
        {
            yield return SentData("messageId", objectId, "data.messageId: expected an ObjectId string (24 hex digits), got ");
        }

        yield return SentData("messageId", 12345, "data.messageId: expected an ObjectId string, got number");
        yield return SentData("threadId", "not-an-object-id", "data.threadId: expected an ObjectId string (24 hex digits)");
        yield return SentData("content", null, "data.content: expected a string, got null");
        yield return SentData("content", 7, "data.content: expected a string, got number");
        yield return SentData("contentType", "video", "data.contentType: expected one of text, rich, code, file, got 'video'");
        yield return SentData("contentType", "Text", "data.contentType: expected one of text, rich, code, file, got 'Text'");
        yield return SentData("mentions", "everyone", "data.mentions: expected an array, got string");
        yield return SentData("mentions", null, "data.mentions: expected an array, got null");
        yield return SentData("mentions", new JsonArray(EventSamples.UserIdText, 7), "data.mentions[1]: expected a UUID string, got number");
        yield return SentData("mentionsEveryone", "true", "data.mentionsEveryone: expected a boolean, got string");
        yield return SentData("attachments", new JsonArray(1), "data.attachments[0]: expected an object, got number");
        yield return SentData("createdAt", "2024-01-15T10:30:00", "data.createdAt: expected a valid ISO-8601 time with seconds and a zone");
        yield return SentWith("attachment without id", root => Data(root)["attachments"]![0]!.AsObject().Remove("id"), "data.attachments[0].id: required field is missing");
        yield return SentWith("attachment size -1", root => Data(root)["attachments"]![0]!["size"] = -1, "data.attachments[0].size: must not be negative, got -1");
        yield return SentWith("attachment size 1.5", root => Data(root)["attachments"]![0]!["size"] = 1.5, "data.attachments[0].size: expected an integer, got 1.5");
        yield return SentWith("attachment size as string", root => Data(root)["attachments"]![0]!["size"] = "24576", "data.attachments[0].size: expected an integer, got string");
        yield return Sent("unpaired surrogate escape in content", Utf8(sentJson.Replace("Hello", "\\ud800Hello", StringComparison.Ordinal)), "data.content: string has an invalid \\u escape");
        yield return Sent("unpaired surrogate escape in a property name", Utf8("{ \"\\udc00\": 1," + sentJson.TrimStart()[1..]), "payload: a property name has an invalid \\u escape");

        // Duplicates.
        yield return Sent("duplicate eventId", Utf8($"{{ \"eventId\": \"{Guid.NewGuid()}\"," + sentJson.TrimStart()[1..]), "eventId: duplicate property");
        yield return Sent("duplicate version", Utf8("{ \"version\": \"1.0\"," + sentJson.TrimStart()[1..]), "version: duplicate property");
        yield return Sent("duplicate data.channelId", Utf8(sentJson.Replace("\"channelId\"", $"\"channelId\": \"{Guid.NewGuid()}\", \"channelId\"", StringComparison.Ordinal)), "data.channelId: duplicate property");

        // Other event types.
        yield return Case(EventSamples.MessageReaction, "reaction action 'like'", root => Data(root)["action"] = "like", "data.action: expected one of added, removed, got 'like'");
        yield return Case(EventSamples.MessageReaction, "reaction emoji empty", root => Data(root)["emoji"] = "", "data.emoji: must not be empty");
        yield return Case(EventSamples.FileUploaded, "upload without storage", root => Data(root).Remove("storage"), "data.storage: required field is missing");
        yield return Case(EventSamples.FileUploaded, "upload without storage.key", root => Data(root)["storage"]!.AsObject().Remove("key"), "data.storage.key: required field is missing");
        yield return Case(EventSamples.FileUploaded, "upload expiresAt without zone", root => Data(root)["expiresAt"] = "2024-02-15T00:00:00", "data.expiresAt: expected a valid ISO-8601 time with seconds and a zone");
        yield return Case(EventSamples.FileUploaded, "upload size too large for long", root => Data(root)["size"] = JsonNode.Parse("9223372036854775808"), "data.size: expected an integer, got 9223372036854775808");
        yield return Case(EventSamples.FileScanned, "scan status 'quarantined'", root => Data(root)["status"] = "quarantined", "data.status: expected one of clean, infected, error, got 'quarantined'");
        yield return Case(EventSamples.ModerationFlagged, "overall score 1e400", root => Data(root)["overallScore"] = JsonNode.Parse("1e400"), "data.overallScore: expected a finite number, got 1e400");
        yield return Case(EventSamples.ModerationFlagged, "check without score", root => Data(root)["checks"]!["spam"]!.AsObject().Remove("score"), "data.checks.spam.score: required field is missing");
        yield return Case(EventSamples.ModerationFlagged, "checks as array", root => Data(root)["checks"] = new JsonArray(), "data.checks: expected an object, got array");
        yield return new("duplicate check name", EventTopics.ModerationFlagged, Utf8(EventSamples.ModerationFlagged.Json.Replace("\"spam\"", "\"toxicity\"", StringComparison.Ordinal)), "data.checks.toxicity: duplicate property");
        yield return Case(EventSamples.FileProcessed, "metadata width beyond int", root => Data(root)["metadata"]!["width"] = 1e10, "data.metadata.width: must be at most 2147483647");
        yield return Case(EventSamples.FileProcessed, "metadata duration negative", root => Data(root)["metadata"]!["duration"] = -1.5, "data.metadata.duration: must not be negative");
    }

    private static HostileCase Case(EventSample sample, string name, Action<JsonObject> mutate, string expected) =>
        new($"{sample.Expected.EventType}: {name}", sample.Topic, Mutated(sample, mutate), expected);

    private static EventEnvelope ParseOk(string topic, byte[] payload)
    {
        var result = EventEnvelopeParser.Parse(topic, payload);
        Assert.True(result.IsSuccess, result.FailureReason);
        return result.Envelope;
    }

    private static byte[] Mutated(EventSample sample, Action<JsonObject> mutate)
    {
        var root = JsonNode.Parse(sample.Json)!.AsObject();
        mutate(root);
        return Utf8(root.ToJsonString());
    }

    private static JsonObject Data(JsonObject root) => root["data"]!.AsObject();

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // Inserts raw bytes (possibly invalid UTF-8) before the first occurrence of marker.
    private static byte[] Splice(string json, string marker, byte[] bytes)
    {
        var at = Encoding.UTF8.GetByteCount(json[..json.IndexOf(marker, StringComparison.Ordinal)]);
        var utf8 = Utf8(json);
        return [.. utf8[..at], .. bytes, .. utf8[at..]];
    }
}
