using MongoDB.Bson;
using QuikApp.Workers.Files.Documents;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Fleet.Hosting;
using QuikApp.Workers.Fleet.Hosting.Remote;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Kafka.Consuming;

namespace QuikApp.Workers.Fleet.Tests.Hosting;

/// <summary>
/// The fleet's in-memory stores served on loopback to workers in child processes: each call crosses as JSON and lands
/// on the same store the fleet reads, with the store's semantics intact; an outage is transient for the engine.
/// </summary>
public sealed class RemoteStoreTests : IAsyncLifetime
{
    private readonly InMemoryFleetStores _stores = new();
    private RemoteStoreServer? _server;
    private HttpClient? _http;

    public async ValueTask InitializeAsync()
    {
        _server = await RemoteStoreServer.StartAsync(_stores, [FleetWorkers.Moderation, FleetWorkers.Files], TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _server.Address };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ModerationResults_WrittenThroughTheProxy_AreTheFleetsAndKeepNewerWins()
    {
        var results = RemoteStoreProxy.Create<IAutoModerationResultStore>(_http!);
        var actions = RemoteStoreProxy.Create<IModerationActions>(_http!);
        var sent = SampleResult(ContentKind.Sent, TimeSpan.Zero);
        var edited = SampleResult(ContentKind.Edited, TimeSpan.FromMinutes(1));
        var token = TestContext.Current.CancellationToken;

        var first = await results.UpsertAsync([edited], token);
        var older = await results.UpsertAsync([sent], token);
        await results.MarkDeletedAsync([new MessageDeletion(sent.MessageId, sent.ChannelId, sent.WorkspaceId, Guid.NewGuid(), DateTimeOffset.UtcNow)], token);
        var found = await actions.FindAsync([sent.MessageId, ObjectId.GenerateNewId()], token);

        Assert.Equal([true], first);
        Assert.Equal([false], older); // the stored edit is newer: the store's rule, across the wire
        var stored = Assert.Single(_stores.Results.Results).Value;
        Assert.Equal(AsJson(edited), AsJson(stored.Result)); // the record came through whole: ids, scores, signals, versions, times
        var action = Assert.Single(found);
        Assert.Equal(sent.MessageId, action.Key);
        Assert.True(action.Value.Deleted);
    }

    [Fact]
    public async Task FileDocuments_ReadThroughTheProxy_AsTheFleetWroteThem()
    {
        var documents = RemoteStoreProxy.Create<IFileDocumentStore>(_http!);
        var fileId = Guid.NewGuid();
        var document = new FileDocument(fileId, Guid.NewGuid(), "image/png", new FileStorageLocation("local", "quikapp-files", $"w/{fileId}.png", null),
            SentAt, false, "pending", null, null, null, new FileMediaMetadata(800, 600, null, null), null);
        _stores.Files.Seed(document);

        var read = await documents.ReadAsync([fileId, Guid.NewGuid()], TestContext.Current.CancellationToken);

        Assert.Equal(AsJson(document), AsJson(Assert.Single(read).Value));
    }

    [Fact]
    public async Task AStoreOutage_ReachesTheWorkerAsATransientFailure()
    {
        var results = RemoteStoreProxy.Create<IAutoModerationResultStore>(_http!);
        _stores.Results.FailNext(1);

        var failure = await Assert.ThrowsAsync<TransientDependencyException>(() => results.UpsertAsync([SampleResult(ContentKind.Sent, TimeSpan.Zero)], TestContext.Current.CancellationToken));

        Assert.Contains("TimeoutException", failure.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Transient, new DefaultFailureClassifier().Classify(failure));
    }

    [Fact]
    public async Task AFleetThatIsGone_IsTransientForTheWorkerToo()
    {
        using var nowhere = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var results = RemoteStoreProxy.Create<IAutoModerationResultStore>(nowhere);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => results.UpsertAsync([SampleResult(ContentKind.Sent, TimeSpan.Zero)], TestContext.Current.CancellationToken));

        Assert.Equal(FailureKind.Transient, new DefaultFailureClassifier().Classify(failure));
    }

    private static readonly ObjectId MessageId = ObjectId.GenerateNewId();
    private static readonly (Guid Channel, Guid Workspace, Guid User) Ids = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
    private static readonly DateTimeOffset SentAt = new(2026, 11, 26, 9, 30, 15, 123, TimeSpan.Zero);

    private static AutoModerationResult SampleResult(ContentKind kind, TimeSpan later) => new(
        MessageId, Ids.Channel, Ids.Workspace, Ids.User,
        new ScoredMessage("sha256:ab12", new ModerationVerdict(
                new CheckVerdict(0.82, true, ["profanity:lexicon"]), new CheckVerdict(0.1, false, []), new CheckVerdict(0.4, false, ["toxicity:insult"]),
                0.82, ModerationAction.Flag, "default@3"),
            new ModelVersions("spam-2026-11-01", "lexicon-7", "lexicons-12")),
        new ContentVersion(kind, SentAt + later, Guid.NewGuid()),
        SentAt + later + TimeSpan.FromMilliseconds(250));

    private static string AsJson<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, StoreWire.Json);
}
