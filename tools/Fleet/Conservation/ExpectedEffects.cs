using MongoDB.Bson;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Conservation;

/// <summary>What the workers must make of one sent message: the version its result must hold, and whether it is deleted.</summary>
/// <param name="LatestEventId">The event of the newest content (the last edit, else the send).</param>
/// <param name="VersionEventIds">Every event that carried content for it (the send and each edit).</param>
internal sealed record ExpectedMessage(ObjectId MessageId, Guid LatestEventId, IReadOnlySet<Guid> VersionEventIds, bool Deleted);

/// <summary>What the files worker must make of one upload.</summary>
internal sealed record ExpectedFile(Guid FileId, FileSampleKind Kind, Guid UploadEventId, ExpectedFileOutcome Outcome, bool Deleted);

/// <summary>Every effect the workload must have, computed from the workload alone.</summary>
internal sealed record ExpectedEffects(
    IReadOnlyDictionary<ObjectId, ExpectedMessage> Messages,
    IReadOnlyDictionary<Guid, ExpectedFile> Files,
    int Malformed,
    int Reactions)
{
    public static ExpectedEffects From(GeneratedWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var messages = new Dictionary<ObjectId, MessageState>();
        var deletedFiles = new HashSet<Guid>();
        foreach (var contract in workload.Contract)
        {
            var envelope = contract.Envelope;
            switch (envelope.Data)
            {
                case MessageSent sent:
                    State(messages, sent.MessageId).Version(envelope.EventId, sent.CreatedAt);
                    break;
                case MessageEdited edited:
                    State(messages, edited.MessageId).Version(envelope.EventId, edited.EditedAt);
                    break;
                case MessageDeleted deleted:
                    State(messages, deleted.MessageId).Deleted = true;
                    break;
                case FileDeleted fileDeleted:
                    deletedFiles.Add(fileDeleted.FileId);
                    break;
            }
        }

        return new ExpectedEffects(
            messages.ToDictionary(m => m.Key, m => new ExpectedMessage(m.Key, m.Value.Latest, m.Value.Versions, m.Value.Deleted)),
            workload.Uploads.ToDictionary(u => u.File.FileId, u => new ExpectedFile(u.File.FileId, u.File.Kind, u.EventId,
                FileSampleKinds.Expected(u.File.Kind), deletedFiles.Contains(u.File.FileId))),
            workload.Malformed.Count(),
            workload.Contract.Count(c => c.Topic == EventTopics.MessageReaction));
    }

    private static MessageState State(Dictionary<ObjectId, MessageState> messages, ObjectId id) =>
        messages.TryGetValue(id, out var state) ? state : messages[id] = new MessageState();

    private sealed class MessageState
    {
        private DateTimeOffset? _at;

        public Guid Latest { get; private set; }

        public HashSet<Guid> Versions { get; } = [];

        public bool Deleted { get; set; }

        public void Version(Guid eventId, DateTimeOffset at)
        {
            Versions.Add(eventId);
            if (_at is null || at > _at)
            {
                (Latest, _at) = (eventId, at);
            }
        }
    }
}
