using System.Text;
using QuikApp.Workers.Moderation.Scoring.Lexicons;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Lexicons;

public sealed class LexiconLoaderTests
{
    [Fact]
    public void LoadBuiltIn_Profanity_HasTheGeneratedTermsWithSources()
    {
        var lexicon = LexiconLoader.LoadBuiltIn(BuiltInLexicon.Profanity);

        Assert.Equal("profanity", lexicon.Name);
        Assert.True(lexicon.Entries.Count > 1000);
        var fuck = Assert.Single(lexicon.Entries, e => e.Term == "fuck");
        Assert.Equal(("profanity", 3, "cuss+naughty-words", "en"), (fuck.Category, fuck.Severity, fuck.Source, fuck.Language));
        Assert.All(lexicon.Entries, e => Assert.InRange(e.Severity, 1, 3));
    }

    [Fact]
    public void LoadBuiltIn_Toxicity_ExpandsTemplatesAndReadsWordLists()
    {
        var lexicon = LexiconLoader.LoadBuiltIn(BuiltInLexicon.Toxicity);

        Assert.Contains(lexicon.Entries, e => e.Term == "immigrants are vermin" && e.Category == "identity_attack");
        Assert.Contains(lexicon.Entries, e => e.Term == "i'll kill you" && e.Category == "threat");
        Assert.Contains(lexicon.Entries, e => e.Term == "i will find you" && e.AtClauseEnd);
        Assert.Contains("you", lexicon.WordList("secondPerson"));
        Assert.Empty(lexicon.WordList("no such list"));
    }

    [Fact]
    public async Task LoadAsync_WithOverridePath_ReadsTheOperatorsFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lexicon-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"schema":1,"lexicon":"ours","category":"profanity","terms":[{"term":"frak","severity":2}]}""", TestContext.Current.CancellationToken);
        try
        {
            var lexicon = await LexiconLoader.LoadAsync(BuiltInLexicon.Profanity, path, TestContext.Current.CancellationToken);

            Assert.Equal("ours", lexicon.Name);
            Assert.Equal(new LexiconEntry("frak", "profanity", 2), Assert.Single(lexicon.Entries));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task LoadAsync_WithoutOverridePath_LoadsTheBuiltIn(string? path)
    {
        var lexicon = await LexiconLoader.LoadAsync(BuiltInLexicon.Toxicity, path, TestContext.Current.CancellationToken);

        Assert.Equal("toxicity", lexicon.Name);
    }

    [Fact]
    public async Task LoadFileAsync_MissingFile_FailsNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => LexiconLoader.LoadFileAsync(path, TestContext.Current.CancellationToken));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "root must be an object")]
    [InlineData("""{"lexicon":"x","terms":[]}""", "\"schema\" must be 1")]
    [InlineData("""{"schema":2,"lexicon":"x","terms":[]}""", "\"schema\" must be 1")]
    [InlineData("""{"schema":1,"terms":[]}""", "\"lexicon\" is required")]
    [InlineData("""{"schema":1,"lexicon":"x","terms":[]}""", "no terms")]
    [InlineData("""{"schema":1,"lexicon":"x","terms":[{"term":"a","severity":1}]}""", "terms[0]: no \"category\"")]
    [InlineData("""{"schema":1,"lexicon":"x","category":"c","terms":[{"term":"a","severity":4}]}""", "terms[0]: \"severity\" must be 1, 2 or 3")]
    [InlineData("""{"schema":1,"lexicon":"x","category":"c","terms":[{"term":" ","severity":1}]}""", "terms[0]: \"term\" is empty")]
    [InlineData("""{"schema":1,"lexicon":"x","category":"c","terms":[{"term":"a","severity":1,"clauseEnd":"yes"}]}""", "\"clauseEnd\" must be true or false")]
    [InlineData("""{"schema":1,"lexicon":"x","category":"c","templates":[{"pattern":"{who} smells","severity":1}]}""", "slot {who}")]
    [InlineData("""{"schema":1,"lexicon":"x","category":"c","terms":[{"term":"a","severity":1}],"wordLists":{"l":[1]}}""", "\"wordLists.l\" must be an array of non-empty strings")]
    public void Parse_InvalidLexicon_FailsNamingTheOriginAndTheProblem(string json, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => LexiconLoader.Parse(Encoding.UTF8.GetBytes(json), "test.json"));

        Assert.Contains("test.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Template_ExpandsEveryCombinationOfSlotFillers()
    {
        const string json = """
            {"schema":1,"lexicon":"x","category":"c",
             "slots":{"who":["cats","dogs"],"what":["rule","drool"]},
             "templates":[{"pattern":"{who} {what}","severity":2,"requiresTarget":true}]}
            """;

        var lexicon = LexiconLoader.Parse(Encoding.UTF8.GetBytes(json), "test.json");

        Assert.Equal(["cats rule", "cats drool", "dogs rule", "dogs drool"], lexicon.Entries.Select(e => e.Term));
        Assert.All(lexicon.Entries, e => Assert.True(e.RequiresTarget));
    }
}
