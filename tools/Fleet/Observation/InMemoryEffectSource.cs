using MongoDB.Bson;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Moderation.Scoring;

namespace QuikApp.Workers.Fleet.Observation;

/// <summary>The effects as the run's in-memory stores hold them.</summary>
internal sealed class InMemoryEffectSource(InMemoryFleetStores stores) : IEffectSource
{
    public Task<EffectCounts> CountAsync(CancellationToken cancellationToken)
    {
        long scored = 0, deleted = 0;
        foreach (var stored in stores.Results.Results.Values)
        {
            scored += stored.Result is null ? 0 : 1;
            deleted += stored.Deletion is null ? 0 : 1;
        }

        var settled = stores.Files.Snapshot().Count(d => d.Processing is { Published: true });
        return Task.FromResult(new EffectCounts(scored, deleted, settled, stores.ReplyPairs.All.Count));
    }

    public Task<(IReadOnlyDictionary<ObjectId, ObservedResult> Results, IReadOnlyDictionary<Guid, ObservedFile> Files)> ReadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<ObjectId, ObservedResult> results = stores.Results.Results.ToDictionary(r => r.Key, r => new ObservedResult(r.Key,
            r.Value.Result?.Content.EventId, r.Value.Result?.Scored.Verdict.Action.ToWire(), r.Value.Deletion is not null, r.Value.Result?.ProcessedAt));
        IReadOnlyDictionary<Guid, ObservedFile> files = stores.Files.Snapshot().ToDictionary(d => d.FileId, Observe);
        return Task.FromResult((results, files));
    }

    private static ObservedFile Observe(FileDocument document) => new(document.FileId, document.ScanStatus, document.Processing?.Status,
        document.Processing?.Published ?? false, document.Processing?.Attempts ?? 0, document.Processing?.EventId, document.ThumbnailUrl,
        document.Processing?.Derivatives.Count ?? 0, document.Deleted, document.Processing?.ProcessedAt, document.Processing?.Reason);
}
