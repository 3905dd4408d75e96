using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Lexicons;
using QuikApp.Workers.Moderation.Scoring.Profanity;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Profanity;

public sealed class ProfanityCheckTests
{
    private static readonly Lexicon Lexicon = new("test", [
        new LexiconEntry("crap", "profanity", 1),
        new LexiconEntry("damnit", "profanity", 1),
        new LexiconEntry("shit", "profanity", 2),
        new LexiconEntry("bitch", "profanity", 2),
        new LexiconEntry("fuck", "profanity", 3),
        new LexiconEntry("cunt", "profanity", 3),
    ]);

    private static readonly ProfanityCheck Check = new(Lexicon);

    private static CheckResult Score(string message) => Check.Score(new ScoringInput(message));

    [Fact]
    public void Score_CleanMessage_IsCleanWithNoSignals()
    {
        Assert.Equal(CheckResult.Clean, Score("have a lovely day"));
    }

    [Theory]
    [InlineData("crap", 0.45)]
    [InlineData("shit", 0.7)]
    [InlineData("fuck", 0.9)]
    public void Score_OneTerm_ScoresItsSeverityWeight(string message, double expected)
    {
        Assert.Equal(expected, Score(message).Score, precision: 4);
    }

    [Fact]
    public void Score_HigherSeverity_ScoresHigher()
    {
        Assert.True(Score("crap").Score < Score("shit").Score);
        Assert.True(Score("shit").Score < Score("fuck").Score);
    }

    [Fact]
    public void Score_SeveralTerms_SaturateTowardsOneWithoutReachingIt()
    {
        var one = Score("crap").Score;
        var two = Score("crap damnit").Score;
        var many = Score("crap damnit shit bitch fuck cunt").Score;

        Assert.True(one < two && two < many);
        Assert.Equal(1 - (0.55 * 0.55), two, precision: 4);
        Assert.InRange(many, 0.99, 1.0);
        Assert.True(many < 1.0);
    }

    [Fact]
    public void Score_RepeatedTerm_CountsOnce()
    {
        Assert.Equal(Score("fuck").Score, Score("fuck fuck FUCK f.u.c.k").Score);
        Assert.Single(Score("fuck fuck").Signals);
    }

    [Fact]
    public void Score_Signals_NameTermAndSeverityMostSevereFirst()
    {
        var result = Score("crap, this shit is fucked... no, fuck");

        Assert.Equal(["profanity:fuck(severity 3)", "profanity:shit(severity 2)", "profanity:crap(severity 1)"], result.Signals);
    }

    [Fact]
    public void Score_Signals_NameTheLexiconTermNotTheDisguise()
    {
        Assert.Equal(["profanity:shit(severity 2)"], Score("$h!iiiit").Signals);
    }

    [Fact]
    public void Score_MoreTermsThanMaxSignals_SummarisesTheRest()
    {
        var check = new ProfanityCheck(Lexicon, new ProfanityOptions { MaxSignals = 2 });

        var result = check.Score(new ScoringInput("crap damnit shit bitch"));

        Assert.Equal(3, result.Signals.Count);
        Assert.Equal("profanity:+2 more", result.Signals[^1]);
    }

    [Fact]
    public void Score_CustomWeights_AreUsed()
    {
        var check = new ProfanityCheck(Lexicon, new ProfanityOptions { MildWeight = 0.1, SevereWeight = 0.95 });

        Assert.Equal(0.1, check.Score(new ScoringInput("crap")).Score, precision: 4);
        Assert.Equal(0.95, check.Score(new ScoringInput("cunt")).Score, precision: 4);
    }

    [Theory]
    [InlineData(-0.1, 0.7, 0.9)]
    [InlineData(0.45, 1.0, 0.9)]
    [InlineData(0.45, 0.7, 1.5)]
    public void Constructor_WeightOutOfRange_Throws(double mild, double moderate, double severe)
    {
        var options = new ProfanityOptions { MildWeight = mild, ModerateWeight = moderate, SevereWeight = severe };

        Assert.Throws<ArgumentException>(() => new ProfanityCheck(Lexicon, options));
    }

    [Theory]
    [InlineData("fuck", 0.9)]
    [InlineData("shit", 0.7)]
    [InlineData("crap", 0.45)]
    [InlineData("motherfucker", 0.9)]
    [InlineData("hijo de puta", 0.9)]
    public void Score_BuiltInLexicon_RatesCommonTermsAsDocumented(string message, double expected)
    {
        Assert.Equal(expected, BuiltInChecks.Profanity.Score(new ScoringInput(message)).Score, precision: 4);
    }
}
