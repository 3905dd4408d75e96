using System.Collections.Concurrent;
using MongoDB.Bson;
using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// Decided reports in memory, held as the raw documents the upstream writes and filtered as the MongoDB query filters
/// them: <c>status</c> a string in (actioned, dismissed), <c>reviewedAt</c> a date before the cut-off (null, missing or
/// another type never matches a date range), then read by the store's own parser.
/// </summary>
public sealed class InMemoryReportStore : IModerationReportStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BsonValue, BsonDocument> _reports = [];

    public InMemoryReportStore(IEnumerable<ResolvedReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        foreach (var report in reports)
        {
            Seed(new BsonDocument
            {
                { "_id", report.ReportId }, { "messageId", report.MessageId }, { "reason", report.Reason }, { "status", report.Status },
                { "action", report.Action is null ? BsonNull.Value : report.Action }, { "reviewedAt", report.ReviewedAt.UtcDateTime },
            });
        }
    }

    /// <summary>Inserts a raw report as the upstream writes it; a second document with the same <c>_id</c> is a duplicate key.</summary>
    public void Seed(BsonDocument raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        lock (_gate)
        {
            var id = raw.GetValue("_id", BsonNull.Value);
            if (!_reports.TryAdd(id, Stored(raw)))
            {
                throw MongoSemantics.DuplicateKey("reports", "_id_", $"_id: {id}");
            }
        }
    }

    public Task<IReadOnlyList<ResolvedReport>> ReadResolvedAsync(DateTimeOffset resolvedBefore, CancellationToken cancellationToken)
    {
        var cutoff = MongoSemantics.Millis(resolvedBefore);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ResolvedReport>>(
            [
                .. _reports.Values
                    .Where(r => r.GetValue("status", BsonNull.Value) is BsonString { Value: ModerationLabels.Actioned or ModerationLabels.Dismissed })
                    .Where(r => MongoSemantics.ModerationDateField(r, "reviewedAt") < cutoff)
                    .Select(MongoModerationReportStore.Parse)
                    .OfType<ResolvedReport>(),
            ]);
        }
    }

    /// <summary>A copy with its dates truncated to milliseconds, as MongoDB would hold it.</summary>
    internal static BsonDocument Stored(BsonDocument raw)
    {
        var copy = raw.DeepClone().AsBsonDocument;
        foreach (var element in copy.ToList().Where(e => e.Value is BsonDateTime))
        {
            copy[element.Name] = new BsonDateTime(element.Value.AsBsonDateTime.MillisecondsSinceEpoch);
        }

        return copy;
    }
}

/// <summary>
/// Messages in memory, held as raw documents by <c>_id</c>. A lookup by ObjectId matches only ObjectId ids, as
/// <c>_id: { $in: [ObjectId…] }</c> does: a message whose <c>_id</c> is the same hex as a string is not found.
/// </summary>
public sealed class InMemoryMessageStore : IMessageContentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BsonValue, BsonDocument> _messages = [];

    public InMemoryMessageStore(IEnumerable<MessageContent> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            Seed(new BsonDocument
            {
                { "_id", message.MessageId }, { "content", message.Text }, { "deleted", message.Deleted },
                { "editedAt", message.EditedAt is { } at ? at.UtcDateTime : BsonNull.Value },
            });
        }
    }

    /// <summary>Inserts a raw message as the upstream writes it; a second document with the same <c>_id</c> is a duplicate key.</summary>
    public void Seed(BsonDocument raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        lock (_gate)
        {
            var id = raw.GetValue("_id", BsonNull.Value);
            if (_messages.Keys.Any(k => MongoSemantics.QueryEquals(k, id)) || !_messages.TryAdd(id, InMemoryReportStore.Stored(raw)))
            {
                throw MongoSemantics.DuplicateKey("messages", "_id_", $"_id: {id}");
            }
        }
    }

    public Task<IReadOnlyDictionary<ObjectId, MessageContent>> GetAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        lock (_gate)
        {
            var found = new Dictionary<ObjectId, MessageContent>();
            foreach (var id in messageIds.Distinct())
            {
                // Dictionary lookup by BsonObjectId: equal only to an ObjectId _id (BsonString never equals BsonObjectId).
                if (_messages.TryGetValue(new BsonObjectId(id), out var document) && MongoMessageContentStore.Parse(document) is { } message)
                {
                    found[id] = message;
                }
            }

            return Task.FromResult<IReadOnlyDictionary<ObjectId, MessageContent>>(found);
        }
    }
}

/// <summary>Training sets in memory with the MongoDB store's semantics (examples upserted, stale ones removed, record last, createdAt kept).</summary>
public sealed class InMemoryTrainingSetStore : ITrainingSetStore
{
    public ConcurrentDictionary<string, TrainingSetRecord> Records { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TrainingExample> Examples { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Pruned { get; } = new(StringComparer.Ordinal);

    public int Saves { get; private set; }

    public Task SaveAsync(TrainingSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Saves++;
        // MongoDB keeps dates to the millisecond.
        snapshot = snapshot with
        {
            Record = snapshot.Record with
            {
                CreatedAt = MongoSemantics.Millis(snapshot.Record.CreatedAt),
                ReportsResolvedBefore = MongoSemantics.Millis(snapshot.Record.ReportsResolvedBefore),
            },
        };
        var setId = snapshot.Record.Id;
        foreach (var example in snapshot.Examples)
        {
            Examples[example.Id] = example;
        }

        var wanted = snapshot.Examples.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Examples.Values.Where(e => e.SetId == setId && !wanted.Contains(e.Id)).ToList())
        {
            Examples.TryRemove(stale.Id, out _);
        }

        Records[setId] = Records.TryGetValue(setId, out var existing) ? snapshot.Record with { CreatedAt = existing.CreatedAt } : snapshot.Record;
        Pruned.Remove(setId);
        return Task.CompletedTask;
    }

    public Task<int> PruneExamplesAsync(int keepNewest, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var older = Records.Values.OrderByDescending(r => r.ReportsResolvedBefore).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Skip(keepNewest).Where(r => !Pruned.Contains(r.Id)).ToList();
        foreach (var set in older)
        {
            foreach (var example in Examples.Values.Where(e => e.SetId == set.Id).ToList())
            {
                Examples.TryRemove(example.Id, out _);
            }

            Pruned.Add(set.Id);
        }

        return Task.FromResult(older.Count);
    }

    public IReadOnlyList<TrainingExample> ExamplesOf(string setId) => [.. Examples.Values.Where(e => e.SetId == setId).OrderBy(e => e.Id, StringComparer.Ordinal)];
}

/// <summary>The model registry in memory, with the MongoDB registry's promotion semantics.</summary>
public sealed class InMemoryModelRegistry : IModelRegistry
{
    private readonly Lock _gate = new();

    public Dictionary<string, ModelRecord> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads of the newest promoted or retired model; set <see cref="Unavailable"/> to make them throw as an unreachable MongoDB would.</summary>
    public int Reads { get; private set; }

    public bool Unavailable { get; set; }

    public Task<ModelRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Models.GetValueOrDefault(id));
        }
    }

    public Task<bool> AddAsync(ModelRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            return Task.FromResult(Models.TryAdd(record.Id, Stored(record)));
        }
    }

    public Task PromoteAsync(string id, ModelKind kind, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var model = Models.GetValueOrDefault(id) ?? throw new InvalidOperationException($"model {id} is not in the registry: it cannot be promoted");
            if (model.Status != ModelStatus.Promoted || model.PromotedAt is null)
            {
                model = Models[id] = model with { Status = ModelStatus.Promoted, PromotedAt = MongoSemantics.Millis(at) };
            }

            foreach (var older in Models.Values.Where(m => m.Kind == kind && m.Status == ModelStatus.Promoted && m.PromotedAt < model.PromotedAt).ToList())
            {
                Models[older.Id] = older with { Status = ModelStatus.Retired };
            }
        }

        return Task.CompletedTask;
    }

    public Task RejectAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // An update that matches nothing changes nothing, as in MongoDB.
            if (Models.TryGetValue(id, out var model) && model.Status != ModelStatus.Promoted)
            {
                Models[id] = model with { Status = ModelStatus.Rejected };
            }
        }

        return Task.CompletedTask;
    }

    public Task<ModelRecord?> NewestPromotedAsync(ModelKind kind, CancellationToken cancellationToken) => Task.FromResult(Newest(kind, ModelStatus.Promoted));

    public Task<ModelRecord?> NewestRetiredAsync(ModelKind kind, CancellationToken cancellationToken) => Task.FromResult(Newest(kind, ModelStatus.Retired));

    public Task WithdrawAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Models.TryGetValue(id, out var model))
            {
                Models[id] = model with { Status = ModelStatus.Rejected };
            }
        }

        return Task.CompletedTask;
    }

    private ModelRecord? Newest(ModelKind kind, ModelStatus status)
    {
        lock (_gate)
        {
            Reads++;
            if (Unavailable)
            {
                throw new TimeoutException("registry unavailable (in-memory store)");
            }

            return Models.Values
                .Where(m => m.Kind == kind && m.Status == status)
                .OrderByDescending(m => m.PromotedAt)
                .ThenByDescending(m => m.Id, StringComparer.Ordinal)
                .FirstOrDefault();
        }
    }

    public void Put(ModelRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            Models[record.Id] = Stored(record);
        }
    }

    /// <summary>
    /// Inserts a raw registry document as an operator or an older worker wrote it (a duplicate <c>_id</c> is a duplicate
    /// key). Read as the MongoDB registry reads it, so a <c>promotedAt</c> that is not a date reads as none.
    /// </summary>
    public void Seed(BsonDocument raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var record = MongoModelRegistry.Parse(raw);
        lock (_gate)
        {
            if (!Models.TryAdd(record.Id, Stored(record)))
            {
                throw MongoSemantics.DuplicateKey("models", "_id_", $"_id: \"{record.Id}\"");
            }
        }
    }

    private static ModelRecord Stored(ModelRecord record) => record with
    {
        CreatedAt = MongoSemantics.Millis(record.CreatedAt),
        PromotedAt = MongoSemantics.Millis(record.PromotedAt),
    };

    /// <summary>Sets a model's status by hand, as an operator would in mongosh.</summary>
    public void SetStatus(string id, ModelStatus status, DateTimeOffset? promotedAt = null)
    {
        lock (_gate)
        {
            Models[id] = Models[id] with { Status = status, PromotedAt = MongoSemantics.Millis(promotedAt) ?? Models[id].PromotedAt };
        }
    }
}

/// <summary>Model zips in memory; counts uploads and downloads.</summary>
public sealed class InMemoryModelFileStore : IModelFileStore
{
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public int Uploads { get; private set; }

    public int Downloads { get; private set; }

    public Task<bool> UploadIfAbsentAsync(string id, byte[] zip, CancellationToken cancellationToken)
    {
        var added = Files.TryAdd(id, zip);
        Uploads += added ? 1 : 0;
        return Task.FromResult(added);
    }

    public Task<byte[]> DownloadAsync(string id, CancellationToken cancellationToken)
    {
        Downloads++;
        return Files.TryGetValue(id, out var zip)
            ? Task.FromResult(zip)
            : throw new FileNotFoundException($"no model file {id} (in-memory store)");
    }
}
