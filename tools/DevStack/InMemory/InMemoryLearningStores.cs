using System.Collections.Concurrent;
using MongoDB.Bson;
using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>Decided reports in memory, filtered as the MongoDB query filters them.</summary>
public sealed class InMemoryReportStore(IEnumerable<ResolvedReport> reports) : IModerationReportStore
{
    private readonly List<ResolvedReport> _reports = [.. reports];

    public Task<IReadOnlyList<ResolvedReport>> ReadResolvedAsync(DateTimeOffset resolvedBefore, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ResolvedReport>>(
        [
            .. _reports.Where(r => r.Status is ModerationLabels.Actioned or ModerationLabels.Dismissed && r.ReviewedAt < resolvedBefore),
        ]);
}

/// <summary>Messages in memory, by id.</summary>
public sealed class InMemoryMessageStore(IEnumerable<MessageContent> messages) : IMessageContentStore
{
    private readonly Dictionary<ObjectId, MessageContent> _messages = messages.ToDictionary(m => m.MessageId);

    public Task<IReadOnlyDictionary<ObjectId, MessageContent>> GetAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<ObjectId, MessageContent>>(
            messageIds.Where(_messages.ContainsKey).Distinct().ToDictionary(id => id, id => _messages[id]));
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
        Saves++;
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
        lock (_gate)
        {
            return Task.FromResult(Models.TryAdd(record.Id, record));
        }
    }

    public Task PromoteAsync(string id, ModelKind kind, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var model = Models[id];
            if (model.Status != ModelStatus.Promoted || model.PromotedAt is null)
            {
                model = Models[id] = model with { Status = ModelStatus.Promoted, PromotedAt = at };
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
            if (Models[id].Status != ModelStatus.Promoted)
            {
                Models[id] = Models[id] with { Status = ModelStatus.Rejected };
            }
        }

        return Task.CompletedTask;
    }

    public Task<ModelRecord?> NewestPromotedAsync(ModelKind kind, CancellationToken cancellationToken) => Task.FromResult(Newest(kind, ModelStatus.Promoted));

    public Task<ModelRecord?> NewestRetiredAsync(ModelKind kind, CancellationToken cancellationToken) => Task.FromResult(Newest(kind, ModelStatus.Retired));

    public Task WithdrawAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        SetStatus(id, ModelStatus.Rejected);
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
        lock (_gate)
        {
            Models[record.Id] = record;
        }
    }

    /// <summary>Sets a model's status by hand, as an operator would in mongosh.</summary>
    public void SetStatus(string id, ModelStatus status, DateTimeOffset? promotedAt = null)
    {
        lock (_gate)
        {
            Models[id] = Models[id] with { Status = status, PromotedAt = promotedAt ?? Models[id].PromotedAt };
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
