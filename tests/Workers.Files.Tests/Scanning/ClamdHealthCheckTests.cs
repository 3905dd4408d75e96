using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Files.Tests.ClamAV;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Files.Tests.Scanning;

/// <summary>Readiness follows clamd's PING, within the health-check budget, without naming the endpoint.</summary>
public sealed class ClamdHealthCheckTests(ClamdFixture clamd) : IClassFixture<ClamdFixture>
{
    [Fact(Timeout = 30_000)]
    public async Task CheckHealthAsync_ClamdAnswers_IsHealthy()
    {
        var options = Options.Create(clamd.ClientOptions());
        using var client = new ClamdClient(options, TimeProvider.System);

        var result = await new ClamdHealthCheck(client, options).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task CheckHealthAsync_NothingListening_IsUnhealthyWithoutTheEndpoint()
    {
        var port = FreePort.Next();
        var options = Options.Create(new ClamdOptions { Port = port });
        using var client = new ClamdClient(options, TimeProvider.System);

        var result = await new ClamdHealthCheck(client, options).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Description, StringComparison.Ordinal);
        Assert.Null(result.Exception);
    }

    [Fact(Timeout = 30_000)]
    public async Task CheckHealthAsync_ClamdStuck_IsUnhealthyWithinHealthCheckTimeout()
    {
        await using var server = ScriptedClamdServer.OnLoopback(ScriptedClamdServer.NeverAnswering);
        var options = Options.Create(new ClamdOptions
        {
            Port = server.Port,
            ConnectTimeout = TimeSpan.FromSeconds(20),
            HealthCheckTimeout = TimeSpan.FromMilliseconds(200),
        });
        using var client = new ClamdClient(options, TimeProvider.System);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var result = await new ClamdHealthCheck(client, options).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("did not answer PING within 200 ms", result.Description, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }
}
