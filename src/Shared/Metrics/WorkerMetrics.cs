using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace QuikApp.Workers.Shared.Metrics;

/// <summary>
/// The fleet's instruments (meter <c>QuikApp.Workers</c>), exported by OpenTelemetry on <c>/metrics</c> with
/// Prometheus names such as <c>quikapp_events_consumed_total</c>.
/// </summary>
public sealed class WorkerMetrics
{
    public const string MeterName = "QuikApp.Workers";

    private readonly Counter<long> _consumed;
    private readonly Counter<long> _handled;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _handlerDuration;
    private readonly Histogram<long> _batchSize;
    private readonly Counter<long> _jobRuns;
    private readonly Histogram<double> _jobDuration;
    private readonly ConcurrentDictionary<object, Func<IEnumerable<PartitionGauge>>> _partitionSources = new();

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _consumed = meter.CreateCounter<long>("quikapp.events.consumed", "{event}", "Records fetched from Kafka.");
        _handled = meter.CreateCounter<long>("quikapp.events.handled", "{event}", "Events whose effect completed.");
        _failed = meter.CreateCounter<long>("quikapp.events.failed", "{event}", "Events in a failed handler attempt, by failure kind.");
        _deadLettered = meter.CreateCounter<long>("quikapp.events.dead_lettered", "{event}", "Events produced to a .dlq topic, by reason kind.");
        _handlerDuration = meter.CreateHistogram<double>("quikapp.handler.duration", "s", "Duration of one handler call (one batch).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _batchSize = meter.CreateHistogram<long>("quikapp.handler.batch_size", "{event}", "Events per handler call.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000] });
        _jobRuns = meter.CreateCounter<long>("quikapp.jobs.runs", "{run}", "Scheduled-job runs this replica executed, by job, status and trigger.");
        _jobDuration = meter.CreateHistogram<double>("quikapp.jobs.duration", "s", "Duration of one scheduled-job run.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });
        meter.CreateObservableGauge("quikapp.consumer.lag", () => Observe(p => p.Lag), "{event}",
            "High watermark minus the next offset to commit, per partition.");
        meter.CreateObservableGauge("quikapp.events.in_flight", () => Observe(p => p.InFlight), "{event}",
            "Records fetched whose effect is not yet complete, per partition.");
        meter.CreateObservableGauge("quikapp.consumer.paused", () => Observe(p => p.Paused ? 1 : 0), "{partition}",
            "1 while a partition is paused (backpressure or retrying a transient failure).");
    }

    public void Consumed(string topic, int count) => _consumed.Add(count, new KeyValuePair<string, object?>("topic", topic));

    public void Handled(string topic, int count) => _handled.Add(count, new KeyValuePair<string, object?>("topic", topic));

    public void Failed(string topic, int count, string kind) =>
        _failed.Add(count, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("kind", kind));

    public void DeadLettered(string topic, string reasonKind) =>
        _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("reason", reasonKind));

    public void HandlerCompleted(string topic, int batchSize, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("topic", topic);
        _handlerDuration.Record(duration.TotalSeconds, tag);
        _batchSize.Record(batchSize, tag);
    }

    /// <summary>A scheduled-job run this replica held the lease for ended (status: succeeded, failed, skipped, lost-lease).</summary>
    public void JobRunFinished(string job, string status, string trigger, TimeSpan duration)
    {
        var jobTag = new KeyValuePair<string, object?>("job", job);
        _jobRuns.Add(1, jobTag, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("trigger", trigger));
        _jobDuration.Record(duration.TotalSeconds, jobTag);
    }

    /// <summary>Registers a source of per-partition readings (an engine's live partitions) until the returned handle is disposed.</summary>
    public IDisposable RegisterPartitions(Func<IEnumerable<PartitionGauge>> source)
    {
        var key = new object();
        _partitionSources[key] = source;
        return new Registration(() => _partitionSources.TryRemove(key, out _));
    }

    private List<Measurement<long>> Observe(Func<PartitionGauge, long> value) =>
        _partitionSources.Values
            .SelectMany(source => source())
            .Select(p => new Measurement<long>(value(p),
                new KeyValuePair<string, object?>("topic", p.Topic),
                new KeyValuePair<string, object?>("partition", p.Partition)))
            .ToList();

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>One partition's live readings.</summary>
public readonly record struct PartitionGauge(string Topic, int Partition, long Lag, long InFlight, bool Paused);
