using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Workload;

/// <summary>One record the workload produces, in production order: where it goes, its key, and when it happens in event time.</summary>
internal abstract record PlannedEvent(int Sequence, string Topic, string Key, DateTimeOffset At);

/// <summary>
/// A valid contract event. <see cref="Message"/> is what the message-service writes before publishing a sent, edited or
/// deleted message (its state after this event); <see cref="File"/> is the file of a <c>file.deleted</c>.
/// </summary>
/// <param name="AfterUploadsSettle">Produced only once the uploads have an outcome: users delete files they have seen.</param>
internal sealed record ContractEvent(int Sequence, string Topic, string Key, DateTimeOffset At, EventEnvelope Envelope, ChatMessage? Message,
    PlannedFile? File = null, bool AfterUploadsSettle = false) : PlannedEvent(Sequence, Topic, Key, At);

/// <summary>A <c>file.uploaded</c>: its envelope is built at upload time, when the stored object's size is known.</summary>
internal sealed record UploadEvent(int Sequence, string Topic, string Key, DateTimeOffset At, PlannedFile File, Guid EventId, string CorrelationId)
    : PlannedEvent(Sequence, Topic, Key, At);

/// <summary>A record no worker can read: its raw value and what is wrong with it. It must end up in <c>&lt;topic&gt;.dlq</c>.</summary>
internal sealed record MalformedEvent(int Sequence, string Topic, string Key, DateTimeOffset At, byte[] Value, MalformedKind Kind)
    : PlannedEvent(Sequence, Topic, Key, At);

/// <summary>What is wrong with a malformed event.</summary>
internal enum MalformedKind
{
    /// <summary>The value is not JSON (cut off mid-object).</summary>
    NotJson,

    /// <summary>A valid envelope whose id field (channelId or fileId) is not a UUID.</summary>
    BadUuid,

    /// <summary>A valid envelope of version 2.0, which no worker may guess at.</summary>
    UnknownMajorVersion,
}

/// <summary>An upload as the workload plans it: identity, the sample it carries, its name and declared type.</summary>
/// <param name="SuffixSeed">Seeds the 16 bytes appended to the sample, so no two uploads have the same bytes.</param>
internal sealed record PlannedFile(
    Guid FileId,
    Guid WorkspaceId,
    Guid UploadedBy,
    FileSampleKind Kind,
    string FileName,
    string MimeType,
    int SuffixSeed,
    DateTimeOffset UploadedAt)
{
    public string StorageKey => $"workspaces/{WorkspaceId}/files/{FileId}{Path.GetExtension(FileName)}";
}

/// <summary>A workspace of the workload: its channels and members.</summary>
internal sealed record PlannedWorkspace(Guid Id, IReadOnlyList<Guid> Channels, IReadOnlyList<Guid> Users);

/// <summary>The generated workload: its spec, its workspaces and every record to produce, in order.</summary>
internal sealed record GeneratedWorkload(WorkloadSpec Spec, IReadOnlyList<PlannedWorkspace> Workspaces, IReadOnlyList<PlannedEvent> Events)
{
    public IEnumerable<ContractEvent> Contract => Events.OfType<ContractEvent>();

    public IEnumerable<UploadEvent> Uploads => Events.OfType<UploadEvent>();

    public IEnumerable<MalformedEvent> Malformed => Events.OfType<MalformedEvent>();

    /// <summary>How many records go to each topic.</summary>
    public IReadOnlyDictionary<string, int> CountByTopic() =>
        Events.GroupBy(e => e.Topic, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}

/// <summary>How big the workload is and what seeds it.</summary>
/// <param name="End">Event times lie before this (the run's start, or a fixed time in tests).</param>
/// <param name="IdSeed">Seeds the ids only, so a run against a MongoDB that keeps earlier runs gets fresh ids with the same shape.</param>
internal sealed record WorkloadSpec(int Messages, int Files, int Seed, DateTimeOffset End, int IdSeed)
{
    public static WorkloadSpec Create(int messages, int files, int seed, DateTimeOffset end, int? idSeed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messages);
        ArgumentOutOfRangeException.ThrowIfNegative(files);
        return new WorkloadSpec(messages, files, seed, end, idSeed ?? seed);
    }
}
