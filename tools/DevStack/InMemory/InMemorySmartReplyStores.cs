using MongoDB.Bson;
using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// QuikApp_messages.messages in memory, answering the history queries as MongoMessageHistory does, through indexes as
/// MongoDB would (replies by thread, top-level messages by channel, each in creation order), so a run of hundreds of
/// thousands of messages does not scan them all for every reply.
/// </summary>
public sealed class InMemoryMessageHistory : IMessageHistory
{
    private static readonly ObjectId HighestId = new([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectId, ChatMessage> _messages = [];
    private readonly Dictionary<ObjectId, SortedSet<Position>> _threads = [];
    private readonly Dictionary<Guid, SortedSet<Position>> _channelTops = [];

    public void Put(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (_messages.TryGetValue(message.Id, out var previous))
            {
                IndexOf(previous)?.Remove(new Position(previous.CreatedAt, previous.Id));
            }

            _messages[message.Id] = message;
            var index = message.ThreadId is { } thread
                ? _threads.TryGetValue(thread, out var replies) ? replies : _threads[thread] = []
                : _channelTops.TryGetValue(message.ChannelId, out var tops) ? tops : _channelTops[message.ChannelId] = [];
            index.Add(new Position(message.CreatedAt, message.Id));
        }
    }

    public ChatMessage Get(ObjectId id)
    {
        lock (_gate)
        {
            return _messages[id];
        }
    }

    public Task<IReadOnlyList<ChatMessage>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ChatMessage>>([.. messageIds.Distinct().Where(_messages.ContainsKey).Select(id => _messages[id])]);
        }
    }

    public Task<IReadOnlyList<ChatMessage>> ThreadBeforeAsync(ObjectId threadId, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var replies = Range(_threads.GetValueOrDefault(threadId), new Position(DateTimeOffset.MinValue, ObjectId.Empty), new Position(before, ObjectId.Empty))
                .Where(p => p.CreatedAt < before).ToList();
            return Task.FromResult<IReadOnlyList<ChatMessage>>([.. replies.Skip(Math.Max(0, replies.Count - Math.Max(0, limit))).Select(p => _messages[p.Id])]);
        }
    }

    public Task<IReadOnlyList<ChatMessage>> ThreadAfterAsync(ObjectId threadId, DateTimeOffset? after, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ChatMessage>>([.. Range(_threads.GetValueOrDefault(threadId), new Position(after ?? DateTimeOffset.MinValue, after is null ? ObjectId.Empty : HighestId),
                    new Position(DateTimeOffset.MaxValue, HighestId))
                .Where(p => after is null || p.CreatedAt > after).Take(Math.Max(0, limit)).Select(p => _messages[p.Id])]);
        }
    }

    public Task<ChatMessage?> ChannelMessageBeforeAsync(Guid channelId, DateTimeOffset before, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var latest = Range(_channelTops.GetValueOrDefault(channelId), new Position(notBefore, ObjectId.Empty), new Position(before, ObjectId.Empty))
                .Reverse().FirstOrDefault(p => p.CreatedAt < before && p.CreatedAt >= notBefore);
            return Task.FromResult(latest.Id == ObjectId.Empty ? null : _messages.GetValueOrDefault(latest.Id));
        }
    }

    public Task<ChatMessage?> ChannelMessageAfterAsync(Guid channelId, DateTimeOffset after, DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var earliest = Range(_channelTops.GetValueOrDefault(channelId), new Position(after, HighestId), new Position(notAfter, HighestId))
                .FirstOrDefault(p => p.CreatedAt > after && p.CreatedAt <= notAfter);
            return Task.FromResult(earliest.Id == ObjectId.Empty ? null : _messages.GetValueOrDefault(earliest.Id));
        }
    }

    private SortedSet<Position>? IndexOf(ChatMessage message) =>
        message.ThreadId is { } thread ? _threads.GetValueOrDefault(thread) : _channelTops.GetValueOrDefault(message.ChannelId);

    private static SortedSet<Position> Range(SortedSet<Position>? index, Position from, Position to) =>
        index is null || from.CompareTo(to) > 0 ? [] : index.GetViewBetween(from, to);

    /// <summary>Where a message stands in an index: creation time, then id (ties in time keep a stable order).</summary>
    private readonly record struct Position(DateTimeOffset CreatedAt, ObjectId Id) : IComparable<Position>
    {
        public int CompareTo(Position other)
        {
            var byTime = CreatedAt.CompareTo(other.CreatedAt);
            return byTime != 0 ? byTime : Id.CompareTo(other.Id);
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
            var containing = changes.RemoveContaining.ToHashSet();
            var ids = changes.RemoveIds.ToHashSet(StringComparer.Ordinal);
            // Only a removal needs a scan (MongoDB's multikey index on messageIds, here a pass over the pairs).
            var removed = containing.Count == 0 && ids.Count == 0 ? [] : _pairs.Values
                .Where(p => !written.Contains(p.Id) && (p.MessageIds.Any(containing.Contains) || ids.Contains(p.Id)))
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
