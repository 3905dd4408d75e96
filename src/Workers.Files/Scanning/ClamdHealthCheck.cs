using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace QuikApp.Workers.Files.Scanning;

/// <summary>Readiness check: clamd answers PING within Files:Clamd:HealthCheckTimeout.</summary>
/// <remarks>
/// A Files worker without clamd cannot finish any upload, so it is not ready. A failure reports no endpoint:
/// health output is often public, and clamd must never be.
/// </remarks>
public sealed class ClamdHealthCheck(ClamdClient client, IOptions<ClamdOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.HealthCheckTimeout;
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(timeout);
        try
        {
            await client.PingAsync(probe.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy("clamd answered PING.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"clamd did not answer PING within {timeout.TotalMilliseconds:0} ms.");
        }
        catch (ClamdUnavailableException ex)
        {
            // Not passing the exception on: its message names the endpoint.
            return HealthCheckResult.Unhealthy(
                $"clamd PING failed: {ex.InnerException?.GetType().Name ?? nameof(ClamdUnavailableException)}.",
                data: new Dictionary<string, object> { ["exceptionType"] = ex.InnerException?.GetType().FullName ?? typeof(ClamdUnavailableException).FullName! });
        }
    }
}
