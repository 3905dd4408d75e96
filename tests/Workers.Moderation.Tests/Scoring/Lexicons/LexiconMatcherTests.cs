using QuikApp.Workers.Moderation.Scoring.Lexicons;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Lexicons;

public sealed class LexiconMatcherTests
{
    private static readonly LexiconMatcher Matcher = new([
        new LexiconEntry("ass", "profanity", 2),
        new LexiconEntry("cunt", "profanity", 3),
        new LexiconEntry("shit", "profanity", 2),
        new LexiconEntry("tit", "profanity", 1),
        new LexiconEntry("cock", "profanity", 2),
        new LexiconEntry("sex", "profanity", 1),
        new LexiconEntry("rape", "profanity", 3),
        new LexiconEntry("anal", "profanity", 1),
        new LexiconEntry("boob", "profanity", 1),
        new LexiconEntry("piece of shit", "profanity", 3),
        new LexiconEntry("pu55y", "profanity", 2),
        new LexiconEntry("pussy", "profanity", 3),
        new LexiconEntry("i will find you", "threat", 2) { AtClauseEnd = true },
        new LexiconEntry("moby dick", LexiconMatcher.AllowCategory, 1),
        new LexiconEntry("dick", "profanity", 2),
    ]);

    [Theory]
    [InlineData("Scunthorpe")]
    [InlineData("assassin")]
    [InlineData("class")]
    [InlineData("cocktail")]
    [InlineData("Essex and Sussex")]
    [InlineData("therapist")]
    [InlineData("grape")]
    [InlineData("analysis")]
    [InlineData("hello")]
    [InlineData("title")]
    [InlineData("pass the salt")]
    public void Match_TermInsideALongerWord_DoesNotMatch(string message)
    {
        Assert.Empty(Matcher.Match(message));
    }

    [Theory]
    [InlineData("ass", "ass")]
    [InlineData("what an ASS.", "ass")]
    [InlineData("(ass)", "ass")]
    [InlineData("cunt!", "cunt")]
    public void Match_WholeWord_Matches(string message, string term)
    {
        Assert.Equal(term, Assert.Single(Matcher.Match(message)).Entry.Term);
    }

    [Fact]
    public void Match_Phrase_ReportsThePhraseNotTheWordInsideIt()
    {
        var match = Assert.Single(Matcher.Match("you piece of shit"));

        Assert.Equal("piece of shit", match.Entry.Term);
        Assert.Equal(1, match.FirstToken);
        Assert.Equal(3, match.TokenCount);
    }

    [Fact]
    public void Match_Span_PointsAtTheOriginalCharacters()
    {
        const string message = "well, p.i.e.c.e of $h1t!";

        var match = Assert.Single(Matcher.Match(message));

        Assert.Equal("p.i.e.c.e of $h1t", message[match.Original.Start..match.Original.End]);
    }

    [Theory]
    [InlineData("shiiiiit")]
    [InlineData("SHIIIIT")]
    [InlineData("sh1iiit")]
    public void Match_StretchedWord_MatchesTheLexiconWord(string message)
    {
        Assert.Equal("shit", Assert.Single(Matcher.Match(message)).Entry.Term);
    }

    [Theory]
    [InlineData("bobbbb")] // same letters as "boob", but its double o isn't there
    [InlineData("asss asss")]
    public void Match_StretchedWord_RespectsTheLexiconWordsRuns(string message)
    {
        var matches = Matcher.Match(message);

        Assert.All(matches, m => Assert.Equal("ass", m.Entry.Term));
        Assert.DoesNotContain(matches, m => m.Entry.Term == "boob");
    }

    [Fact]
    public void Match_AmbiguousLeetDigit_MatchesEitherReading()
    {
        var lexicon = new LexiconMatcher([new LexiconEntry("slut", "profanity", 3)]);

        Assert.Single(lexicon.Match("s1ut"));
    }

    [Fact]
    public void Match_PluralOfASingleWordTerm_Matches()
    {
        Assert.Equal("cock", Assert.Single(Matcher.Match("cocks")).Entry.Term);
    }

    [Fact]
    public void Match_ClauseEndTerm_MatchesOnlyWhereTheClauseEnds()
    {
        Assert.Single(Matcher.Match("I will find you."));
        Assert.Single(Matcher.Match("i will find you, trust me"));
        Assert.Empty(Matcher.Match("I will find you a seat"));
    }

    [Fact]
    public void Match_AllowPhrase_HidesTheWordInsideAndIsNotReported()
    {
        Assert.Empty(Matcher.Match("I finally read Moby Dick"));
        Assert.Single(Matcher.Match("what a dick"));
    }

    [Fact]
    public void Constructor_SpellingsThatNormaliseAlike_KeepTheMoreSevere()
    {
        var match = Assert.Single(Matcher.Match("pussy"));

        Assert.Equal(3, match.Entry.Severity);
    }

    [Fact]
    public void Match_RepeatedTerm_ReportsEachOccurrence()
    {
        var matches = Matcher.Match("shit shit, ass");

        Assert.Equal(["shit", "shit", "ass"], matches.Select(m => m.Entry.Term));
        Assert.Equal([0, 1, 2], matches.Select(m => m.FirstToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("nothing to see here")]
    public void Match_CleanOrEmpty_ReturnsNothing(string message)
    {
        Assert.Empty(Matcher.Match(message));
    }

    [Fact]
    public void TermCount_CountsDistinctNormalisedTerms()
    {
        Assert.Equal(14, Matcher.TermCount); // pu55y and pussy are one term
    }
}
