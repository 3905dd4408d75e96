using QuikApp.Workers.Fleet.Observation;
using System.Text;
using Confluent.Kafka;
using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Upstream;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Driving;

/// <summary>
/// Plays the upstream services: for each planned record, first what the service writes (the message document; the
/// stored object and the pending file document; the deletion mark), then the event, produced as they produce it
/// (acks=all, idempotent, LZ4, the contract's key and headers). Records positions and times in a <see cref="ProductionLog"/>.
/// </summary>
internal sealed class WorkloadProducer : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly IUpstreamServices _upstream;
    private readonly FileSamples _samples;

    public WorkloadProducer(string bootstrapServers, IUpstreamServices upstream, FileSamples samples, KafkaClientLog? log = null)
    {
        _upstream = upstream;
        _samples = samples;
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "fleet-upstream",
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            MessageTimeoutMs = 120_000,
        }).SetLogHandler((client, message) => log?.Write(client, message)).Build();
    }

    public ProductionLog Log { get; } = new();

    /// <summary>Produces the records in order, each after its upstream write, waiting on <paramref name="pacing"/> before each; then waits for every acknowledgement.</summary>
    public async Task ProduceAsync(IEnumerable<PlannedEvent> events, ProducerPacing pacing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(pacing);
        foreach (var planned in events)
        {
            await pacing.WaitTurnAsync(planned, cancellationToken).ConfigureAwait(false);
            var (value, eventId, eventType) = await PrepareAsync(planned, cancellationToken).ConfigureAwait(false);
            var headers = new Headers { { EventHeaders.EventType, Encoding.UTF8.GetBytes(eventType) } };
            var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(planned.Key), Value = value, Headers = headers };
            Log.HandingOver(eventId, DateTimeOffset.UtcNow);
            Produce(planned, message);
        }

        await Task.Run(() =>
        {
            while (_producer.Flush(TimeSpan.FromMilliseconds(200)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _producer.Dispose();

    private async Task<(byte[] Value, Guid? EventId, string EventType)> PrepareAsync(PlannedEvent planned, CancellationToken cancellationToken)
    {
        var eventType = EventTopics.Find(planned.Topic)?.EventType ?? "unknown";
        switch (planned)
        {
            case ContractEvent contract:
                if (contract.Message is { } chat)
                {
                    await _upstream.WriteMessageAsync(chat, contract.At, cancellationToken).ConfigureAwait(false);
                }

                if (contract.File is { } deleted && contract.Topic == EventTopics.FileDeleted)
                {
                    await _upstream.DeleteFileAsync(deleted, contract.At, cancellationToken).ConfigureAwait(false);
                }

                return (EventEnvelopeWriter.Serialize(contract.Envelope), contract.Envelope.EventId, eventType);

            case UploadEvent upload:
                var file = upload.File;
                var content = _samples.Bytes(file);
                var location = await _upstream.StoreFileAsync(file, content, cancellationToken).ConfigureAwait(false);
                var data = new FileUploaded(file.FileId, file.WorkspaceId, file.UploadedBy, Path.GetFileName(file.StorageKey), file.FileName, file.MimeType,
                    content.LongLength, location, null);
                var envelope = EventEnvelope.Create(data, WorkloadGenerator.FileService, upload.CorrelationId, upload.EventId, upload.At);
                return (EventEnvelopeWriter.Serialize(envelope), upload.EventId, eventType);

            case MalformedEvent malformed:
                return (malformed.Value, null, eventType);

            default:
                throw new ArgumentException($"unknown planned record {planned.GetType().Name}", nameof(planned));
        }
    }

    private void Produce(PlannedEvent planned, Message<byte[], byte[]> message)
    {
        while (true)
        {
            try
            {
                _producer.Produce(planned.Topic, message, report =>
                {
                    if (report.Error.IsError)
                    {
                        Log.Fail($"{planned.Topic} #{planned.Sequence}: {report.Error.Reason}");
                    }
                    else
                    {
                        Log.Acknowledge(new ProducedRecord(planned.Sequence, new TopicPosition(report.Topic, report.Partition.Value, report.Offset.Value),
                            DateTimeOffset.UtcNow));
                    }
                });
                return;
            }
            catch (ProduceException<byte[], byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The producer's queue is full: let deliveries drain, then hand the record over again.
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
