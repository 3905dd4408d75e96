using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Lexicons;
using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Toxicity;

public sealed class ToxicityLexiconCheckTests
{
    private static readonly Lexicon Lexicon = new("test", [
        new LexiconEntry("idiot", ToxicityCategories.Insult, 2),
        new LexiconEntry("stupid", ToxicityCategories.Insult, 1) { RequiresTarget = true },
        new LexiconEntry("fuck you", ToxicityCategories.Insult, 3),
        new LexiconEntry("kill yourself", ToxicityCategories.Threat, 3),
        new LexiconEntry("i will find you", ToxicityCategories.Threat, 2) { AtClauseEnd = true },
        new LexiconEntry("immigrants are vermin", ToxicityCategories.IdentityAttack, 3),
    ])
    {
        WordLists = new Dictionary<string, IReadOnlyList<string>>
        {
            [ToxicityLexiconCheck.SecondPersonList] = ["you", "you're", "ur", "u"],
            [ToxicityLexiconCheck.TargetLinksList] = ["are", "r", "a", "an", "such", "so", "total", "fucking"],
        },
    };

    private static readonly ToxicityLexiconCheck Check = new(Lexicon);

    private static CheckResult Score(string message) => Check.Score(new ScoringInput(message));

    [Fact]
    public void Score_CleanMessage_IsClean()
    {
        Assert.Equal(CheckResult.Clean, Score("see you at lunch"));
    }

    [Fact]
    public void Score_Threat_SignalsItsCategoryAndPhrase()
    {
        var result = Score("just kill yourself");

        Assert.Equal(["toxicity.threat:kill yourself"], result.Signals);
        Assert.Equal(0.85 * 1.15, result.Score, precision: 4);
    }

    [Fact]
    public void Score_ThreatAndIdentityAttack_WeighMoreThanAnInsult()
    {
        var insult = Score("what an idiot").Score;

        Assert.True(Score("i will find you.").Score > insult);
        Assert.True(Score("immigrants are vermin").Score > insult);
    }

    [Theory]
    [InlineData("you idiot")]
    [InlineData("you are an idiot")]
    [InlineData("you're such a total fucking idiot")]
    [InlineData("shut up, u idiot")]
    public void Score_InsultAimedAtTheReader_WeighsMoreAndSaysSo(string message)
    {
        var result = Score(message);

        Assert.Equal(["toxicity.insult:idiot(targeted)"], result.Signals);
        Assert.Equal(0.7, result.Score, precision: 4);
    }

    [Theory]
    [InlineData("what an idiot")]
    [InlineData("you know, the idiot who parked here")] // the clause ends after "you"
    [InlineData("you said the idiot left")] // "said" is not a link word
    public void Score_InsultNotAimedAtTheReader_WeighsTheBaseWeight(string message)
    {
        var result = Score(message);

        Assert.Equal(["toxicity.insult:idiot"], result.Signals);
        Assert.Equal(0.4, result.Score, precision: 4);
    }

    [Theory]
    [InlineData("this stupid printer")]
    [InlineData("you know what's stupid")]
    public void Score_TargetOnlyInsultWithoutTarget_DoesNotFire(string message)
    {
        Assert.Equal(CheckResult.Clean, Score(message));
    }

    [Theory]
    [InlineData("you are so stupid")]
    [InlineData("ur stupid")]
    public void Score_TargetOnlyInsultWithTarget_Fires(string message)
    {
        Assert.Equal(["toxicity.insult:stupid(targeted)"], Score(message).Signals);
    }

    [Fact]
    public void Score_InsultChain_CarriesTheTargetThroughOtherInsults()
    {
        var result = Score("you stupid idiot");

        Assert.Equal(["toxicity.insult:idiot(targeted)", "toxicity.insult:stupid(targeted)"], result.Signals);
    }

    [Fact]
    public void Score_InsultPhraseContainingYou_IsTargeted()
    {
        Assert.Equal(["toxicity.insult:fuck you(targeted)"], Score("well fuck you then").Signals);
    }

    [Fact]
    public void Score_SeveralCategories_CombineTowardsOne()
    {
        var result = Score("you idiot, kill yourself. immigrants are vermin");

        Assert.Equal(3, result.Signals.Count);
        Assert.Equal(1 - ((1 - 0.9775) * (1 - 0.9775) * (1 - 0.7)), result.Score, precision: 4);
    }

    [Fact]
    public void Constructor_LexiconWithUnknownCategory_Throws()
    {
        var lexicon = new Lexicon("bad", [new LexiconEntry("x", "profanity", 1)]);

        var error = Assert.Throws<ArgumentException>(() => new ToxicityLexiconCheck(lexicon));

        Assert.Contains("profanity", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("i will find you a seat")]
    [InlineData("I'm going to shoot you an email")]
    [InlineData("you'll kill yourself laughing at this")]
    [InlineData("an idiot-proof installer")]
    public void Score_BuiltInLexicon_LeavesLookAlikeChatAlone(string message)
    {
        Assert.Equal(CheckResult.Clean, BuiltInChecks.Toxicity.Score(new ScoringInput(message)));
    }

    [Theory]
    [InlineData("I'm going to shoot you.", "toxicity.threat:i'm going to shoot you")]
    [InlineData("gays should be exterminated", "toxicity.identity_attack:gays should be exterminated")]
    [InlineData("you are worthless", "toxicity.insult:worthless(targeted)")]
    public void Score_BuiltInLexicon_CatchesDocumentedExamples(string message, string signal)
    {
        Assert.Contains(signal, BuiltInChecks.Toxicity.Score(new ScoringInput(message)).Signals);
    }
}
