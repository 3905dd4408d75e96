using System.Globalization;
using System.Text;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// What the pair of one reply could be made of: the reply, its thread's parent and the thread messages before it (for
/// a thread reply), or the channel message before it (for a top-level message). Extra or out-of-order candidates are
/// fine: the builder picks what belongs.
/// </summary>
public sealed record ReplyCandidates(
    JudgedMessage Reply,
    JudgedMessage? Parent = null,
    IReadOnlyList<JudgedMessage>? ThreadBefore = null,
    JudgedMessage? ChannelBefore = null);

/// <summary>Why a reply has no pair.</summary>
public enum PairSkipReason
{
    /// <summary>The reply or a context message is deleted.</summary>
    Deleted,

    /// <summary>The reply or a context message is flagged or blocked.</summary>
    NotAllowed,

    /// <summary>The reply or a context message is code (contentType code, or a fenced block), a file, or of an unknown type.</summary>
    ContentType,

    /// <summary>A text is too short or too long after scrubbing, or nothing but placeholders, emoji and punctuation.</summary>
    Length,

    /// <summary>A text could not be scrubbed in time, so it cannot be shown to be free of personal data.</summary>
    Unscrubbable,

    /// <summary>No context: a thread reply without its parent, or no channel message just before within the window.</summary>
    NoContext,

    /// <summary>The channel message just before a quick reply is the replier's own.</summary>
    SameAuthor,
}

/// <summary>The pair of one reply, or why there is none.</summary>
public sealed record ReplyPairDecision(ReplyPair? Pair, PairSkipReason? Skipped)
{
    public static ReplyPairDecision Built(ReplyPair pair) => new(pair, null);

    public static ReplyPairDecision Skip(PairSkipReason reason) => new(null, reason);
}

/// <summary>
/// Decides the training pair of one reply (pure). A thread reply pairs with its parent and up to
/// <see cref="SmartReplyOptions.ContextMessages"/> thread messages before it; a top-level message pairs with the channel
/// message just before it when someone else wrote that one within <see cref="SmartReplyOptions.QuickReplyWindow"/>.
/// Every message of a pair must be allowed by moderation, not deleted, text or rich content, and within the length
/// bounds after scrubbing; one that is not voids the pair rather than leaving a hole in the conversation.
/// </summary>
public sealed class SmartReplyPairBuilder
{
    /// <summary>What keeps a message out of every pair, as recorded in a snapshot's filters.</summary>
    public static IReadOnlyList<string> Excluded { get; } = ["code", "file", "flag", "block", "deleted"];

    private readonly SmartReplyOptions _options;

    public SmartReplyPairBuilder(SmartReplyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public ReplyPairDecision Build(ReplyCandidates candidates, DateTimeOffset builtAt)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var reply = candidates.Reply.Message;
        var (replyText, replyProblem) = Usable(candidates.Reply);
        if (replyProblem is { } problem)
        {
            return ReplyPairDecision.Skip(problem);
        }

        var (kind, context) = reply.ThreadId is null
            ? (ReplyPairKind.Quick, QuickContext(candidates))
            : (ReplyPairKind.Thread, ThreadContext(candidates));
        if (context.Skipped is { } skipped)
        {
            return ReplyPairDecision.Skip(skipped);
        }

        var lines = new List<ReplyContextLine>(context.Messages.Count);
        foreach (var message in context.Messages)
        {
            var (text, contextProblem) = Usable(message);
            if (contextProblem is { } reason)
            {
                return ReplyPairDecision.Skip(reason);
            }

            lines.Add(new ReplyContextLine(text!, message.Message.UserId == reply.UserId));
        }

        return ReplyPairDecision.Built(new ReplyPair(
            ReplyPair.IdFor(reply.Id, kind),
            kind,
            reply.WorkspaceId,
            reply.ChannelId,
            reply.Id,
            [.. context.Messages.Select(m => m.Message.Id), reply.Id],
            lines,
            replyText!,
            reply.CreatedAt,
            builtAt));
    }

    /// <summary>
    /// The text a message contributes: trimmed and scrubbed, or null when it must not be used, with the reason. A message
    /// is usable when it is not deleted, allowed by moderation, text or rich content without a fenced code block, and its
    /// scrubbed text has MinCharacters..MaxCharacters user-perceived characters with a letter or digit outside the placeholders.
    /// </summary>
    public (string? Text, PairSkipReason? Problem) Usable(JudgedMessage judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var message = judged.Message;
        if (message.Deleted)
        {
            return (null, PairSkipReason.Deleted);
        }

        if (judged.Action != ModerationAction.Allow)
        {
            return (null, PairSkipReason.NotAllowed);
        }

        if (message.ContentType is not (MessageContentType.Text or MessageContentType.Rich)
            || message.Content.Contains("```", StringComparison.Ordinal))
        {
            return (null, PairSkipReason.ContentType);
        }

        if (!PiiScrubber.TryScrub(message.Content.Trim(), out var scrubbed))
        {
            return (null, PairSkipReason.Unscrubbable);
        }

        var length = new StringInfo(scrubbed).LengthInTextElements;
        return length < _options.MinCharacters || length > _options.MaxCharacters || !SaysSomething(scrubbed)
            ? (null, PairSkipReason.Length)
            : (scrubbed, null);
    }

    private Context ThreadContext(ReplyCandidates candidates)
    {
        var reply = candidates.Reply.Message;
        if (candidates.Parent is not { } parent || parent.Message.Id != reply.ThreadId || parent.Message.ChannelId != reply.ChannelId)
        {
            return Context.Skip(PairSkipReason.NoContext);
        }

        var before = (candidates.ThreadBefore ?? [])
            .Where(m => m.Message.ThreadId == reply.ThreadId && m.Message.Id != parent.Message.Id && m.Message.IsBefore(reply))
            .DistinctBy(m => m.Message.Id)
            .OrderBy(m => m.Message.CreatedAt)
            .ThenBy(m => m.Message.Id)
            .ToList();
        var recent = before.Skip(Math.Max(0, before.Count - _options.ContextMessages));
        return new Context([parent, .. recent], null);
    }

    private Context QuickContext(ReplyCandidates candidates)
    {
        var reply = candidates.Reply.Message;
        if (candidates.ChannelBefore is not { } previous
            || previous.Message.ThreadId is not null
            || previous.Message.ChannelId != reply.ChannelId
            || !previous.Message.IsBefore(reply)
            || reply.CreatedAt - previous.Message.CreatedAt > _options.QuickReplyWindow)
        {
            return Context.Skip(PairSkipReason.NoContext);
        }

        // The message just before, not the last one by someone else: skipping the replier's own words would pair the
        // reply with a context it did not answer.
        return previous.Message.UserId == reply.UserId ? Context.Skip(PairSkipReason.SameAuthor) : new Context([previous], null);
    }

    /// <summary>Whether a letter or digit is left once the placeholders are taken out (emoji and punctuation alone are not a text).</summary>
    private static bool SaysSomething(string scrubbed)
    {
        var remainder = scrubbed;
        foreach (var placeholder in PiiScrubber.Placeholders)
        {
            remainder = remainder.Replace(placeholder, " ", StringComparison.Ordinal);
        }

        foreach (var rune in remainder.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Context(IReadOnlyList<JudgedMessage> Messages, PairSkipReason? Skipped)
    {
        public static Context Skip(PairSkipReason reason) => new([], reason);
    }
}
