using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Scoring;

namespace QuikApp.Workers.Moderation.Tests.Scoring;

public class VerdictFusionTests
{
    private static readonly ModerationPolicy Policy = new(new CheckThresholds(0.5, 0.9), new CheckThresholds(0.7, 0.95), new CheckThresholds(0.6, 0.8), "test");

    private static CheckResult Score(double score, params string[] signals) => new(score, signals);

    [Fact]
    public void Fuse_AllBelowFlag_Allows()
    {
        var verdict = VerdictFusion.Fuse(Score(0.1), Score(0.69), Score(0.59), Policy);

        Assert.Equal(ModerationAction.Allow, verdict.Action);
        Assert.False(verdict.Spam.Flagged);
        Assert.Equal(0.69, verdict.OverallScore);
    }

    [Fact]
    public void Fuse_OneCheckAtItsFlagThreshold_FlagsAndMarksOnlyThatCheck()
    {
        var verdict = VerdictFusion.Fuse(Score(0.1), Score(0.7, "spam.links:4"), Score(0.2), Policy);

        Assert.Equal(ModerationAction.Flag, verdict.Action);
        Assert.True(verdict.Spam.Flagged);
        Assert.False(verdict.Profanity.Flagged);
        Assert.False(verdict.Toxicity.Flagged);
        Assert.Equal(["spam.links:4"], verdict.Signals);
    }

    [Fact]
    public void Fuse_OneCheckAtItsBlockThreshold_Blocks()
    {
        var verdict = VerdictFusion.Fuse(Score(0.2), Score(0.1), Score(0.8), Policy);

        Assert.Equal(ModerationAction.Block, verdict.Action);
        Assert.Equal(0.8, verdict.OverallScore);
    }

    [Fact]
    public void Fuse_ThresholdsArePerCheck_TheSameScoreFlagsOneCheckButNotAnother()
    {
        // 0.55 is above profanity's flag (0.5) and below spam's (0.7).
        Assert.Equal(ModerationAction.Flag, VerdictFusion.Fuse(Score(0.55), Score(0), Score(0), Policy).Action);
        Assert.Equal(ModerationAction.Allow, VerdictFusion.Fuse(Score(0), Score(0.55), Score(0), Policy).Action);
    }

    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(-0.5, 0)]
    [InlineData(1.7, 1)]
    public void Fuse_OutOfRangeScores_AreClampedNotTrusted(double raw, double expected)
    {
        var verdict = VerdictFusion.Fuse(Score(raw), Score(0), Score(0), Policy);

        Assert.Equal(expected, verdict.Profanity.Score);
    }

    [Fact]
    public void Fuse_RecordsThePolicyVersion()
    {
        Assert.Equal("test", VerdictFusion.Fuse(Score(0), Score(0), Score(0), Policy).PolicyVersion);
    }

    [Fact]
    public void DefaultPolicy_FlagsBelowBlockForEveryCheck()
    {
        Assert.Empty(ModerationPolicy.Default.Problems());
    }

    [Fact]
    public void Problems_FlagAboveBlock_NamesTheCheck()
    {
        var policy = ModerationPolicy.Default with { Spam = new CheckThresholds(0.9, 0.5) };

        Assert.Contains(policy.Problems(), p => p.StartsWith("Spam", StringComparison.Ordinal));
    }
}
