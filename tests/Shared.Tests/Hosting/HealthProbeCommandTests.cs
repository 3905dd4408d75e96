using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Health;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Shared.Tests.Hosting;

/// <summary>The <c>health-probe</c> verb the container image's HEALTHCHECK runs.</summary>
public sealed class HealthProbeCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> ProbeAsync(IServiceProvider services, params string[] arguments)
    {
        var command = services.GetServices<IWorkerCommand>().OfType<HealthProbeCommand>().Single();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await command.RunAsync(services, arguments, output, error, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    private static WebApplication BuildWorker(int port)
    {
        var builder = WebApplication.CreateBuilder(
        [
            "--Kafka:BootstrapServers=embedded",
            $"--Health:Port={port}",
            "--Health:BindAddress=127.0.0.1",
            // Nothing listens there: the worker is live but not ready.
            "--Mongo:ConnectionString=mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300",
            "--Mongo:HealthCheckTimeout=00:00:01",
            "--Mongo:EnsureIndexesOnStart=false",
        ]);
        builder.AddQuikAppWorkerDefaults("probe-test");
        var app = builder.Build();
        app.MapQuikAppWorkerEndpoints();
        return app;
    }

    [Fact(Timeout = 60_000)]
    public async Task Probe_OfARunningWorker_IsLive_AndNotReadyWhileMongoDbIsDown()
    {
        var port = FreePort.Next();
        await using var app = BuildWorker(port);
        await app.StartAsync(TestContext.Current.CancellationToken);

        var live = await ProbeAsync(app.Services);
        var ready = await ProbeAsync(app.Services, "--ready", "--timeout", "5");

        Assert.Equal(0, live.Exit);
        Assert.Equal($"http://127.0.0.1:{port}/health/live answered 200 OK", live.Output.Trim());
        Assert.Equal(1, ready.Exit);
        Assert.Contains($"http://127.0.0.1:{port}/health/ready answered 503", ready.Output, StringComparison.Ordinal);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 60_000)]
    public async Task Probe_WhenNothingListens_FailsWithExitOne()
    {
        var port = FreePort.Next();
        await using var services = new ServiceCollection()
            .AddSingleton<IWorkerCommand, HealthProbeCommand>()
            .Configure<HealthOptions>(o => o.Port = port)
            .BuildServiceProvider();

        var result = await ProbeAsync(services, "--timeout", "2");

        Assert.Equal(1, result.Exit);
        Assert.StartsWith($"http://127.0.0.1:{port}/health/live failed:", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout")]
    [InlineData("--timeout", "0")]
    [InlineData("--live")]
    public async Task Probe_WithBadArguments_ExitsTwoWithUsage(params string[] arguments)
    {
        await using var services = new ServiceCollection().AddSingleton<IWorkerCommand, HealthProbeCommand>().BuildServiceProvider();

        var result = await ProbeAsync(services, arguments);

        Assert.Equal(2, result.Exit);
        Assert.Contains("usage: health-probe [--ready] [--timeout <seconds>]", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*", false, "http://127.0.0.1:8080/health/live")]
    [InlineData("0.0.0.0", true, "http://127.0.0.1:8080/health/ready")]
    [InlineData("10.1.2.3", false, "http://10.1.2.3:8080/health/live")]
    [InlineData("::", false, "http://[::1]:8080/health/live")]
    [InlineData("fd00::5", false, "http://[fd00::5]:8080/health/live")]
    public void ProbeUri_GoesToLoopbackUnlessBoundToOneAddress(string bindAddress, bool ready, string expected)
    {
        Assert.Equal(new Uri(expected), HealthProbeCommand.ProbeUri(new HealthOptions { Port = 8080, BindAddress = bindAddress }, ready));
    }
}
