using MongoDB.Bson;
using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// QuikApp_messages.messages in memory: holds the documents as the message-service writes them (explicit nulls, ids of
/// any BSON type) and answers the history queries as MongoMessageHistory's queries do on MongoDB, through indexes as
/// MongoDB would (replies by their raw <c>threadId</c>, top-level messages by channel, each in creation order), so a run
/// of hundreds of thousands of messages does not scan them all for every reply.
/// </summary>
/// <remarks>
/// What MongoDB does and this double does too: ids match by BSON type (an ObjectId never equals a string; the thread
/// queries ask for the parent's id in both types); <c>{ threadId: null }</c> matches null and missing; a range on
/// <c>createdAt</c> never matches a value that is not a date; dates and query bounds are milliseconds; a query's limit
/// counts the documents it matches, and those the store cannot read are dropped after it.
/// </remarks>
public sealed class InMemoryMessageHistory : IMessageHistory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BsonValue, Stored> _documents = [];
    private readonly Dictionary<BsonValue, SortedSet<Position>> _threads = [];
    private readonly Dictionary<Guid, SortedSet<Position>> _channelTops = [];

    /// <summary>Inserts a raw document (an insertOne): its <c>_id</c> may be of any type; a second one with the same <c>_id</c> fails as E11000 does.</summary>
    public void Seed(BsonDocument raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var document = raw.DeepClone().AsBsonDocument;
        if (!document.Contains("_id"))
        {
            document.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
        }

        lock (_gate)
        {
            if (_documents.ContainsKey(document["_id"]))
            {
                throw new InvalidOperationException($"E11000 duplicate key error: messages _id {document["_id"]}");
            }

            Index(document);
        }
    }

    /// <summary>Writes <paramref name="message"/> as the message-service would (replacing the document with its id).</summary>
    public void Put(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            Index(DocumentOf(message));
        }
    }

    /// <summary>The message with this id as the store reads it.</summary>
    public ChatMessage Get(ObjectId id)
    {
        lock (_gate)
        {
            return _documents.TryGetValue(id, out var stored) && stored.Message is { } message
                ? message
                : throw new KeyNotFoundException($"no readable message {id}");
        }
    }

    public Task<IReadOnlyList<ChatMessage>> FindAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ChatMessage>>([.. messageIds.Distinct()
                .Select(id => _documents.GetValueOrDefault(id)?.Message)
                .OfType<ChatMessage>()]);
        }
    }

    public Task<IReadOnlyList<ChatMessage>> ThreadBeforeAsync(ObjectId threadId, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<ChatMessage>>([]);
        }

        var bound = MongoSemantics.Millis(before);
        lock (_gate)
        {
            var matched = Thread(threadId).Where(p => p.CreatedAt < bound).ToList();
            return Task.FromResult(Read(matched.Skip(Math.Max(0, matched.Count - limit))));
        }
    }

    public Task<IReadOnlyList<ChatMessage>> ThreadAfterAsync(ObjectId threadId, DateTimeOffset? after, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<ChatMessage>>([]);
        }

        DateTimeOffset? bound = after is { } start ? MongoSemantics.Millis(start) : null;
        lock (_gate)
        {
            return Task.FromResult(Read(Thread(threadId).Where(p => bound is null || p.CreatedAt > bound).Take(limit)));
        }
    }

    public Task<ChatMessage?> ChannelMessageBeforeAsync(Guid channelId, DateTimeOffset before, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var (from, to) = (MongoSemantics.Millis(notBefore), MongoSemantics.Millis(before));
        lock (_gate)
        {
            var latest = Range(_channelTops.GetValueOrDefault(channelId), Position.First(from), Position.First(to))
                .Reverse().Where(p => p.CreatedAt < to && p.CreatedAt >= from).Take(1);
            return Task.FromResult(Read(latest) is [var found, ..] ? found : null);
        }
    }

    public Task<ChatMessage?> ChannelMessageAfterAsync(Guid channelId, DateTimeOffset after, DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        var (from, to) = (MongoSemantics.Millis(after), MongoSemantics.Millis(notAfter));
        lock (_gate)
        {
            var earliest = Range(_channelTops.GetValueOrDefault(channelId), Position.Last(from), Position.Last(to))
                .Where(p => p.CreatedAt > from && p.CreatedAt <= to).Take(1);
            return Task.FromResult(Read(earliest) is [var found, ..] ? found : null);
        }
    }

    /// <summary>The document the message-service writes for <paramref name="message"/> (the seed's schema, explicit nulls included).</summary>
    public static BsonDocument DocumentOf(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new BsonDocument
        {
            { "_id", message.Id },
            { "channelId", Uuid(message.ChannelId) },
            { "workspaceId", Uuid(message.WorkspaceId) },
            { "userId", Uuid(message.UserId) },
            { "content", message.Content },
            { "contentType", message.ContentType is { } type ? type.ToString().ToLowerInvariant() : "unsupported" },
            { "mentions", new BsonArray(Enumerable.Range(0, message.MentionCount).Select(_ => Uuid(Guid.NewGuid()))) },
            { "mentionsEveryone", message.MentionsEveryone },
            { "threadId", message.ThreadId is { } thread ? thread : BsonNull.Value },
            { "edited", false },
            { "editedAt", BsonNull.Value },
            { "deleted", message.Deleted },
            { "deletedAt", BsonNull.Value },
            { "createdAt", message.CreatedAt.UtcDateTime },
            { "updatedAt", message.CreatedAt.UtcDateTime },
        };
    }

    // Callers hold _gate.
    private void Index(BsonDocument document)
    {
        var id = document["_id"];
        if (_documents.Remove(id, out var previous))
        {
            IndexOf(previous.Document)?.Remove(previous.Position);
        }

        // The store's projection: the fields it reads, and the mention count instead of the mentioned users.
        var projected = new BsonDocument(document).Set("mentionCount", document.GetValue("mentions", BsonNull.Value) is BsonArray mentions ? mentions.Count : 0);
        var createdAt = document.GetValue("createdAt", BsonNull.Value) is BsonDateTime { IsValidDateTime: true } date
            ? new DateTimeOffset(date.ToUniversalTime(), TimeSpan.Zero)
            : (DateTimeOffset?)null;
        var stored = new Stored(document, MongoMessageHistory.Parse(projected), new Position(createdAt ?? DateTimeOffset.MinValue, id));
        _documents[id] = stored;
        if (createdAt is not null)
        {
            IndexOf(document, create: true)?.Add(stored.Position);
        }
    }

    /// <summary>The index a document is in: by raw threadId when it has one, by channel when top-level (null or missing threadId).</summary>
    private SortedSet<Position>? IndexOf(BsonDocument document, bool create = false)
    {
        if (!MongoSemantics.MatchesNull(document, "threadId"))
        {
            var thread = document["threadId"];
            return _threads.TryGetValue(thread, out var replies) ? replies : create ? _threads[thread] = [] : null;
        }

        // The channel queries ask for a UUID (binary subtype 4): any other channelId never matches them.
        if (document.GetValue("channelId", BsonNull.Value) is not BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } channel)
        {
            return null;
        }

        var channelId = channel.ToGuid(GuidRepresentation.Standard);
        return _channelTops.TryGetValue(channelId, out var tops) ? tops : create ? _channelTops[channelId] = [] : null;
    }

    /// <summary>The replies of a thread in creation order: threadId equal to the parent's ObjectId or its hex string, as the store asks.</summary>
    private IEnumerable<Position> Thread(ObjectId threadId)
    {
        var keys = new BsonValue[] { threadId, threadId.ToString() };
        return keys.SelectMany(key => (IEnumerable<Position>?)_threads.GetValueOrDefault(key) ?? []).Order();
    }

    private IReadOnlyList<ChatMessage> Read(IEnumerable<Position> matched) =>
        [.. matched.Select(p => _documents[p.Id].Message).OfType<ChatMessage>()];

    private static SortedSet<Position> Range(SortedSet<Position>? index, Position from, Position to) =>
        index is null || from.CompareTo(to) > 0 ? [] : index.GetViewBetween(from, to);

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    private sealed record Stored(BsonDocument Document, ChatMessage? Message, Position Position);

    /// <summary>Where a document stands in an index: creation time, then <c>_id</c> in BSON order (ties in time keep a stable order).</summary>
    private readonly record struct Position(DateTimeOffset CreatedAt, BsonValue Id) : IComparable<Position>
    {
        /// <summary>Before every document created at <paramref name="at"/>.</summary>
        public static Position First(DateTimeOffset at) => new(at, BsonMinKey.Value);

        /// <summary>After every document created at <paramref name="at"/>.</summary>
        public static Position Last(DateTimeOffset at) => new(at, BsonMaxKey.Value);

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

/// <summary>
/// reply_pairs in memory, with MongoSmartReplyPairStore's semantics (removals except upserts, builtAt kept when unchanged)
/// and MongoDB's: dates are stored, and cut-offs compared, to the millisecond.
/// </summary>
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
        ArgumentNullException.ThrowIfNull(pair);
        lock (_gate)
        {
            _pairs[pair.Id] = AsStored(pair);
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
            foreach (var pair in changes.Upserts.Select(AsStored))
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
            var bound = MongoSemantics.Millis(cutoff);
            var upTo = _pairs.Values.Where(p => p.BuiltAt <= bound).ToList();
            return Task.FromResult(new ReplyPairCounts(upTo.Count, upTo.Count(p => p.Kind == ReplyPairKind.Thread), upTo.Count(p => p.Kind == ReplyPairKind.Quick)));
        }
    }

    public async IAsyncEnumerable<SnapshotPair> StreamAsync(DateTimeOffset cutoff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ReplyPair> upTo;
        lock (_gate)
        {
            var bound = MongoSemantics.Millis(cutoff);
            upTo = [.. _pairs.Values.Where(p => p.BuiltAt <= bound).OrderBy(p => p.BuiltAt).ThenBy(p => p.Id, StringComparer.Ordinal)];
        }

        foreach (var pair in upTo)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new SnapshotPair(pair.Kind, pair.Context, pair.Reply);
        }
    }

    private static ReplyPair AsStored(ReplyPair pair) =>
        pair with { BuiltAt = MongoSemantics.Millis(pair.BuiltAt), ReplyAt = MongoSemantics.Millis(pair.ReplyAt) };

    private static bool SameContent(ReplyPair a, ReplyPair b) =>
        a.MessageIds.SequenceEqual(b.MessageIds) && a.Context.SequenceEqual(b.Context) && a.Reply == b.Reply;
}

/// <summary>
/// training_sets in memory: the smart-reply records as MongoSmartReplySnapshotStore writes them, beside the records of
/// other kinds the ml-service writes (any <c>_id</c> type), with MongoDB's semantics: insert once by <c>_id</c> whatever
/// the kind, reads filtered on <c>kind</c>, dates to the millisecond, a limit of zero reading nothing.
/// </summary>
public sealed class InMemorySmartReplySnapshotStore : ISmartReplySnapshotStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BsonValue, BsonDocument> _documents = [];

    /// <summary>The smart-reply records, as the store reads them.</summary>
    public IReadOnlyList<SmartReplySnapshot> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _documents.Values.Where(IsSmartReply).Select(MongoSmartReplySnapshotStore.Parse)];
            }
        }
    }

    /// <summary>Inserts a raw document (an insertOne; E11000 on a taken <c>_id</c>).</summary>
    public void Seed(BsonDocument raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var document = raw.DeepClone().AsBsonDocument;
        if (!document.Contains("_id"))
        {
            document.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
        }

        lock (_gate)
        {
            if (!_documents.TryAdd(document["_id"], document))
            {
                throw new InvalidOperationException($"E11000 duplicate key error: training_sets _id {document["_id"]}");
            }
        }
    }

    public Task<bool> TryInsertAsync(SmartReplySnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            return Task.FromResult(_documents.TryAdd(snapshot.Version,
                new BsonDocument("_id", snapshot.Version).AddRange(MongoSmartReplySnapshotStore.Render(snapshot))));
        }
    }

    public Task<SmartReplySnapshot?> FindAsync(string version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        lock (_gate)
        {
            return Task.FromResult(_documents.TryGetValue(version, out var document) && IsSmartReply(document)
                ? MongoSmartReplySnapshotStore.Parse(document)
                : null);
        }
    }

    public Task<IReadOnlyList<string>> RecentVersionsAsync(int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _documents.Values
                .Where(IsSmartReply)
                .OrderByDescending(d => d.GetValue("createdAt", BsonNull.Value))
                .Take(limit)
                .Select(d => d["_id"])
                .OfType<BsonString>()
                .Select(id => id.Value)]);
        }
    }

    // { kind: "smart-reply" } is type-bracketed: only a string equal to it matches.
    private static bool IsSmartReply(BsonDocument document) =>
        document.GetValue("kind", BsonNull.Value) is BsonString { Value: SmartReplySnapshot.Kind };
}
