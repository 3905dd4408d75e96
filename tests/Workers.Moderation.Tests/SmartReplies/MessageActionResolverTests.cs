using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using QuikApp.Workers.Moderation.Handling;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Moderation.Tests.Scoring;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;
using QuikApp.Workers.Shared.Events;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>Which verdict applies to a context message: the stored one for its content, or one scored now.</summary>
public sealed class MessageActionResolverTests
{
    private const string Clean = "anyone tried the new espresso machine?";
    private const string Profane = "this is fucking bullshit";

    private readonly FloodDetector _flood = new(new FloodDetectorOptions { RepeatThreshold = 2 });
    private readonly MessageActionResolver _resolver;

    public MessageActionResolverTests()
    {
        var scorer = new MessageScorer(BuiltInChecks.Profanity, BuiltInChecks.Toxicity, null, new SpamModelHolder(SpamTestData.BundledClassifier),
            new ChatSpamHeuristics(new ChatSpamHeuristicsOptions()), _flood, new ScoringOptions());
        var policies = new ModerationPolicyProvider(new NoOverrides(), MsOptions.Create(new ModerationPolicyOptions()), NullLogger<ModerationPolicyProvider>.Instance);
        _resolver = new MessageActionResolver(scorer, policies, MsOptions.Create(new ModerationHandlingOptions { MaxScoredLength = 100 }));
    }

    [Fact]
    public void Resolve_StoredVerdictForThisContent_IsUsedAsStored()
    {
        var message = Message(Clean);

        Assert.Equal(ModerationAction.Flag, _resolver.Resolve(message, Stored(message, ModerationAction.Flag, Clean)));
    }

    [Fact]
    public void Resolve_NoStoredVerdict_ScoresTheContentNow()
    {
        Assert.Equal(ModerationAction.Allow, _resolver.Resolve(Message(Clean), null));
        Assert.NotEqual(ModerationAction.Allow, _resolver.Resolve(Message(Profane), null));
    }

    [Fact]
    public void Resolve_StoredVerdictForOtherContent_TheStricterOfBothApplies()
    {
        var nowProfane = Message(Profane);
        var nowClean = Message(Clean);

        Assert.NotEqual(ModerationAction.Allow, _resolver.Resolve(nowProfane, Stored(nowProfane, ModerationAction.Allow, "the old clean text")));
        Assert.Equal(ModerationAction.Flag, _resolver.Resolve(nowClean, Stored(nowClean, ModerationAction.Flag, "the old flagged text")));
    }

    [Fact]
    public void Resolve_OverLongContent_MatchesTheHashOfTheJudgedHead()
    {
        var content = Clean + new string('!', 200);
        var message = Message(content);

        Assert.Equal(ModerationAction.Block, _resolver.Resolve(message, Stored(message, ModerationAction.Block, content[..100])));
    }

    [Fact]
    public void Resolve_ScoringOnTheFly_LeavesTheFloodDetectorUntouched()
    {
        for (var i = 0; i < 5; i++)
        {
            _resolver.Resolve(Message("same text again and again"), null);
        }

        Assert.Equal(0, _flood.TrackedUsers);
    }

    private static ChatMessage Message(string content) => new(ObjectId.GenerateNewId(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), content,
        MessageContentType.Text, null, new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), false);

    private static StoredModeration Stored(ChatMessage message, ModerationAction action, string judgedContent) =>
        new(message.Id, action, ContentHash.Of(judgedContent), false);

    private sealed class NoOverrides : IModerationPolicyStore
    {
        public Task<IReadOnlyList<WorkspacePolicyOverride>> LoadOverridesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<WorkspacePolicyOverride>>([]);
    }
}
