using MongoDB.Bson;

namespace QuikApp.Workers.Analytics.Reconciliation;

/// <summary>A message's reactions: users per emoji, and the total the message keeps in <c>reactionCount</c>.</summary>
public sealed class ReactionTally
{
    private static readonly Comparer<BsonValue> ByValue = Comparer<BsonValue>.Create(BsonValues.Compare);

    public ReactionTally(IReadOnlyDictionary<string, HashSet<BsonValue>> users, long count)
    {
        ArgumentNullException.ThrowIfNull(users);
        // An emoji nobody reacts with any more is no reaction: an empty list left in the map is not drift.
        Users = users.Where(pair => pair.Value.Count > 0).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        Count = count;
    }

    public static ReactionTally None { get; } = new(new Dictionary<string, HashSet<BsonValue>>(), 0);

    public IReadOnlyDictionary<string, HashSet<BsonValue>> Users { get; }

    public long Count { get; }

    /// <summary>From an output row of <see cref="ReconciliationQueries.ReactionTruth"/>: <c>{ _id, emojis: [{ k, v: [users] }], reactionCount }</c>.</summary>
    public static ReactionTally FromTruth(BsonDocument row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var users = new Dictionary<string, HashSet<BsonValue>>(StringComparer.Ordinal);
        foreach (var emoji in row.GetValue("emojis", new BsonArray()).AsBsonArray.OfType<BsonDocument>())
        {
            if (emoji.GetValue("k", BsonNull.Value) is BsonString { Value: var name })
            {
                users[name] = [.. emoji.GetValue("v", new BsonArray()).AsBsonArray];
            }
        }

        return new ReactionTally(users, row.GetValue("reactionCount", 0).ToInt64());
    }

    /// <summary>From a message as stored: <c>reactions: { emoji: [users] }</c> and <c>reactionCount</c> (missing means none).</summary>
    public static ReactionTally FromMessage(BsonDocument message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var users = new Dictionary<string, HashSet<BsonValue>>(StringComparer.Ordinal);
        if (message.GetValue("reactions", BsonNull.Value) is BsonDocument reactions)
        {
            foreach (var element in reactions)
            {
                users[element.Name] = element.Value is BsonArray list ? [.. list] : [];
            }
        }

        var count = message.GetValue("reactionCount", BsonNull.Value) is { IsNumeric: true } stored ? stored.ToInt64() : 0;
        return new ReactionTally(users, count);
    }

    public bool SameAs(ReactionTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Count == other.Count
            && Users.Count == other.Users.Count
            && Users.All(pair => other.Users.TryGetValue(pair.Key, out var theirs) && pair.Value.SetEquals(theirs));
    }

    /// <summary>The <c>reactions</c> map as written back: emojis in ordinal order, users in BSON order (stable across reruns).</summary>
    public BsonDocument ToReactionsDocument() => new(Users
        .OrderBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => new BsonElement(pair.Key, new BsonArray(pair.Value.Order(ByValue)))));
}

/// <summary>A parent message's thread counters: undeleted replies and the latest reply's creation time.</summary>
public sealed record ThreadTally(long ReplyCount, DateTime? LastReplyAt)
{
    public static ThreadTally None { get; } = new(0, null);

    /// <summary>From an output row of <see cref="ReconciliationQueries.ThreadTruth"/>: <c>{ _id, replyCount, lastReplyAt }</c>.</summary>
    public static ThreadTally FromTruth(BsonDocument row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new ThreadTally(row.GetValue("replyCount", 0).ToInt64(), DateOrNull(row.GetValue("lastReplyAt", BsonNull.Value)));
    }

    /// <summary>From a message as stored (missing replyCount means 0, missing lastReplyAt means none).</summary>
    public static ThreadTally FromMessage(BsonDocument message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var count = message.GetValue("replyCount", BsonNull.Value) is { IsNumeric: true } stored ? stored.ToInt64() : 0;
        return new ThreadTally(count, DateOrNull(message.GetValue("lastReplyAt", BsonNull.Value)));
    }

    private static DateTime? DateOrNull(BsonValue value) => value is BsonDateTime date ? date.ToUniversalTime() : null;
}

/// <summary>One message's repair: which counters drifted, and the guarded <c>$set</c> that fixes them.</summary>
public sealed record CounterFix(BsonValue MessageId, bool ReactionsDrifted, bool ThreadDrifted, BsonDocument Filter, BsonDocument Update);

/// <summary>Compares a message's stored counters with the truth and renders the fix (pure).</summary>
public static class CounterDrift
{
    /// <summary>
    /// The fix for <paramref name="message"/> (read with <see cref="ReconciliationQueries.MessageProjection"/>), or null when
    /// its counters are right. <paramref name="thread"/> is null for a reply (replies do not have threads of their own).
    /// </summary>
    /// <remarks>
    /// The filter repeats the <c>updatedAt</c> the message was read with and every counter it overwrites, as read
    /// (compare-and-set): if the message-service changed the message since — even a counter bumped without moving
    /// <c>updatedAt</c> — the fix matches nothing and the message is looked at again next run. The fix itself does not
    /// touch <c>updatedAt</c>: repairing a derived counter is not a change of the message, and would make the other
    /// incremental jobs redo its day.
    /// </remarks>
    public static CounterFix? Evaluate(BsonDocument message, ReactionTally reactions, ThreadTally? thread)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reactions);
        var set = new BsonDocument();
        var reactionsDrifted = !ReactionTally.FromMessage(message).SameAs(reactions);
        if (reactionsDrifted)
        {
            set.Add("reactions", reactions.ToReactionsDocument());
            set.Add("reactionCount", (int)reactions.Count);
        }

        var threadDrifted = thread is not null && ThreadTally.FromMessage(message) != thread;
        if (threadDrifted)
        {
            set.Add("replyCount", (int)thread!.ReplyCount);
            set.Add("lastReplyAt", thread.LastReplyAt is { } last ? BsonValues.Date(last) : BsonNull.Value);
        }

        if (set.ElementCount == 0)
        {
            return null;
        }

        var id = message["_id"];
        var filter = new BsonDocument
        {
            { "_id", id },
            { "updatedAt", new BsonDocument("$eq", message.GetValue("updatedAt", BsonNull.Value)) },
        };
        // A missing field reads as null here, and { $eq: null } matches a missing field: the guard holds either way. $eq,
        // not the bare value: an embedded document whose first key starts with '$' (a user-chosen reaction) would be read
        // as an operator and fail the whole bulk on every run.
        foreach (var counter in set.Names)
        {
            filter.Add(counter, new BsonDocument("$eq", message.GetValue(counter, BsonNull.Value)));
        }

        return new CounterFix(id, reactionsDrifted, threadDrifted, filter, new BsonDocument("$set", set));
    }

    /// <summary>Whether a message is a thread parent (it has no <c>threadId</c> of its own).</summary>
    public static bool IsTopLevel(BsonDocument message) =>
        message.GetValue("threadId", BsonNull.Value).IsBsonNull;
}
