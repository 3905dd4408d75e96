using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>Readiness check: pings MongoDB's admin database on the primary within Mongo:HealthCheckTimeout.</summary>
/// <remarks>
/// The primary, because a worker that cannot write is not ready. The timeout is ours and short, so a probe never waits
/// out the driver's server-selection budget. A failure reports the exception type only: driver messages describe the
/// cluster and endpoints, and health output is often public.
/// </remarks>
public sealed class MongoHealthCheck : IHealthCheck
{
    private static readonly BsonDocument PingCommand = new("ping", 1);

    private readonly IMongoClient _client;
    private readonly IOptions<MongoOptions> _options;

    public MongoHealthCheck(IMongoClient client, IOptions<MongoOptions> options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = _options.Value.HealthCheckTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _client.GetDatabase("admin")
                .RunCommandAsync<BsonDocument>(PingCommand, MongoCatalog.Reads, timeoutSource.Token)
                .ConfigureAwait(false);
            return HealthCheckResult.Healthy("MongoDB answered ping.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(
                $"MongoDB did not answer ping within {timeout.TotalMilliseconds:0} ms.",
                data: Data(nameof(TimeoutException)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not passing the exception on: its message may carry endpoints and server descriptions.
            return HealthCheckResult.Unhealthy($"MongoDB ping failed: {ex.GetType().Name}.", data: Data(ex.GetType().FullName ?? ex.GetType().Name));
        }
    }

    private static Dictionary<string, object> Data(string exceptionType) => new() { ["exceptionType"] = exceptionType };
}
