using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Handling;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Moderation.Tests.Scoring;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>
/// One channel's conversation driven the way the moderation handler drives the observer: each sent, edited or deleted
/// message updates the history and auto_mod_results doubles, then calls the observer; <see cref="RedeliverAsync"/>
/// replays the last call.
/// </summary>
internal sealed class SmartReplyConversation
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    public static readonly Guid Workspace = Guid.Parse("0b0b0b0b-0000-4000-8000-000000000001");
    public static readonly Guid Channel = Guid.Parse("0c0c0c0c-0000-4000-8000-000000000002");
    public static readonly Guid Alice = Guid.Parse("0a11ce00-0000-4000-8000-000000000003");
    public static readonly Guid Bob = Guid.Parse("0b0b0000-0000-4000-8000-000000000004");
    public static readonly Guid Carol = Guid.Parse("0ca20100-0000-4000-8000-000000000005");

    private static readonly Lazy<MessageActionResolver> SharedResolver = new(CreateResolver);
    private Func<Task>? _last;
    private int _sequence;

    private readonly CancellationToken _cancellationToken;

    public SmartReplyConversation(CancellationToken cancellationToken, SmartReplyOptions? options = null)
    {
        _cancellationToken = cancellationToken;
        Options = options ?? new SmartReplyOptions();
        Observer = new SmartReplyTrainingObserver(History, Moderation, Pairs, SharedResolver.Value, Microsoft.Extensions.Options.Options.Create(Options),
            Time, NullLogger<SmartReplyTrainingObserver>.Instance);
    }

    public SmartReplyOptions Options { get; }

    public InMemoryMessageHistory History { get; } = new();

    public InMemoryModerationActions Moderation { get; } = new();

    public InMemorySmartReplyPairStore Pairs { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start.AddHours(1));

    public SmartReplyTrainingObserver Observer { get; }

    /// <summary>A message already in the history, never moderated (it predates the worker): no auto_mod_results entry.</summary>
    public ChatMessage Post(Guid user, string content, double atSeconds, ObjectId? threadId = null)
    {
        var message = new ChatMessage(NextId(), Workspace, Channel, user, content, MessageContentType.Text, threadId, Start.AddSeconds(atSeconds), false);
        History.Put(message);
        return message;
    }

    /// <summary>message.sent: stored in the history, judged <paramref name="action"/>, then observed.</summary>
    public async Task<ChatMessage> SendAsync(Guid user, string content, double atSeconds, ObjectId? threadId = null,
        ModerationAction action = ModerationAction.Allow, MessageContentType contentType = MessageContentType.Text)
    {
        var message = new ChatMessage(NextId(), Workspace, Channel, user, content, contentType, threadId, Start.AddSeconds(atSeconds), false);
        History.Put(message);
        Judge(message.Id, content, action);
        var sent = new MessageSent(message.Id, Channel, Workspace, user, content, contentType, threadId, [], false, [], null, message.CreatedAt);
        var moderated = new ModeratedMessage(EventEnvelope.Create(sent, "test", null), message.Id, Channel, Workspace, user, content, action);
        await Observe(() => Observer.OnModeratedAsync([moderated], _cancellationToken));
        return message;
    }

    /// <summary>message.sent for a message already in the history, left as it is (its verdict is <paramref name="action"/>).</summary>
    public Task ObserveSentAsync(ChatMessage message, ModerationAction action)
    {
        var sent = new MessageSent(message.Id, Channel, Workspace, message.UserId, message.Content, MessageContentType.Text, message.ThreadId, [], false, [],
            null, message.CreatedAt);
        var moderated = new ModeratedMessage(EventEnvelope.Create(sent, "test", null), message.Id, Channel, Workspace, message.UserId, message.Content, action);
        return Observe(() => Observer.OnModeratedAsync([moderated], _cancellationToken));
    }

    /// <summary>Several message.sent events in one batch (one observer call).</summary>
    public async Task<IReadOnlyList<ChatMessage>> SendBatchAsync(params (Guid User, string Content, double AtSeconds, ObjectId? ThreadId)[] messages)
    {
        var batch = new List<ModeratedMessage>();
        var sentMessages = new List<ChatMessage>();
        foreach (var (user, content, at, threadId) in messages)
        {
            var message = new ChatMessage(NextId(), Workspace, Channel, user, content, MessageContentType.Text, threadId, Start.AddSeconds(at), false);
            History.Put(message);
            Judge(message.Id, content, ModerationAction.Allow);
            var sent = new MessageSent(message.Id, Channel, Workspace, user, content, MessageContentType.Text, threadId, [], false, [], null, message.CreatedAt);
            batch.Add(new ModeratedMessage(EventEnvelope.Create(sent, "test", null), message.Id, Channel, Workspace, user, content, ModerationAction.Allow));
            sentMessages.Add(message);
        }

        await Observe(() => Observer.OnModeratedAsync(batch, _cancellationToken));
        return sentMessages;
    }

    /// <summary>message.edited: the history holds the new content, judged <paramref name="action"/>, then observed.</summary>
    public async Task EditAsync(ChatMessage message, string content, ModerationAction action)
    {
        History.Put(History.Get(message.Id) with { Content = content });
        Judge(message.Id, content, action);
        Time.Advance(TimeSpan.FromMinutes(1));
        var edited = new MessageEdited(message.Id, Channel, Workspace, message.UserId, content, Time.GetUtcNow());
        var moderated = new ModeratedMessage(EventEnvelope.Create(edited, "test", null), message.Id, Channel, Workspace, message.UserId, content, action);
        await Observe(() => Observer.OnModeratedAsync([moderated], _cancellationToken));
    }

    /// <summary>message.deleted: the history and auto_mod_results mark it deleted, then observed.</summary>
    public async Task DeleteAsync(ChatMessage message)
    {
        History.Put(History.Get(message.Id) with { Deleted = true });
        var stored = Moderation.Get(message.Id);
        Moderation.Put(stored is null ? new StoredModeration(message.Id, null, null, true) : stored with { Deleted = true });
        await Observe(() => Observer.OnDeletedAsync([message.Id], _cancellationToken));
    }

    /// <summary>The last observer call again, later (as after a failed offset commit).</summary>
    public Task RedeliverAsync()
    {
        Time.Advance(TimeSpan.FromMinutes(5));
        return _last?.Invoke() ?? Task.CompletedTask;
    }

    /// <summary>auto_mod_results says <paramref name="action"/> for exactly this content.</summary>
    public void Judge(ObjectId id, string content, ModerationAction action) =>
        Moderation.Put(new StoredModeration(id, action, ContentHash.Of(content), Moderation.Get(id)?.Deleted ?? false));

    public ReplyPair PairOf(ChatMessage reply) => Assert.Single(Pairs.All, p => p.ReplyMessageId == reply.Id);

    private async Task Observe(Func<Task> call)
    {
        _last = call;
        Time.Advance(TimeSpan.FromSeconds(1));
        await call();
    }

    // Increasing ids in creation order, as the message-service's ObjectIds are.
    private ObjectId NextId()
    {
        var sequence = ++_sequence;
        return ObjectId.Parse($"{Start.ToUnixTimeSeconds() + sequence:x8}0000000000{sequence:x6}");
    }

    private static MessageActionResolver CreateResolver()
    {
        var scorer = new MessageScorer(BuiltInChecks.Profanity, BuiltInChecks.Toxicity, null, new SpamModelHolder(SpamTestData.BundledClassifier),
            new ChatSpamHeuristics(new ChatSpamHeuristicsOptions()), new FloodDetector(new FloodDetectorOptions()), new ScoringOptions());
        var policies = new ModerationPolicyProvider(new NoPolicyOverrides(), Microsoft.Extensions.Options.Options.Create(new ModerationPolicyOptions()),
            NullLogger<ModerationPolicyProvider>.Instance);
        return new MessageActionResolver(scorer, policies, Microsoft.Extensions.Options.Options.Create(new ModerationHandlingOptions()));
    }

    private sealed class NoPolicyOverrides : IModerationPolicyStore
    {
        public Task<IReadOnlyList<WorkspacePolicyOverride>> LoadOverridesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<WorkspacePolicyOverride>>([]);
    }
}
