using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Shared.Tests.Hosting;

/// <summary>Specifications of the shared worker host: embedded Kafka, endpoints, configuration validation.</summary>
public sealed class WorkerHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Counts what it is handed; a worker's handler stands here.</summary>
    internal sealed class CountingHandler : IEventBatchHandler<EventEnvelope>
    {
        private int _handled;

        public int Handled => Volatile.Read(ref _handled);

        public Task HandleAsync(EventBatch<EventEnvelope> batch, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _handled, batch.Count);
            return Task.CompletedTask;
        }
    }

    private static WebApplication BuildHost(int port, params string[] extra)
    {
        string[] args =
        [
            "--Kafka:BootstrapServers=embedded",
            $"--Health:Port={port}",
            "--Health:BindAddress=127.0.0.1",
            // Nothing listens there: readiness must report MongoDB down without blocking the host.
            "--Mongo:ConnectionString=mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300",
            "--Mongo:HealthCheckTimeout=00:00:01",
            .. extra,
        ];
        var builder = WebApplication.CreateBuilder(args);
        builder.AddQuikAppWorkerDefaults("host-test");
        builder.Services.AddEventConsumer<CountingHandler>("messages", EventTopics.MessageSent);
        var app = builder.Build();
        app.MapQuikAppWorkerEndpoints();
        return app;
    }

    [Fact(Timeout = 120_000)]
    public async Task Host_WithEmbeddedKafka_ServesLiveReadyAndMetrics_AndConsumesContractEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort.Next();
        await using var app = BuildHost(port);
        await app.StartAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // Kafka becomes ready once the group is joined; MongoDB is unreachable, so the worker as a whole is not ready.
        JsonElement checks = default;
        var deadline = DateTime.UtcNow + Patience;
        HttpResponseMessage ready;
        do
        {
            ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
            checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("checks");
            await Task.Delay(200, ct);
        }
        while (checks.GetProperty("kafka").GetProperty("status").GetString() != "Healthy" && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Healthy", checks.GetProperty("kafka").GetProperty("status").GetString());
        Assert.Equal("Unhealthy", checks.GetProperty("mongodb").GetProperty("status").GetString());

        var sent = new MessageSent(ObjectId.GenerateNewId(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "hello", MessageContentType.Text,
            null, [], false, [], null, DateTimeOffset.UtcNow);
        var publisher = app.Services.GetRequiredService<EventPublisher>();
        await publisher.PublishAsync(EventEnvelope.Create(sent, "test", "corr-1"), sent.ChannelId.ToString(), ct);
        var handler = app.Services.GetRequiredService<CountingHandler>();
        while (handler.Handled < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(1, handler.Handled);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);
        Assert.Contains("quikapp_events_consumed_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("quikapp_events_handled_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("topic=\"quikapp.message.sent\"", metrics, StringComparison.Ordinal);
        Assert.Contains("quikapp_handler_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("quikapp_consumer_lag{", metrics, StringComparison.Ordinal);

        await app.StopAsync(ct);
        Assert.False(app.Services.GetRequiredKeyedService<ConsumerEngine<EventEnvelope>>("messages").Status.Running);
    }

    [Theory]
    [InlineData("--Health:Port=70000", "Health:Port")]
    [InlineData("--Kafka:GroupProtocol=eager", "Kafka:GroupProtocol")]
    [InlineData("--Kafka:SecurityProtocol=carrier-pigeon", "Kafka:SecurityProtocol")]
    [InlineData("--Kafka:Consumers:messages:MaxBatchSize=0", "MaxBatchSize")]
    [InlineData("--Kafka:Consumers:messages:PartitionQueueLowWatermark=9000", "PartitionQueueLowWatermark")]
    [InlineData("--Mongo:ConnectionString=not-a-url", "Mongo:ConnectionString")]
    public async Task Host_WithABadSetting_FailsStartUpNamingTheSetting(string setting, string named)
    {
        WebApplication? app = null;
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            // Settings Kestrel reads fail when the host is built; the rest when it starts. Both before anything runs.
            app = BuildHost(FreePort.Next(), setting);
            await app.StartAsync(TestContext.Current.CancellationToken);
        });
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        var messages = error is OptionsValidationException validation ? string.Join(" | ", validation.Failures) : error.ToString();
        Assert.Contains(named, messages, StringComparison.Ordinal);
    }
}
