using MongoDB.Bson;
using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>QuikApp_messages.messages in memory, answering the history queries as MongoMessageHistory does.</summary>
public sealed class InMemoryMessageHistory : IMessageHistory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectId, ChatMessage> _messages = [];

    public void Put(ChatMessage message)
    {
        lock (_gate)
        {
            _messages[message.Id] = message;
        }
    }

    public ChatMessage Get(ObjectId id)
    {
        lock (_gate)
        {
            return _messages[id];
        }
    }

    public Task<IReadOnlyList<ChatMessage>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChatMessage>>(Where(m => messageIds.Contains(m.Id)));

    public Task<IReadOnlyList<ChatMessage>> ThreadBeforeAsync(ObjectId threadId, DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChatMessage>>(
            [.. Where(m => m.ThreadId == threadId && m.CreatedAt < before).OrderBy(m => m.CreatedAt).TakeLast(Math.Max(0, limit))]);

    public Task<IReadOnlyList<ChatMessage>> ThreadAfterAsync(ObjectId threadId, DateTimeOffset? after, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChatMessage>>(
            [.. Where(m => m.ThreadId == threadId && (after is null || m.CreatedAt > after)).OrderBy(m => m.CreatedAt).Take(Math.Max(0, limit))]);

    public Task<ChatMessage?> ChannelMessageBeforeAsync(Guid channelId, DateTimeOffset before, DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        Task.FromResult(Where(m => m.ChannelId == channelId && m.ThreadId is null && m.CreatedAt < before && m.CreatedAt >= notBefore)
            .OrderByDescending(m => m.CreatedAt).FirstOrDefault());

    public Task<ChatMessage?> ChannelMessageAfterAsync(Guid channelId, DateTimeOffset after, DateTimeOffset notAfter, CancellationToken cancellationToken) =>
        Task.FromResult(Where(m => m.ChannelId == channelId && m.ThreadId is null && m.CreatedAt > after && m.CreatedAt <= notAfter)
            .OrderBy(m => m.CreatedAt).FirstOrDefault());

    private List<ChatMessage> Where(Func<ChatMessage, bool> predicate)
    {
        lock (_gate)
        {
            return [.. _messages.Values.Where(predicate)];
        }
    }
}

/// <summary>auto_mod_results in memory; <see cref="BeforeRead"/> lets a test change them between the observer's reads.</summary>
public sealed class InMemoryModerationActions : IModerationActions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectId, StoredModeration> _results = [];

    /// <summary>Called with the read's number (1, 2, …) before each read.</summary>
    public Action<int>? BeforeRead { get; set; }

    public int Reads { get; private set; }

    public void Put(StoredModeration result)
    {
        lock (_gate)
        {
            _results[result.MessageId] = result;
        }
    }

    public StoredModeration? Get(ObjectId id)
    {
        lock (_gate)
        {
            return _results.GetValueOrDefault(id);
        }
    }

    public Task<IReadOnlyDictionary<ObjectId, StoredModeration>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        BeforeRead?.Invoke(++Reads);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<ObjectId, StoredModeration>>(
                messageIds.Distinct().Where(_results.ContainsKey).ToDictionary(id => id, id => _results[id]));
        }
    }
}

/// <summary>reply_pairs in memory, with MongoSmartReplyPairStore's semantics (removals except upserts, builtAt kept when unchanged).</summary>
public sealed class InMemorySmartReplyPairStore : ISmartReplyPairStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReplyPair> _pairs = new(StringComparer.Ordinal);

    /// <summary>How many writes (bulk writes in MongoDB) the store received.</summary>
    public int Writes { get; private set; }

    public IReadOnlyList<ReplyPair> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _pairs.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];
            }
        }
    }

    public void Put(ReplyPair pair)
    {
        lock (_gate)
        {
            _pairs[pair.Id] = pair;
        }
    }

    public Task<long> ApplyAsync(ReplyPairChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return Task.FromResult(0L);
        }

        lock (_gate)
        {
            Writes++;
            var written = changes.Upserts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            var removed = _pairs.Values
                .Where(p => !written.Contains(p.Id) && (p.MessageIds.Any(changes.RemoveContaining.Contains) || changes.RemoveIds.Contains(p.Id)))
                .Select(p => p.Id)
                .ToList();
            removed.ForEach(id => _pairs.Remove(id));
            foreach (var pair in changes.Upserts)
            {
                _pairs[pair.Id] = _pairs.TryGetValue(pair.Id, out var stored) && SameContent(stored, pair) ? pair with { BuiltAt = stored.BuiltAt } : pair;
            }

            return Task.FromResult((long)removed.Count);
        }
    }

    public Task<long> DeleteContainingAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken) =>
        ApplyAsync(new ReplyPairChanges([], messageIds, []), cancellationToken);

    public Task<IReadOnlyList<ObjectId>> FindReplyIdsContainingAsync(IReadOnlyCollection<ObjectId> messageIds, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ObjectId>>(
                [.. _pairs.Values.Where(p => p.MessageIds.Any(messageIds.Contains)).Take(limit).Select(p => p.ReplyMessageId).Distinct()]);
        }
    }

    public Task<ReplyPairCounts> CountAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var upTo = _pairs.Values.Where(p => p.BuiltAt <= cutoff).ToList();
            return Task.FromResult(new ReplyPairCounts(upTo.Count, upTo.Count(p => p.Kind == ReplyPairKind.Thread), upTo.Count(p => p.Kind == ReplyPairKind.Quick)));
        }
    }

    public async IAsyncEnumerable<SnapshotPair> StreamAsync(DateTimeOffset cutoff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ReplyPair> upTo;
        lock (_gate)
        {
            upTo = [.. _pairs.Values.Where(p => p.BuiltAt <= cutoff).OrderBy(p => p.BuiltAt).ThenBy(p => p.Id, StringComparer.Ordinal)];
        }

        foreach (var pair in upTo)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new SnapshotPair(pair.Kind, pair.Context, pair.Reply);
        }
    }

    private static bool SameContent(ReplyPair a, ReplyPair b) =>
        a.MessageIds.SequenceEqual(b.MessageIds) && a.Context.SequenceEqual(b.Context) && a.Reply == b.Reply;
}

/// <summary>Smart-reply records of training_sets in memory (insert once).</summary>
public sealed class InMemorySmartReplySnapshotStore : ISmartReplySnapshotStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SmartReplySnapshot> _snapshots = new(StringComparer.Ordinal);

    public IReadOnlyList<SmartReplySnapshot> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _snapshots.Values];
            }
        }
    }

    public Task<bool> TryInsertAsync(SmartReplySnapshot snapshot, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_snapshots.TryAdd(snapshot.Version, snapshot));
        }
    }

    public Task<SmartReplySnapshot?> FindAsync(string version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_snapshots.GetValueOrDefault(version));
        }
    }

    public Task<IReadOnlyList<string>> RecentVersionsAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _snapshots.Values.OrderByDescending(s => s.CreatedAt).Take(limit).Select(s => s.Version)]);
        }
    }
}
