using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>The failure paths, against an address where nothing listens (the healthy path is in the store tests).</summary>
public sealed class MongoHealthCheckTests
{
    private const string Password = "s3cretPW";

    [Fact(Timeout = 10_000)]
    public async Task CheckHealthAsync_NoAnswerWithinTheTimeout_IsUnhealthyAndSaysSo()
    {
        var options = new MongoOptions
        {
            ConnectionString = $"mongodb://app:{Password}@127.0.0.1:1/",
            HealthCheckTimeout = TimeSpan.FromMilliseconds(300),
        };

        var result = await CheckAsync(options, TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("MongoDB did not answer ping within 300 ms.", result.Description);
        Assert.Equal(nameof(TimeoutException), result.Data["exceptionType"]);
        Assert.Null(result.Exception);
    }

    [Fact(Timeout = 10_000)]
    public async Task CheckHealthAsync_DriverGivesUpFirst_ReportsTheExceptionTypeOnly()
    {
        // The URL's server selection budget (100 ms) ends before the check's (2 s): the driver throws.
        var options = new MongoOptions { ConnectionString = $"mongodb://app:{Password}@127.0.0.1:1/?serverSelectionTimeoutMS=100" };

        var result = await CheckAsync(options, TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("MongoDB ping failed: TimeoutException.", result.Description);
        Assert.Null(result.Exception);
        Assert.DoesNotContain(Password, result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", result.Description, StringComparison.Ordinal);
    }

    private static async Task<HealthCheckResult> CheckAsync(MongoOptions options, CancellationToken cancellationToken)
    {
        using var client = MongoClientFactory.CreateClient(options, "quikapp-workers/tests");
        var check = new MongoHealthCheck(client, Options.Create(options));
        return await check.CheckHealthAsync(new HealthCheckContext(), cancellationToken);
    }
}
