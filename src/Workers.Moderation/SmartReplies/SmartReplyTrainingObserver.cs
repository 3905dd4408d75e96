using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// Keeps <c>reply_pairs</c> in step with moderation: builds the pair of every allowed sent message, rebuilds the pairs an
/// edit touches, and removes every pair that contains a deleted message.
/// </summary>
/// <remarks>
/// <para>Each batch recomputes the pairs of a set of replies and writes the result in one bulk write, so a redelivered
/// batch computes and writes the same thing (an unchanged pair keeps its <c>builtAt</c>): the replies are the batch's
/// messages; for an edit also every reply whose pair contains the edited message (from the store) and every reply that
/// would take it as context (from the history: the next thread replies, all replies of an edited parent, the next
/// channel message within the window) — the latter is how an edit back to clean content restores pairs that no
/// longer exist. Pairs of those replies that are not rebuilt, and every pair that contains an edited message, are
/// removed.</para>
/// <para>Races with the other topics are closed after the write: the moderation of every message of the written pairs
/// is read again, and pairs containing a message that has meanwhile been deleted, flagged or blocked are removed. The
/// deletion path marks <c>auto_mod_results</c> deleted before it removes pairs, so either this re-read sees the mark or
/// that removal comes after this write.</para>
/// </remarks>
public sealed partial class SmartReplyTrainingObserver(
    IMessageHistory history,
    IModerationActions moderation,
    ISmartReplyPairStore pairs,
    MessageActionResolver resolver,
    IOptions<SmartReplyOptions> options,
    TimeProvider time,
    ILogger<SmartReplyTrainingObserver> logger) : IMessageModerationObserver
{
    // Context reads are small indexed queries, one or two per reply; a few at a time keeps the batch short without
    // taking the connection pool from the handler's own writes.
    private const int ContextReadParallelism = 4;

    public async Task OnModeratedAsync(IReadOnlyList<ModeratedMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        var settings = options.Value;
        var edited = messages.Where(m => m.Event.Data is MessageEdited).Select(m => m.MessageId).Distinct().ToList();
        if (!settings.Enabled)
        {
            if (edited.Count > 0)
            {
                await pairs.DeleteContainingAsync(edited, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        // The batch's messages with the content and action just stored (the last event wins within a batch).
        var batch = new Dictionary<ObjectId, ModeratedMessage>();
        foreach (var message in messages)
        {
            batch[message.MessageId] = message;
        }

        var known = new Dictionary<ObjectId, ChatMessage>();
        var replyIds = new HashSet<ObjectId>(batch.Keys);
        if (edited.Count > 0)
        {
            Remember(known, await history.FindAsync(edited, cancellationToken).ConfigureAwait(false));
            var limit = (int)Math.Min(int.MaxValue, (long)settings.MaxRepliesPerEdit * edited.Count);
            replyIds.UnionWith(await pairs.FindReplyIdsContainingAsync(edited, limit, cancellationToken).ConfigureAwait(false));
            foreach (var id in edited)
            {
                if (known.TryGetValue(id, out var message))
                {
                    var followers = await FollowersAsync(message, settings, cancellationToken).ConfigureAwait(false);
                    Remember(known, followers);
                    replyIds.UnionWith(followers.Select(f => f.Id));
                }
            }
        }

        Remember(known, await history.FindAsync([.. replyIds.Where(id => !known.ContainsKey(id))], cancellationToken).ConfigureAwait(false));
        var replies = replyIds.Select(id => ReplyMessage(id, batch, known)).OfType<ChatMessage>().ToList();
        var parentIds = replies.Select(r => r.ThreadId).OfType<ObjectId>().Where(id => !known.ContainsKey(id)).Distinct().ToList();
        Remember(known, await history.FindAsync(parentIds, cancellationToken).ConfigureAwait(false));
        var contexts = await ReadContextsAsync(replies, settings, cancellationToken).ConfigureAwait(false);

        var involved = replies.Select(r => r.Id)
            .Concat(replies.Select(r => r.ThreadId).OfType<ObjectId>())
            .Concat(contexts.Values.SelectMany(c => c.Messages.Select(m => m.Id)))
            .Distinct()
            .ToList();
        var stored = await moderation.FindAsync(involved, cancellationToken).ConfigureAwait(false);

        var builder = new SmartReplyPairBuilder(settings);
        var builtAt = time.GetUtcNow();
        var built = new List<ReplyPair>();
        foreach (var reply in replies)
        {
            var context = contexts[reply.Id];
            var candidates = new ReplyCandidates(
                Judge(reply, batch, stored),
                reply.ThreadId is { } parentId && known.TryGetValue(parentId, out var parent) ? Judge(parent, batch, stored) : null,
                reply.ThreadId is null ? null : [.. context.Messages.Select(m => Judge(m, batch, stored))],
                reply.ThreadId is null && context.Messages.Count > 0 ? Judge(context.Messages[0], batch, stored) : null);
            if (builder.Build(candidates, builtAt).Pair is { } pair)
            {
                built.Add(pair);
            }
        }

        var removed = await pairs.ApplyAsync(
            new ReplyPairChanges(built, edited, [.. replyIds.SelectMany(ReplyPair.IdsFor)]), cancellationToken).ConfigureAwait(false);
        var revoked = await RemoveRacedAsync(built, cancellationToken).ConfigureAwait(false);
        LogApplied(replyIds.Count, built.Count, removed, revoked);
    }

    public async Task OnDeletedAsync(IReadOnlyList<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return;
        }

        // Whatever Enabled says: deleted content must leave the training data.
        var removed = await pairs.DeleteContainingAsync([.. messageIds.Distinct()], cancellationToken).ConfigureAwait(false);
        LogDeleted(messageIds.Count, removed);
    }

    /// <summary>The replies that would take <paramref name="edited"/> as context, as the builder picks context.</summary>
    private async Task<IReadOnlyList<ChatMessage>> FollowersAsync(ChatMessage edited, SmartReplyOptions settings, CancellationToken cancellationToken)
    {
        if (edited.ThreadId is { } threadId)
        {
            return await history.ThreadAfterAsync(threadId, edited.CreatedAt, settings.ContextMessages, cancellationToken).ConfigureAwait(false);
        }

        // A top-level message is the parent of every reply in its thread, and the context of the next channel message.
        var followers = (await history.ThreadAfterAsync(edited.Id, null, settings.MaxRepliesPerEdit, cancellationToken).ConfigureAwait(false)).ToList();
        if (await history.ChannelMessageAfterAsync(edited.ChannelId, edited.CreatedAt, edited.CreatedAt + settings.QuickReplyWindow, cancellationToken)
                .ConfigureAwait(false) is { } next)
        {
            followers.Add(next);
        }

        return followers;
    }

    /// <summary>Per reply: the thread messages before it, or the channel message before it within the window.</summary>
    private async Task<ConcurrentDictionary<ObjectId, ReplyContext>> ReadContextsAsync(
        IReadOnlyList<ChatMessage> replies, SmartReplyOptions settings, CancellationToken cancellationToken)
    {
        var contexts = new ConcurrentDictionary<ObjectId, ReplyContext>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ContextReadParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(replies, parallel, async (reply, ct) =>
        {
            if (reply.ThreadId is { } threadId)
            {
                contexts[reply.Id] = new ReplyContext(
                    await history.ThreadBeforeAsync(threadId, reply.CreatedAt, settings.ContextMessages, ct).ConfigureAwait(false));
                return;
            }

            var previous = await history.ChannelMessageBeforeAsync(reply.ChannelId, reply.CreatedAt, reply.CreatedAt - settings.QuickReplyWindow, ct)
                .ConfigureAwait(false);
            contexts[reply.Id] = new ReplyContext(previous is null ? [] : [previous]);
        }).ConfigureAwait(false);
        return contexts;
    }

    /// <summary>Removes the written pairs that contain a message deleted, flagged or blocked since it was read.</summary>
    private async Task<long> RemoveRacedAsync(List<ReplyPair> written, CancellationToken cancellationToken)
    {
        if (written.Count == 0)
        {
            return 0;
        }

        var now = await moderation.FindAsync([.. written.SelectMany(p => p.MessageIds).Distinct()], cancellationToken).ConfigureAwait(false);
        var revoked = now.Values
            .Where(s => s.Deleted || s.Action is ModerationAction.Flag or ModerationAction.Block)
            .Select(s => s.MessageId)
            .ToList();
        return revoked.Count == 0 ? 0 : await pairs.DeleteContainingAsync(revoked, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A reply as of now: a batch message with the content just judged (a sent one from its event when the history has not
    /// got it); any other from the history. Null when nothing is known of it.
    /// </summary>
    private static ChatMessage? ReplyMessage(ObjectId id, Dictionary<ObjectId, ModeratedMessage> batch, Dictionary<ObjectId, ChatMessage> known)
    {
        known.TryGetValue(id, out var stored);
        if (!batch.TryGetValue(id, out var moderated))
        {
            return stored;
        }

        if (stored is not null)
        {
            return stored with { Content = moderated.Content };
        }

        return moderated.Event.Data is MessageSent sent
            ? new ChatMessage(sent.MessageId, sent.WorkspaceId, sent.ChannelId, sent.UserId, moderated.Content, sent.ContentType,
                sent.ThreadId, sent.CreatedAt, Deleted: false, sent.Mentions.Count, sent.MentionsEveryone)
            : null; // an edit carries neither the thread nor the time: without the history there is no pair to build
    }

    /// <summary>The message with its deletion and action as of now: the batch's verdict for its messages, otherwise resolved.</summary>
    private JudgedMessage Judge(ChatMessage message, Dictionary<ObjectId, ModeratedMessage> batch, IReadOnlyDictionary<ObjectId, StoredModeration> stored)
    {
        stored.TryGetValue(message.Id, out var result);
        var current = message with { Deleted = message.Deleted || result?.Deleted == true };
        if (batch.TryGetValue(message.Id, out var moderated))
        {
            return new JudgedMessage(current with { Content = moderated.Content }, moderated.Action);
        }

        return new JudgedMessage(current, resolver.Resolve(current, result));
    }

    private static void Remember(Dictionary<ObjectId, ChatMessage> known, IEnumerable<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            known[message.Id] = message;
        }
    }

    private sealed record ReplyContext(IReadOnlyList<ChatMessage> Messages);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Smart replies: {Replies} replies considered, {Built} pairs written, {Removed} removed, {Revoked} removed after a concurrent change")]
    private partial void LogApplied(int replies, int built, long removed, long revoked);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Smart replies: {Messages} messages deleted, {Removed} pairs removed")]
    private partial void LogDeleted(int messages, long removed);
}
