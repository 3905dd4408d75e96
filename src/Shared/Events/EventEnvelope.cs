using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace QuikApp.Workers.Shared.Events;

/// <summary>The envelope every contract event travels in: identity, type, time, version, data and metadata.</summary>
/// <remarks>
/// <c>EventId</c> is unique per event: the idempotency key consumers dedupe by. <c>Version</c> is
/// <c>"&lt;major&gt;.&lt;minor&gt;"</c>; only <see cref="SupportedMajorVersion"/> is read.
/// </remarks>
public sealed record EventEnvelope(
    Guid EventId,
    string EventType,
    DateTimeOffset Timestamp,
    string Version,
    IEventData Data,
    EventMetadata Metadata)
{
    /// <summary>The version the workers write.</summary>
    public const string CurrentVersion = "1.0";

    /// <summary>The only major version the workers read; anything else is dead-lettered, never guessed at.</summary>
    public const int SupportedMajorVersion = 1;

    /// <summary>Wraps data the workers produce, taking the event type from the data's topic.</summary>
    /// <param name="data">The event's data; its type decides the event type.</param>
    /// <param name="source">The producing worker, e.g. <c>files-worker</c>.</param>
    /// <param name="correlationId">Carried over from the event being handled, so a request can be traced end to end.</param>
    /// <param name="eventId">Defaults to a new time-ordered (v7) UUID; pass <see cref="DeterministicEventId"/> for derived events.</param>
    /// <param name="timestamp">Defaults to now; stored in UTC.</param>
    public static EventEnvelope Create(
        IEventData data,
        string source,
        string? correlationId,
        Guid? eventId = null,
        DateTimeOffset? timestamp = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        return new EventEnvelope(
            eventId ?? Guid.CreateVersion7(),
            EventTopics.For(data).EventType,
            (timestamp ?? DateTimeOffset.UtcNow).ToUniversalTime(),
            CurrentVersion,
            data,
            new EventMetadata(source, correlationId));
    }

    /// <summary>
    /// The id of the event of <paramref name="kind"/> about <paramref name="entityId"/> (a messageId, a fileId) derived from a
    /// source event: the same on every redelivery, and different for two entities even when an upstream bug or a replay
    /// gives their events the same eventId (downstream consumers dedupe by eventId and would drop one).
    /// </summary>
    public static Guid DerivedEventId(Guid sourceEventId, string entityId, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        return DeterministicEventId(sourceEventId, $"{kind}|{entityId}");
    }

    /// <summary>A name-based (RFC 4122 version 5, SHA-1) UUID for the event of <paramref name="eventType"/> derived from a source event.</summary>
    /// <remarks>
    /// Delivery is at-least-once, so a worker may process the same source event twice and emit its derived event twice.
    /// Deriving the id from the source event's id (as namespace) and the derived type (as name) makes both emissions
    /// carry the same eventId, which is what downstream consumers dedupe by.
    /// </remarks>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "RFC 4122 v5 UUIDs are defined over SHA-1; this is an identifier, not a security control.")]
    public static Guid DeterministicEventId(Guid sourceEventId, string eventType)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        var nameLength = Encoding.UTF8.GetByteCount(eventType);
        var input = nameLength <= 256 ? stackalloc byte[16 + nameLength] : new byte[16 + nameLength];
        sourceEventId.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(eventType, input[16..]);

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}

/// <summary>Where an event came from and the request it belongs to.</summary>
public sealed record EventMetadata(string Source, string? CorrelationId);

/// <summary>Marker for the per-event-type data records carried in <see cref="EventEnvelope.Data"/>.</summary>
[SuppressMessage("Design", "CA1040:Avoid empty interfaces", Justification = "Closes EventEnvelope.Data over the contract's data records.")]
public interface IEventData;
