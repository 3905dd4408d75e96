using System.Globalization;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Workload;

/// <summary>
/// Generates the fleet's workload from a seed: workspaces with channels and users; messages with threads, mentions,
/// edits, deletes and reactions; a share of spam (links, floods, mention abuse) and abuse; uploads of every
/// <see cref="FileSampleKind"/>, some deleted later; and malformed records on every consumed topic. Pure: the same spec
/// gives the same workload.
/// </summary>
internal static class WorkloadGenerator
{
    /// <summary>Messages in one flood: one user, one channel, the same text every two seconds (the detector fires at five).</summary>
    public const int FloodSize = 6;

    /// <summary>Share of messages that are part of a flood (each flood is <see cref="FloodSize"/> of them).</summary>
    public const double FloodShare = 0.03;
    public const double LinkSpamShare = 0.03;
    public const double MentionAbuseShare = 0.02;
    public const double AbuseShare = 0.06;
    public const double ThreadReplyShare = 0.25;
    public const double EditShare = 0.05;
    public const double DeleteShare = 0.03;
    public const double ReactionShare = 0.10;
    public const double FileDeleteShare = 0.05;

    public const int UsersPerWorkspace = 100;

    public const string MessageService = "message-service";
    public const string FileService = "file-service";

    private static readonly string[] Emoji = ["👍", "🎉", "😂", "❤️", "👀", "🚀"];

    public static GeneratedWorkload Generate(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var shape = new Random(spec.Seed);
        var ids = new Random(spec.IdSeed ^ 0x5EED);
        // About one message a second across the run, so a user writes a few a minute at most: everyday chat never looks like a
        // flood to the detector (five near-same texts from one user within a minute); the floods are the planned ones.
        var span = TimeSpan.FromSeconds(Math.Clamp(spec.Messages, 600, 6 * 3600));
        var start = spec.End - span;
        var workspaces = Enumerable.Range(0, Math.Clamp(spec.Messages / 1000, 2, 50))
            .Select(_ => new PlannedWorkspace(NewGuid(ids), [.. Enumerable.Range(0, 6).Select(_ => NewGuid(ids))], [.. Enumerable.Range(0, UsersPerWorkspace).Select(_ => NewGuid(ids))]))
            .ToList();

        var events = new List<PlannedEvent>();
        var sent = GenerateMessages(spec, shape, ids, workspaces, start, span, events);
        GenerateFollowUps(shape, ids, workspaces, sent, events);
        GenerateFiles(spec, shape, ids, workspaces, start, span, events);
        GenerateMalformed(ids, workspaces, start, span, events);

        // Production order is event order; ties keep generation order (a flood's messages, a message before its edit).
        var ordered = events.Select((e, i) => (Event: e, Index: i)).OrderBy(e => e.Event.At).ThenBy(e => e.Index)
            .Select((e, sequence) => e.Event with { Sequence = sequence })
            .ToList();
        return new GeneratedWorkload(spec, workspaces, ordered);
    }

    private static List<ChatMessage> GenerateMessages(WorkloadSpec spec, Random shape, Random ids, List<PlannedWorkspace> workspaces,
        DateTimeOffset start, TimeSpan span, List<PlannedEvent> events)
    {
        var step = span / Math.Max(1, spec.Messages);
        var topLevel = new Dictionary<Guid, List<ObjectId>>();
        var sent = new List<ChatMessage>(spec.Messages);
        var index = 0;
        while (index < spec.Messages)
        {
            var workspace = workspaces[shape.Next(workspaces.Count)];
            var channel = workspace.Channels[shape.Next(workspace.Channels.Count)];
            var user = workspace.Users[shape.Next(workspace.Users.Count)];
            var at = start + (step * index);
            var roll = shape.NextDouble();
            if (roll < FloodShare / FloodSize && spec.Messages - index >= FloodSize)
            {
                var text = ChatPhrases.FloodText(shape);
                for (var k = 0; k < FloodSize; k++)
                {
                    sent.Add(Sent(events, ids, workspace, channel, user, text, null, [], false, at + TimeSpan.FromSeconds(2 * k), index + k));
                }

                index += FloodSize;
                continue;
            }

            roll -= FloodShare / FloodSize;
            ChatMessage message;
            if (roll < LinkSpamShare)
            {
                message = Sent(events, ids, workspace, channel, user, ChatPhrases.LinkSpamText(shape), null, [], false, at, index);
            }
            else if (roll < LinkSpamShare + MentionAbuseShare)
            {
                var mentioned = workspace.Users.OrderBy(_ => shape.Next()).Take(shape.Next(12, 31)).ToList();
                message = Sent(events, ids, workspace, channel, user, ChatPhrases.MentionAbuseText(shape), null, mentioned, true, at, index);
            }
            else if (roll < LinkSpamShare + MentionAbuseShare + AbuseShare)
            {
                message = Sent(events, ids, workspace, channel, user, ChatPhrases.AbuseText(shape), null, [], false, at, index);
            }
            else
            {
                var roots = topLevel.TryGetValue(channel, out var list) ? list : topLevel[channel] = [];
                ObjectId? thread = roots.Count > 0 && shape.NextDouble() < ThreadReplyShare ? roots[shape.Next(Math.Max(0, roots.Count - 20), roots.Count)] : null;
                var mentions = shape.NextDouble() < 0.2 ? workspace.Users.OrderBy(_ => shape.Next()).Take(shape.Next(1, 3)).ToList() : [];
                message = Sent(events, ids, workspace, channel, user, ChatPhrases.EverydayText(shape), thread, mentions, false, at, index);
                if (thread is null)
                {
                    roots.Add(message.Id);
                }
            }

            sent.Add(message);
            index++;
        }

        return sent;
    }

    private static ChatMessage Sent(List<PlannedEvent> events, Random ids, PlannedWorkspace workspace, Guid channel, Guid user, string content,
        ObjectId? thread, List<Guid> mentions, bool everyone, DateTimeOffset at, int number)
    {
        var messageId = NewObjectId(ids);
        var data = new MessageSent(messageId, channel, workspace.Id, user, content, MessageContentType.Text, thread, mentions, everyone, [],
            string.Create(CultureInfo.InvariantCulture, $"client-{number}"), at);
        var message = new ChatMessage(messageId, workspace.Id, channel, user, content, MessageContentType.Text, thread, at, false, mentions.Count, everyone);
        events.Add(new ContractEvent(0, EventTopics.MessageSent, channel.ToString(), at, Envelope(data, MessageService, ids, at), message));
        return message;
    }

    /// <summary>Edits (a few twice), deletes and reactions of earlier messages, each later in event time than what it follows.</summary>
    private static void GenerateFollowUps(Random shape, Random ids, List<PlannedWorkspace> workspaces, List<ChatMessage> sent, List<PlannedEvent> events)
    {
        var byWorkspace = workspaces.ToDictionary(w => w.Id);
        foreach (var original in sent)
        {
            var current = original;
            var last = original.CreatedAt;
            if (shape.NextDouble() < EditShare)
            {
                var edits = shape.NextDouble() < 0.2 ? 2 : 1;
                for (var e = 0; e < edits; e++)
                {
                    last += TimeSpan.FromSeconds(shape.Next(20, 300));
                    current = current with { Content = ChatPhrases.EditText(shape, original.Content) };
                    var data = new MessageEdited(original.Id, original.ChannelId, original.WorkspaceId, original.UserId, current.Content, last);
                    events.Add(new ContractEvent(0, EventTopics.MessageEdited, original.ChannelId.ToString(), last, Envelope(data, MessageService, ids, last), current));
                }
            }

            if (shape.NextDouble() < ReactionShare)
            {
                var users = byWorkspace[original.WorkspaceId].Users;
                for (var r = shape.Next(1, 4); r > 0; r--)
                {
                    var at = original.CreatedAt + TimeSpan.FromSeconds(shape.Next(5, 600));
                    var reactor = users[shape.Next(users.Count)];
                    var emoji = Emoji[shape.Next(Emoji.Length)];
                    events.Add(Reaction(ids, original, reactor, emoji, ReactionAction.Added, at));
                    if (shape.NextDouble() < 0.2)
                    {
                        events.Add(Reaction(ids, original, reactor, emoji, ReactionAction.Removed, at + TimeSpan.FromSeconds(shape.Next(5, 120))));
                    }
                }
            }

            if (shape.NextDouble() < DeleteShare)
            {
                var deletedAt = last + TimeSpan.FromSeconds(shape.Next(60, 600));
                var data = new MessageDeleted(original.Id, original.ChannelId, original.WorkspaceId, original.UserId, deletedAt);
                events.Add(new ContractEvent(0, EventTopics.MessageDeleted, original.ChannelId.ToString(), deletedAt,
                    Envelope(data, MessageService, ids, deletedAt), current with { Deleted = true }));
            }
        }
    }

    private static ContractEvent Reaction(Random ids, ChatMessage message, Guid user, string emoji, ReactionAction action, DateTimeOffset at)
    {
        var data = new MessageReaction(message.Id, message.ChannelId, user, emoji, action, at);
        return new ContractEvent(0, EventTopics.MessageReaction, message.ChannelId.ToString(), at, Envelope(data, MessageService, ids, at), null);
    }

    private static void GenerateFiles(WorkloadSpec spec, Random shape, Random ids, List<PlannedWorkspace> workspaces, DateTimeOffset start, TimeSpan span,
        List<PlannedEvent> events)
    {
        var cycle = FileSampleKinds.Cycle;
        var order = new List<FileSampleKind>();
        for (var c = 0; order.Count < spec.Files; c++)
        {
            // Every other cycle, the file too large to scan takes the place of the random bytes.
            var kinds = cycle.Select(k => k == FileSampleKind.RandomAsPng && c % 2 == 1 ? FileSampleKind.Oversize : k).OrderBy(_ => shape.Next());
            order.AddRange(kinds);
        }

        for (var j = 0; j < spec.Files; j++)
        {
            var kind = order[j];
            var workspace = workspaces[shape.Next(workspaces.Count)];
            var uploader = workspace.Users[shape.Next(workspace.Users.Count)];
            var at = start + (span * ((j + 0.5) / spec.Files));
            var (name, mimeType) = FileSampleKinds.NameAndType(kind);
            var file = new PlannedFile(NewGuid(ids), workspace.Id, uploader, kind, name, mimeType, shape.Next(), at);
            events.Add(new UploadEvent(0, EventTopics.FileUploaded, file.FileId.ToString(), at, file, NewGuid(ids), $"req_{NewGuid(ids):N}"));

            var expected = FileSampleKinds.Expected(kind);
            if (expected.Processing != Files.Processing.ProcessingStatus.Failed && shape.NextDouble() < FileDeleteShare)
            {
                var deletedAt = spec.End + TimeSpan.FromSeconds(j);
                var data = new FileDeleted(file.FileId, file.WorkspaceId, uploader, deletedAt);
                events.Add(new ContractEvent(0, EventTopics.FileDeleted, file.FileId.ToString(), deletedAt, Envelope(data, FileService, ids, deletedAt), null,
                    file, AfterUploadsSettle: true));
            }
        }
    }

    /// <summary>Each kind of malformed record on every topic a worker consumes, spread evenly through the run.</summary>
    private static void GenerateMalformed(Random ids, List<PlannedWorkspace> workspaces, DateTimeOffset start, TimeSpan span, List<PlannedEvent> events)
    {
        var workspace = workspaces[0];
        var channel = workspace.Channels[0];
        var user = workspace.Users[0];
        var samples = new List<(string Topic, string Key, string IdField, EventEnvelope Envelope)>
        {
            (EventTopics.MessageSent, channel.ToString(), "channelId", Envelope(new MessageSent(NewObjectId(ids), channel, workspace.Id, user, "hello",
                MessageContentType.Text, null, [], false, [], null, start), MessageService, ids, start)),
            (EventTopics.MessageEdited, channel.ToString(), "channelId", Envelope(new MessageEdited(NewObjectId(ids), channel, workspace.Id, user, "hello", start),
                MessageService, ids, start)),
            (EventTopics.MessageDeleted, channel.ToString(), "channelId", Envelope(new MessageDeleted(NewObjectId(ids), channel, workspace.Id, user, start),
                MessageService, ids, start)),
            (EventTopics.FileUploaded, NewGuid(ids).ToString(), "fileId", Envelope(new FileUploaded(NewGuid(ids), workspace.Id, user, "a.png", "a.png", "image/png",
                10, new FileStorageLocation("local", "quikapp-files", "workspaces/a.png", null), null), FileService, ids, start)),
            (EventTopics.FileDeleted, NewGuid(ids).ToString(), "fileId", Envelope(new FileDeleted(NewGuid(ids), workspace.Id, user, start), FileService, ids, start)),
        };
        var kinds = Enum.GetValues<MalformedKind>();
        var total = samples.Count * kinds.Length;
        var n = 0;
        foreach (var (topic, key, idField, envelope) in samples)
        {
            foreach (var kind in kinds)
            {
                var at = start + (span * ((n + 1.0) / (total + 1)));
                events.Add(new MalformedEvent(0, topic, key, at, Malform(envelope, idField, kind), kind));
                n++;
            }
        }
    }

    /// <summary>The envelope's bytes with the defect of <paramref name="kind"/>.</summary>
    public static byte[] Malform(EventEnvelope envelope, string idField, MalformedKind kind)
    {
        var valid = EventEnvelopeWriter.Serialize(envelope);
        if (kind == MalformedKind.NotJson)
        {
            return valid[..(valid.Length / 2)];
        }

        var json = JsonNode.Parse(valid)!.AsObject();
        if (kind == MalformedKind.BadUuid)
        {
            json["data"]![idField] = "not-a-uuid";
        }
        else
        {
            json["version"] = "2.0";
        }

        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static EventEnvelope Envelope(IEventData data, string source, Random ids, DateTimeOffset at) =>
        EventEnvelope.Create(data, source, $"req_{NewGuid(ids):N}", NewGuid(ids), at);

    private static Guid NewGuid(Random ids)
    {
        Span<byte> bytes = stackalloc byte[16];
        ids.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (little-endian field layout of System.Guid)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    private static ObjectId NewObjectId(Random ids)
    {
        var bytes = new byte[12];
        ids.NextBytes(bytes);
        return new ObjectId(bytes);
    }
}
