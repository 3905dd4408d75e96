using Confluent.Kafka;

namespace QuikApp.Workers.Shared.Kafka.Consuming;

/// <summary>What a partition worker may ask of the consumer that owns its partition.</summary>
/// <remarks>
/// Every call is ignored once the partition is no longer owned by this worker (revoked, lost, shut down), which
/// is what keeps a late completion from committing a partition another consumer now owns.
/// </remarks>
internal interface IPartitionControl<TEvent>
{
    /// <summary>Stores <paramref name="offset"/> (the next offset to read) for the next commit.</summary>
    void StoreOffset(PartitionWorker<TEvent> worker, Offset offset);

    /// <summary>Pauses or resumes fetching of the worker's partition.</summary>
    void SetPaused(PartitionWorker<TEvent> worker, bool paused);
}
