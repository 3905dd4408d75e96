using System.Collections.Frozen;

namespace QuikApp.Workers.Shared.Events;

/// <summary>The Kafka topics of the event contract (shared/contracts/events.md) and what each carries.</summary>
public static class EventTopics
{
    public const string MessageSent = "quikapp.message.sent";
    public const string MessageEdited = "quikapp.message.edited";
    public const string MessageDeleted = "quikapp.message.deleted";
    public const string MessageReaction = "quikapp.message.reaction";
    public const string FileUploaded = "quikapp.file.uploaded";
    public const string FileDeleted = "quikapp.file.deleted";
    public const string ModerationFlagged = "quikapp.moderation.flagged";
    public const string FileScanned = "quikapp.file.scanned";
    public const string FileProcessed = "quikapp.file.processed";

    /// <summary>Suffix of the dead-letter topic that shadows each consumed topic.</summary>
    public const string DeadLetterSuffix = ".dlq";

    // Partition counts of consumed topics are the contract's production defaults. The contract gives none for the
    // topics the workers produce: 6 matches file.uploaded, the source of scanned/processed, and is plenty for flagged,
    // which carries only the small share of message traffic that moderation flags or blocks.
    public static IReadOnlyList<TopicSpec> All { get; } =
    [
        new(MessageSent, 12, "channelId", "message.sent", typeof(Events.MessageSent), TopicRole.Consumed),
        new(MessageEdited, 6, "channelId", "message.edited", typeof(Events.MessageEdited), TopicRole.Consumed),
        new(MessageDeleted, 3, "channelId", "message.deleted", typeof(Events.MessageDeleted), TopicRole.Consumed),
        new(MessageReaction, 6, "channelId", "message.reaction", typeof(Events.MessageReaction), TopicRole.Consumed),
        new(FileUploaded, 6, "fileId", "file.uploaded", typeof(Events.FileUploaded), TopicRole.Consumed),
        new(FileDeleted, 3, "fileId", "file.deleted", typeof(Events.FileDeleted), TopicRole.Consumed),
        new(ModerationFlagged, 6, "channelId", "moderation.flagged", typeof(Events.ModerationFlagged), TopicRole.Produced),
        new(FileScanned, 6, "fileId", "file.scanned", typeof(Events.FileScanned), TopicRole.Produced),
        new(FileProcessed, 6, "fileId", "file.processed", typeof(Events.FileProcessed), TopicRole.Produced),
    ];

    private static readonly FrozenDictionary<string, TopicSpec> ByName = All.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
    private static readonly FrozenDictionary<Type, TopicSpec> ByDataType = All.ToFrozenDictionary(t => t.DataType);

    /// <summary>The spec of a contract topic, or null for any other name (dead-letter topics included).</summary>
    public static TopicSpec? Find(string topic) => topic is not null && ByName.TryGetValue(topic, out var spec) ? spec : null;

    /// <summary>The topic an event's data belongs on.</summary>
    /// <exception cref="ArgumentException">The data type is not part of the contract.</exception>
    public static TopicSpec For(IEventData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ByDataType.TryGetValue(data.GetType(), out var spec)
            ? spec
            : throw new ArgumentException($"{data.GetType().Name} is not an event type of the contract.", nameof(data));
    }

    public static string DeadLetterTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        return topic + DeadLetterSuffix;
    }
}

/// <summary>One contract topic: its name, production partition count, message key, event type and data record.</summary>
/// <remarks>
/// <c>KeyField</c> is the data field whose value is the Kafka message key (events are ordered per key);
/// <c>EventType</c> is the envelope's <c>eventType</c> on the topic, e.g. <c>message.sent</c>.
/// </remarks>
public sealed record TopicSpec(string Name, int Partitions, string KeyField, string EventType, Type DataType, TopicRole Role);

/// <summary>Whether the workers consume a topic (and so dead-letter it) or produce it.</summary>
public enum TopicRole
{
    Consumed,
    Produced,
}
