namespace QuikApp.Workers.Shared.Kafka.Embedded;

/// <summary>Kafka protocol request types (ApiKey numbers) that the embedded cluster can fail on purpose.</summary>
public enum KafkaApiKey : short
{
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    InitProducerId = 22,
    ConsumerGroupHeartbeat = 68,
}
