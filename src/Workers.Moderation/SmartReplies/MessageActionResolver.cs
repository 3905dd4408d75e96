using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Handling;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Moderation.SmartReplies;

/// <summary>
/// The moderation action that applies to a message's current content: the stored verdict when it judged that content,
/// otherwise a verdict scored now with <see cref="MessageScorer"/> under the workspace's policy.
/// </summary>
/// <remarks>
/// Why score on the fly rather than skip or wait. A context message can lack a current verdict: it predates the
/// moderation worker (or the results' retention), or it was edited and the edit is still queued on the
/// <c>message.edited</c> topic, which is consumed independently of <c>message.sent</c>. Waiting would hold a
/// <c>message.sent</c> partition hostage to another topic's progress (or to an edit that was dead-lettered); skipping
/// would lose the pair for good, since nothing revisits a reply whose pair was never built. The scorer is the one the
/// worker uses, so the verdict is the one the worker stores — with two deliberate differences: the author is left out,
/// so the flood detector neither counts nor remembers a message it will see (or saw) in stream order; and when the
/// stored verdict judged other content (an edit in flight), the stricter of the two applies, so neither version's
/// flag is ever ignored. The edit's own processing later rebuilds the pairs with the stored verdict.
/// </remarks>
public sealed class MessageActionResolver(MessageScorer scorer, ModerationPolicyProvider policies, IOptions<ModerationHandlingOptions> handling)
{
    /// <summary>The action for <paramref name="message"/>, given what <c>auto_mod_results</c> holds for it (null: nothing).</summary>
    public ModerationAction Resolve(ChatMessage message, StoredModeration? stored)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Deleted || message.ContentType is not (MessageContentType.Text or MessageContentType.Rich))
        {
            // Never part of a pair whatever its verdict (the builder refuses it for what it is): don't spend a scoring on it.
            return stored?.Action ?? ModerationAction.Allow;
        }

        var judged = Judged(message.Content);
        if (stored?.Action is { } action && stored.ContentHash == ContentHash.Of(judged))
        {
            return action;
        }

        var input = new ScoringInput(judged, UserId: null, message.ChannelId, message.WorkspaceId, message.MentionCount,
            message.MentionsEveryone, message.CreatedAt);
        var scored = scorer.Score(input, policies.For(message.WorkspaceId)).Verdict.Action;
        return stored?.Action is { } older && older > scored ? older : scored;
    }

    /// <summary>The part of the content the handler judges (and hashes): the head of an over-long message, as it does.</summary>
    private string Judged(string content)
    {
        var limit = handling.Value.MaxScoredLength;
        return content.Length <= limit ? content : content[..limit];
    }
}
