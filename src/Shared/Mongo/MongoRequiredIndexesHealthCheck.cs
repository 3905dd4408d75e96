using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>
/// Readiness: unhealthy while a required index (<see cref="MongoIndexDefinition.Required"/>) is missing or conflicting,
/// naming each index, its namespace and what is wrong, so <c>/health/ready</c> says why the worker does not consume.
/// </summary>
public sealed class MongoRequiredIndexesHealthCheck(MongoRequiredIndexGate gate) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unsatisfied = gate.Unsatisfied;
        if (gate.IsOpen || unsatisfied.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("every required MongoDB index is in place"));
        }

        var data = unsatisfied.ToDictionary(result => $"{result.Namespace}.{result.Index.Name}", result => (object)(result.Detail ?? result.Outcome.ToString()));
        var description =
            $"required MongoDB index(es) not in place, not consuming until fixed (retried every Mongo:RequiredIndexRetryInterval): {string.Join("; ", unsatisfied)}";
        return Task.FromResult(HealthCheckResult.Unhealthy(description, data: data));
    }
}
