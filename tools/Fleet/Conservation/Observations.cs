using MongoDB.Bson;

namespace QuikApp.Workers.Fleet.Conservation;

/// <summary>One <c>auto_mod_results</c> document as observed at the end of a run.</summary>
/// <param name="ContentEventId">The event whose content the result judged; null for a tombstone (deleted, never scored).</param>
/// <param name="Action">allow, flag or block; null for a tombstone.</param>
internal sealed record ObservedResult(ObjectId MessageId, Guid? ContentEventId, string? Action, bool Deleted, DateTimeOffset? ProcessedAt);

/// <summary>One <c>QuikApp_files.files</c> document as observed at the end of a run.</summary>
/// <param name="ProcessingStatus">done, skipped or failed; null while the file is unprocessed.</param>
/// <param name="EventId">The event the stored outcome came from (<c>processing.eventId</c>).</param>
/// <param name="Derivatives">Thumbnails the document lists.</param>
internal sealed record ObservedFile(
    Guid FileId,
    string ScanStatus,
    string? ProcessingStatus,
    bool Published,
    int Attempts,
    Guid? EventId,
    string? ThumbnailUrl,
    int Derivatives,
    bool Deleted,
    DateTimeOffset? ProcessedAt,
    string? Reason);

/// <summary>A record of a <c>.dlq</c> topic: where it came from (its <c>dlq-source-*</c> headers) and why (<c>dlq-reason</c>).</summary>
internal sealed record DeadLetter(string SourceTopic, int SourcePartition, long SourceOffset, string Reason);

/// <summary>An event a worker published: its topic, id, and the message or file it is about.</summary>
internal sealed record DerivedEvent(string Topic, Guid EventId, string Subject);

/// <summary>Where a produced record landed.</summary>
internal sealed record TopicPosition(string Topic, int Partition, long Offset);

/// <summary>Everything observed at the end of a run: the stores, the dead-letter topics and the derived topics.</summary>
/// <param name="FilesWithDerivativesLeft">Files whose thumbnail objects are still in derivative storage.</param>
internal sealed record Observations(
    IReadOnlyDictionary<ObjectId, ObservedResult> Results,
    IReadOnlyDictionary<Guid, ObservedFile> Files,
    IReadOnlyList<DeadLetter> DeadLetters,
    IReadOnlyList<DerivedEvent> Derived,
    IReadOnlySet<Guid> FilesWithDerivativesLeft);
