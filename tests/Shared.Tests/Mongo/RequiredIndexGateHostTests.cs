using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Kafka.Consuming;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>
/// A worker whose required unique index is not in place starts (the health endpoints answer, so it is not restarted in a
/// loop) but does not consume and is not ready; it consumes once the index is in place. Embedded Kafka, no MongoDB.
/// </summary>
public sealed class RequiredIndexGateHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

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

    [Fact(Timeout = 120_000)]
    public async Task Host_RequiredIndexMissing_AnswersLiveButIsNotReadyAndDoesNotConsume_UntilTheIndexIsInPlace()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort.Next();
        var gate = new MongoRequiredIndexGate();
        var messageId = Assert.Single(MongoIndexCatalog.All, index => index.Collection == MongoCatalog.Collections.AutoModResults && index.Name == "messageId_1");
        gate.Set([MongoIndexBootstrapper.DuplicateKeysConflict(messageId, "QuikApp_moderation")]);
        var builder = WebApplication.CreateBuilder(
        [
            "--Kafka:BootstrapServers=embedded",
            $"--Health:Port={port}",
            "--Health:BindAddress=127.0.0.1",
            "--Mongo:ConnectionString=mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300",
            "--Mongo:HealthCheckTimeout=00:00:01",
        ]);
        builder.AddQuikAppWorkerDefaults("gate-test");
        // As MongoIndexBootstrapService leaves it after a start-up run that found the required index unsatisfied.
        builder.Services.AddSingleton(gate);
        builder.Services.AddEventConsumer<CountingHandler>("messages", EventTopics.MessageSent);
        await using var app = builder.Build();
        app.MapQuikAppWorkerEndpoints();
        var engine = app.Services.GetRequiredKeyedService<ConsumerEngine<EventEnvelope>>("messages");

        await app.StartAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health/live", UriKind.Relative), ct)).StatusCode);
        var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var check = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("checks").GetProperty("mongodb-required-indexes");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("auto_mod_results", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.False(engine.Status.Running);

        gate.Set([]);
        var deadline = DateTime.UtcNow + Patience;
        while (!engine.Status.Running && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, ct);
        }

        Assert.True(engine.Status.Running);
        await app.StopAsync(ct);
        Assert.False(engine.Status.Running);
    }
}
