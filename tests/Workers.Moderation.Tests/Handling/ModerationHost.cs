using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Kafka;
using QuikApp.Workers.Shared.Kafka.Producing;
using QuikApp.Workers.Testing.Hosting;

namespace QuikApp.Workers.Moderation.Tests.Handling;

/// <summary>The moderation worker as composed in Program.cs, on the embedded Kafka, with in-memory stores in place of MongoDB.</summary>
internal sealed class ModerationHost : IAsyncDisposable
{
    private ModerationHost(WebApplication app)
    {
        App = app;
    }

    public WebApplication App { get; }

    public InMemoryAutoModerationResultStore Results => (InMemoryAutoModerationResultStore)App.Services.GetRequiredService<IAutoModerationResultStore>();

    public InMemoryMessageHistory History => (InMemoryMessageHistory)App.Services.GetRequiredService<IMessageHistory>();

    public InMemorySmartReplyPairStore Pairs => (InMemorySmartReplyPairStore)App.Services.GetRequiredService<ISmartReplyPairStore>();

    public InMemoryPolicyStore Policies => (InMemoryPolicyStore)App.Services.GetRequiredService<IModerationPolicyStore>();

    public string BootstrapServers => App.Services.GetRequiredService<KafkaConnection>().BootstrapServers;

    public static async Task<ModerationHost> StartAsync(params string[] settings)
    {
        string[] args =
        [
            "--Kafka:BootstrapServers=embedded",
            $"--Health:Port={FreePort.Next()}",
            "--Health:BindAddress=127.0.0.1",
            "--Mongo:ConnectionString=mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300",
            "--Mongo:EnsureIndexesOnStart=false",
            "--Kafka:Consumers:moderation:MaxBatchWait=00:00:00.005",
            "--Kafka:Consumers:moderation:Retry:InitialDelay=00:00:00.050",
            "--Kafka:Consumers:moderation:Retry:MaxDelay=00:00:00.500",
            "--Serilog:MinimumLevel:Default=Warning",
            .. settings,
        ];
        var builder = WebApplication.CreateBuilder(args);
        builder.AddQuikAppWorkerDefaults("moderation");
        builder.AddModerationWorker();
        builder.Services.Replace(ServiceDescriptor.Singleton<IAutoModerationResultStore>(new InMemoryAutoModerationResultStore()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IModerationPolicyStore>(new InMemoryPolicyStore()));
        // The smart-reply and learning stores too: nothing in this host may reach for MongoDB.
        builder.Services.Replace(ServiceDescriptor.Singleton<IMessageHistory>(new InMemoryMessageHistory()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IModerationActions>(new InMemoryModerationActions()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISmartReplyPairStore>(new InMemorySmartReplyPairStore()));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISmartReplySnapshotStore>(new InMemorySmartReplySnapshotStore()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IModerationReportStore>(new InMemoryReportStore([])));
        builder.Services.Replace(ServiceDescriptor.Singleton<IMessageContentStore>(new InMemoryMessageStore([])));
        builder.Services.Replace(ServiceDescriptor.Singleton<ITrainingSetStore>(new InMemoryTrainingSetStore()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IModelRegistry>(new InMemoryModelRegistry()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IModelFileStore>(new InMemoryModelFileStore()));
        var app = builder.Build();
        app.MapQuikAppWorkerEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ModerationHost(app);
    }

    public Task PublishAsync(EventEnvelope envelope, Guid key) =>
        App.Services.GetRequiredService<EventPublisher>().PublishAsync(envelope, key.ToString(), TestContext.Current.CancellationToken);

    public async Task WaitForAsync(Func<InMemoryAutoModerationResultStore, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition(Results))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static MessageSent Sent(string content, Guid? channel = null, int mentions = 0, bool everyone = false, DateTimeOffset? at = null) =>
        new(ObjectId.GenerateNewId(), channel ?? Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), content, MessageContentType.Text, null,
            [.. Enumerable.Range(0, mentions).Select(_ => Guid.NewGuid())], everyone, [], null, at ?? DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
