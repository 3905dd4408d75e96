using Microsoft.Extensions.Diagnostics.HealthChecks;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Logging;

namespace QuikApp.Workers.Shared.Health;

/// <summary>
/// Ready when every consumer engine of the process runs, has joined its group and reaches a broker. A consumer with
/// no partitions (more replicas than partitions) is still ready: it takes over on the next rebalance.
/// The last error is reported without broker addresses and bounded (health output is often public).
/// </summary>
public sealed class KafkaHealthCheck(ConsumerEngineRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var engines = registry.Snapshot();
        var data = new Dictionary<string, object>();
        var problems = new List<string>();
        foreach (var engine in engines)
        {
            data[engine.Name] = new
            {
                engine.Running,
                engine.GroupJoined,
                engine.BrokersReachable,
                engine.AssignedPartitions,
                engine.PausedPartitions,
            };
            if (engine.Faulted || !engine.Running)
            {
                problems.Add($"{engine.Name}: not running ({(engine.LastError is null ? "stopped" : LogText.WithoutAddresses(engine.LastError))})");
            }
            else if (!engine.BrokersReachable)
            {
                problems.Add($"{engine.Name}: no broker reachable ({LogText.WithoutAddresses(engine.LastError)})");
            }
            else if (!engine.GroupJoined)
            {
                problems.Add($"{engine.Name}: joining the consumer group");
            }
        }

        var result = problems.Count == 0
            ? HealthCheckResult.Healthy(engines.Count == 0 ? "no Kafka consumers in this worker" : $"{engines.Count} consumer(s) ready", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data);
        return Task.FromResult(result);
    }
}
