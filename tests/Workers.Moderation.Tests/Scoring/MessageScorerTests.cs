using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Profanity;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Tests.Scoring;

public class MessageScorerTests
{
    private static MessageScorer Create(ScoringOptions? options = null) => new(
        ProfanityCheck.CreateBuiltIn(),
        ToxicityLexiconCheck.CreateBuiltIn(),
        null,
        new SpamModelHolder(BundledSpamModel.Load()),
        new ChatSpamHeuristics(new ChatSpamHeuristicsOptions()),
        new FloodDetector(new FloodDetectorOptions()),
        options ?? new ScoringOptions());

    private static ScoringInput Input(string content, Guid user, Guid channel, DateTimeOffset at) => new(content, user, channel, Guid.NewGuid(), 0, false, at);

    [Fact]
    public void Score_IdenticalContentFromOneUser_IsCachedForContentButStillCountsAsAFlood()
    {
        using var scorer = Create();
        var user = Guid.NewGuid();
        var channel = Guid.NewGuid();
        var at = DateTimeOffset.UnixEpoch;

        var verdicts = Enumerable.Range(0, 8)
            .Select(i => scorer.Score(Input("join my server now", user, channel, at.AddSeconds(i)), ModerationPolicy.Default))
            .ToList();

        Assert.Single(verdicts.Select(v => v.ContentHash).Distinct());
        Assert.DoesNotContain(verdicts[0].Verdict.Spam.Signals, s => s.StartsWith("spam.flood", StringComparison.Ordinal));
        Assert.Contains(verdicts[^1].Verdict.Spam.Signals, s => s.StartsWith("spam.flood", StringComparison.Ordinal));
        Assert.True(verdicts[^1].Verdict.Spam.Score > verdicts[0].Verdict.Spam.Score);
    }

    [Fact]
    public void Score_ContentHash_IgnoresCaseAndSpacingButNotWords()
    {
        using var scorer = Create();
        var a = scorer.Score(new ScoringInput("Hello   World"), ModerationPolicy.Default).ContentHash;
        var b = scorer.Score(new ScoringInput("hello world"), ModerationPolicy.Default).ContentHash;
        var c = scorer.Score(new ScoringInput("hello there"), ModerationPolicy.Default).ContentHash;

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Score_SpamModelAlone_CannotFlagWithTheDefaultWeight()
    {
        // The bootstrap model calls much casual chat spam (docs/moderation.md): on its own it must stay below the flag line.
        using var scorer = Create();

        var verdict = scorer.Score(new ScoringInput("I will be 5 minutes late, sorry"), ModerationPolicy.Default).Verdict;

        Assert.Equal(ModerationAction.Allow, verdict.Action);
        Assert.True(verdict.Spam.Score < ModerationPolicy.Default.Spam.Flag);
    }

    [Fact]
    public void Score_EmptyContent_IsAllowedWithNoSignals()
    {
        using var scorer = Create();

        var verdict = scorer.Score(new ScoringInput(string.Empty), ModerationPolicy.Default).Verdict;

        Assert.Equal(ModerationAction.Allow, verdict.Action);
        Assert.Empty(verdict.Signals);
    }

    [Fact]
    public void Score_ModelSwap_IsNotAnsweredFromTheOldModelsCache()
    {
        var holder = new SpamModelHolder(BundledSpamModel.Load());
        using var scorer = new MessageScorer(ProfanityCheck.CreateBuiltIn(), ToxicityLexiconCheck.CreateBuiltIn(), null, holder,
            new ChatSpamHeuristics(new ChatSpamHeuristicsOptions()), new FloodDetector(new FloodDetectorOptions()), new ScoringOptions());
        var before = scorer.Score(new ScoringInput("quarterly report attached"), ModerationPolicy.Default);

        var retrained = SpamModelTrainer.TrainAndEvaluate(
            Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? $"quarterly report attached {i}" : $"hello team {i}", i % 2 == 0)), seed: 1);
        holder.Swap(SpamClassifier.Load(retrained.ToZip()));
        var after = scorer.Score(new ScoringInput("quarterly report attached"), ModerationPolicy.Default);

        Assert.NotEqual(before.Models.Spam, after.Models.Spam);
    }
}
