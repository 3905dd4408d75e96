using MongoDB.Bson;
using QuikApp.Workers.Fleet.Conservation;

namespace QuikApp.Workers.Fleet.Observation;

/// <summary>How far the workers have got: results stored, uploads with a published outcome, deletions applied.</summary>
internal sealed record EffectCounts(long MessagesScored, long MessagesMarkedDeleted, long FilesSettled, long ReplyPairs);

/// <summary>Reads the workers' effects from where they write them: the run's in-memory stores, or MongoDB.</summary>
internal interface IEffectSource
{
    /// <summary>Cheap counts for the progress view and the producer's back-pressure.</summary>
    Task<EffectCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>The <c>auto_mod_results</c> and <c>files</c> documents of the run, by message and file id.</summary>
    Task<(IReadOnlyDictionary<ObjectId, ObservedResult> Results, IReadOnlyDictionary<Guid, ObservedFile> Files)> ReadAsync(CancellationToken cancellationToken);
}
