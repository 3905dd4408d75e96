using MongoDB.Bson;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>Reads moderators' decided reports (<c>QuikApp_moderation.reports</c>).</summary>
public interface IModerationReportStore
{
    /// <summary>Every report actioned or dismissed with <c>reviewedAt</c> before <paramref name="resolvedBefore"/>, any reason.</summary>
    Task<IReadOnlyList<ResolvedReport>> ReadResolvedAsync(DateTimeOffset resolvedBefore, CancellationToken cancellationToken);
}

/// <summary>Reads reported messages' content (<c>QuikApp_messages.messages</c>).</summary>
public interface IMessageContentStore
{
    /// <summary>The messages that still exist among <paramref name="messageIds"/>, by id.</summary>
    Task<IReadOnlyDictionary<ObjectId, MessageContent>> GetAsync(IReadOnlyCollection<ObjectId> messageIds, CancellationToken cancellationToken);
}

/// <summary>Training-set snapshots: <c>QuikApp_ml.training_sets</c> records and their <c>training_examples</c>.</summary>
public interface ITrainingSetStore
{
    /// <summary>
    /// Writes the examples (upserted by id; examples of this set that are no longer in it are removed), then the record.
    /// Idempotent: saving the same snapshot again changes nothing.
    /// </summary>
    Task SaveAsync(TrainingSetSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the examples of every set but the <paramref name="keepNewest"/> newest (by cut-off); their records stay,
    /// stamped <c>examplesPrunedAt</c>. Returns how many sets lost their examples.
    /// </summary>
    Task<int> PruneExamplesAsync(int keepNewest, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The model registry (<c>QuikApp_ml.models</c>).</summary>
public interface IModelRegistry
{
    Task<ModelRecord?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Inserts the record unless one with its id exists; returns whether it was inserted.</summary>
    Task<bool> AddAsync(ModelRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the model promoted (keeping its <c>promotedAt</c> if it already was), then retires the kind's models promoted
    /// before it. A crash between the two leaves two promoted models; readers take the newest, so that is harmless, and
    /// the next call finishes the job.
    /// </summary>
    Task PromoteAsync(string id, ModelKind kind, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks a model that is not promoted as rejected.</summary>
    Task RejectAsync(string id, CancellationToken cancellationToken);

    /// <summary>The kind's promoted model with the latest <c>promotedAt</c>, or null: that is the model workers score with.</summary>
    Task<ModelRecord?> NewestPromotedAsync(ModelKind kind, CancellationToken cancellationToken);

    /// <summary>The kind's retired model with the latest <c>promotedAt</c> (the one a rollback restores), or null.</summary>
    Task<ModelRecord?> NewestRetiredAsync(ModelKind kind, CancellationToken cancellationToken);

    /// <summary>Marks a model rejected whatever its status (a rollback), stamping <c>withdrawnAt</c>.</summary>
    Task WithdrawAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>Model zips, by model id (GridFS bucket <c>models</c> in <c>QuikApp_ml</c>).</summary>
public interface IModelFileStore
{
    /// <summary>Stores the zip under <paramref name="id"/> unless a file with that id exists (ids are content hashes); returns whether it uploaded.</summary>
    Task<bool> UploadIfAbsentAsync(string id, byte[] zip, CancellationToken cancellationToken);

    /// <summary>The zip stored under <paramref name="id"/>; throws when there is none.</summary>
    Task<byte[]> DownloadAsync(string id, CancellationToken cancellationToken);
}
