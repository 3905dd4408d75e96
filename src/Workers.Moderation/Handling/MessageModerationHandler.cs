using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Producing;

namespace QuikApp.Workers.Moderation.Handling;

/// <summary>
/// Scores every sent and edited message into <c>auto_mod_results</c> (one bulk upsert per batch), publishes
/// <c>quikapp.moderation.flagged</c> for flag and block verdicts, marks deleted messages' results, and tells the
/// observers (smart-reply training sets) once the results are durable.
/// </summary>
public sealed partial class MessageModerationHandler(
    MessageScorer scorer,
    ModerationPolicyProvider policies,
    IAutoModerationResultStore results,
    EventPublisher publisher,
    IEnumerable<IMessageModerationObserver> observers,
    IOptions<ModerationHandlingOptions> options,
    TimeProvider time,
    ILogger<MessageModerationHandler> logger) : IEventBatchHandler<EventEnvelope>
{
    public const string Source = "moderation-worker";
    private readonly IMessageModerationObserver[] _observers = [.. observers];

    public async Task HandleAsync(EventBatch<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var toWrite = new List<(EventEnvelope Event, AutoModerationResult Result, string Content)>();
        var deletions = new List<MessageDeletion>();
        var now = time.GetUtcNow();
        foreach (var consumed in batch.Events)
        {
            var envelope = consumed.Event;
            switch (envelope.Data)
            {
                case MessageSent sent:
                    toWrite.Add((envelope, Judge(sent.MessageId, sent.ChannelId, sent.WorkspaceId, sent.UserId, sent.Content,
                        sent.Mentions.Count, sent.MentionsEveryone,
                        new ContentVersion(ContentKind.Sent, Plausible(sent.CreatedAt, now, sent.MessageId, "createdAt"), envelope.EventId), now), sent.Content));
                    break;
                case MessageEdited edited:
                    toWrite.Add((envelope, Judge(edited.MessageId, edited.ChannelId, edited.WorkspaceId, edited.UserId, edited.Content,
                        0, false, new ContentVersion(ContentKind.Edited, Plausible(edited.EditedAt, now, edited.MessageId, "editedAt"), envelope.EventId), now),
                        edited.Content));
                    break;
                case MessageDeleted deleted:
                    deletions.Add(new MessageDeletion(deleted.MessageId, deleted.ChannelId, deleted.WorkspaceId, deleted.DeletedBy, deleted.DeletedAt));
                    break;
                default:
                    batch.Reject(consumed, $"{envelope.EventType} is not handled by the moderation worker");
                    break;
            }
        }

        if (toWrite.Count > 0)
        {
            var applied = await results.UpsertAsync([.. toWrite.Select(w => w.Result)], cancellationToken).ConfigureAwait(false);
            var current = toWrite.Where((_, i) => applied[i]).ToList();
            await PublishFlaggedAsync(current.Where(w => w.Result.Scored.Verdict.Action != ModerationAction.Allow), cancellationToken)
                .ConfigureAwait(false);
            var moderated = current.Select(w => new ModeratedMessage(w.Event, w.Result.MessageId, w.Result.ChannelId, w.Result.WorkspaceId,
                w.Result.UserId, w.Content, w.Result.Scored.Verdict.Action)).ToList();
            foreach (var observer in _observers)
            {
                await observer.OnModeratedAsync(moderated, cancellationToken).ConfigureAwait(false);
            }

            LogScored(batch.Topic, toWrite.Count, toWrite.Count - current.Count,
                current.Count(w => w.Result.Scored.Verdict.Action == ModerationAction.Flag),
                current.Count(w => w.Result.Scored.Verdict.Action == ModerationAction.Block));
        }

        if (deletions.Count > 0)
        {
            await results.MarkDeletedAsync(deletions, cancellationToken).ConfigureAwait(false);
            foreach (var observer in _observers)
            {
                await observer.OnDeletedAsync([.. deletions.Select(d => d.MessageId)], cancellationToken).ConfigureAwait(false);
            }

            LogDeleted(batch.Topic, deletions.Count);
        }
    }

    /// <summary>
    /// The producer's time, or — when it is further in the future than <see cref="ModerationHandlingOptions.MaxFutureSkew"/>
    /// — the time the worker handles it: a version dated in the far future would never be replaced by a later edit.
    /// </summary>
    private DateTimeOffset Plausible(DateTimeOffset claimed, DateTimeOffset now, MongoDB.Bson.ObjectId messageId, string field)
    {
        if (claimed <= now + options.Value.MaxFutureSkew)
        {
            return claimed;
        }

        LogFutureTime(messageId, field, claimed, now);
        return now;
    }

    private AutoModerationResult Judge(MongoDB.Bson.ObjectId messageId, Guid channelId, Guid workspaceId, Guid userId, string content,
        int mentions, bool everyone, ContentVersion version, DateTimeOffset now)
    {
        // Past the limit only the head is judged: chat clients cap messages far below it, and scoring time must stay bounded.
        var judged = content.Length <= options.Value.MaxScoredLength ? content : content[..options.Value.MaxScoredLength];
        var input = new ScoringInput(judged, userId, channelId, workspaceId, mentions, everyone, version.At);
        var scored = scorer.Score(input, policies.For(workspaceId));
        return new AutoModerationResult(messageId, channelId, workspaceId, userId, scored, version, now);
    }

    private async Task PublishFlaggedAsync(IEnumerable<(EventEnvelope Event, AutoModerationResult Result, string Content)> flagged, CancellationToken cancellationToken)
    {
        var publishes = flagged.Select(f =>
        {
            var verdict = f.Result.Scored.Verdict;
            var data = new ModerationFlagged(f.Result.MessageId, f.Result.ChannelId, f.Result.WorkspaceId, f.Result.UserId,
                verdict.Action.ToWire(), verdict.OverallScore, new Dictionary<string, ModerationCheckResult>
                {
                    ["profanity"] = new(verdict.Profanity.Score, verdict.Profanity.Flagged),
                    ["spam"] = new(verdict.Spam.Score, verdict.Spam.Flagged),
                    ["toxicity"] = new(verdict.Toxicity.Score, verdict.Toxicity.Flagged),
                });
            // Derived from the source event and the message: a redelivery re-publishes the same eventId, which downstream
            // dedupes, and two messages sharing a source eventId (an upstream bug, a replay) still get two.
            var envelope = EventEnvelope.Create(data, Source, f.Event.Metadata.CorrelationId,
                FlaggedEventId(f.Event.EventId, f.Result.MessageId));
            return publisher.PublishAsync(envelope, f.Result.ChannelId.ToString(), cancellationToken);
        });
        await Task.WhenAll(publishes).ConfigureAwait(false);
    }

    /// <summary>The eventId of the <c>moderation.flagged</c> event about <paramref name="messageId"/> caused by <paramref name="sourceEventId"/>.</summary>
    public static Guid FlaggedEventId(Guid sourceEventId, MongoDB.Bson.ObjectId messageId) =>
        EventEnvelope.DerivedEventId(sourceEventId, messageId.ToString(), "moderation.flagged");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: data.{Field} {Claimed:O} is in the future (now {Now:O}); ordered by the time it was handled instead")]
    private partial void LogFutureTime(MongoDB.Bson.ObjectId messageId, string field, DateTimeOffset claimed, DateTimeOffset now);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scored {Count} messages from {Topic}: {Stale} stale, {Flagged} flagged, {Blocked} blocked")]
    private partial void LogScored(string topic, int count, int stale, int flagged, int blocked);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Marked {Count} results deleted from {Topic}")]
    private partial void LogDeleted(string topic, int count);
}
