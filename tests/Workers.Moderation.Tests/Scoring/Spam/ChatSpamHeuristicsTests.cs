using Microsoft.Extensions.Configuration;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

/// <summary>Each chat spam heuristic fires on spam and stays quiet on ordinary chat.</summary>
public sealed class ChatSpamHeuristicsTests
{
    private readonly ChatSpamHeuristics _heuristics = new(new ChatSpamHeuristicsOptions());

    [Theory]
    [InlineData("hey, the design doc is at https://docs.example.com/design — comments welcome")]
    [InlineData("OK!!")]
    [InlineData("LGTM 👍")]
    [InlineData("Soooo good, thanks!!! 🎉🎉🎉")]
    [InlineData("NASA and the EU announced it on CNN today")]
    [InlineData("is the free tier enough for the demo? click the button on the left")]
    [InlineData("I made 3 commits a day this week")]
    [InlineData("在频道里讨论一下这个问题吧，谢谢大家的帮助和支持")]
    public void Check_OrdinaryChat_IsClean(string content)
    {
        Assert.Equal(CheckResult.Clean, _heuristics.Check(new ScoringInput(content)));
    }

    [Fact]
    public void Check_MentioningTwoColleagues_IsClean()
    {
        Assert.Equal(CheckResult.Clean, _heuristics.Check(new ScoringInput("@ana @ben can you take a look?", MentionCount: 2)));
    }

    [Fact]
    public void Check_CodeBlocksWithCapitalsWallsAndLinks_IsClean()
    {
        const string Content = """
            this query is slow, any idea? `SELECT_ALL_USERS_NOW` runs first
            ```sql
            SELECT * FROM USERS WHERE ID = 1 AND NAME = 'AAAAAAAAAAAAAAAAAAAA';
            -- ==============================================
            -- see https://a.example.com https://b.example.com https://c.example.com bit.ly/x
            ```
            """;

        Assert.Equal(CheckResult.Clean, _heuristics.Check(new ScoringInput(Content)));
    }

    [Fact]
    public void Check_ManyLinksOverManyDomains_SignalsCountAndDomains()
    {
        var result = _heuristics.Check(new ScoringInput("https://a.com/1 https://a.com/2 www.b.org c.net/x"));

        Assert.Equal(["spam.links:4", "spam.domains:3"], result.Signals);
    }

    [Fact]
    public void Check_ShortenerLinks_NameEachShortenerAndWeighOnce()
    {
        var result = _heuristics.Check(new ScoringInput("check bit.ly/abc and https://tinyurl.com/xyz"));

        Assert.Equal(["spam.shortener:bit.ly", "spam.shortener:tinyurl.com"], result.Signals);
        Assert.Equal(0.35, result.Score, 9);
    }

    [Fact]
    public void Check_SuspiciousDomain_NamesIt()
    {
        var result = _heuristics.Check(new ScoringInput("lol look at this https://grabify.link/ABC123"));

        Assert.Equal(["spam.suspicious-domain:grabify.link"], result.Signals);
    }

    [Fact]
    public void Check_AllowListedLinks_AreNotCounted()
    {
        var heuristics = new ChatSpamHeuristics(new ChatSpamHeuristicsOptions { AllowedDomains = ["quikapp.io", "github.com"] });

        var result = heuristics.Check(new ScoringInput("https://quikapp.io/a https://docs.quikapp.io/b https://github.com/x/y/pull/1 see.example.com"));

        Assert.Equal(CheckResult.Clean, result);
    }

    [Fact]
    public void Check_ManyMentions_SignalsTheCount()
    {
        var result = _heuristics.Check(new ScoringInput("hi all", MentionCount: 25));

        Assert.Equal(["spam.mentions:25"], result.Signals);
        Assert.Equal(0.5, result.Score, 9);
    }

    [Fact]
    public void Check_EveryoneMention_Signals()
    {
        Assert.Equal(["spam.everyone"], _heuristics.Check(new ScoringInput("deploy at 5", MentionsEveryone: true)).Signals);
    }

    [Theory]
    [InlineData("THIS IS THE BEST DEAL EVER BUY NOW", "spam.shouting:1.00")]
    [InlineData("WHY DOES NOBODY ANSWER MY QUESTIONS here", "spam.shouting:0.88")]
    public void Check_MostlyCapitals_SignalsShoutingShare(string content, string expected)
    {
        Assert.Equal([expected], _heuristics.Check(new ScoringInput(content)).Signals);
    }

    [Fact]
    public void Check_CharacterWall_SignalsTheLongestRun()
    {
        Assert.Equal(["spam.repeat:20"], _heuristics.Check(new ScoringInput("hahahaha aaaaaaaaaaaaaaaaaaaa")).Signals);
    }

    [Fact]
    public void Check_EmojiWall_SignalsCountAndRun()
    {
        var result = _heuristics.Check(new ScoringInput(string.Concat(Enumerable.Repeat("🔥", 16)) + " sale " + "💰🚀💎"));

        Assert.Equal(["spam.repeat:16", "spam.emoji:19"], result.Signals);
    }

    [Theory]
    [InlineData("get FREE NITRO here", "free-stuff")]
    [InlineData("huge Bitcoin giveaway today, send 0.1 get 0.2", "crypto")]
    [InlineData("double your ETH in 24h", "crypto")]
    [InlineData("Click here to see", "click-here")]
    [InlineData("earn $500 a day from home", "easy-money")]
    [InlineData("make 3k per week with this trick", "easy-money")]
    [InlineData("Congrats, you've won an iPhone", "prize")]
    [InlineData("limited time offer for members", "urgency")]
    public void Check_BaitPhrase_SignalsItsPattern(string content, string pattern)
    {
        var result = _heuristics.Check(new ScoringInput(content));

        Assert.Equal([$"spam.bait:{pattern}"], result.Signals);
        Assert.Contains(pattern, ChatSpamHeuristics.BaitPatternNames);
    }

    [Fact]
    public void Check_SeveralHeuristics_CombineAsIndependentEvidence()
    {
        var result = _heuristics.Check(new ScoringInput("FREE NITRO CLICK HERE bit.ly/n1 bit.ly/n2 bit.ly/n3", MentionsEveryone: true));

        Assert.Equal(
            ["spam.links:3", "spam.shortener:bit.ly", "spam.everyone", "spam.shouting:1.00", "spam.bait:free-stuff", "spam.bait:click-here"],
            result.Signals);
        var expected = 1 - ((1 - 0.35) * (1 - 0.35) * (1 - 0.2) * (1 - 0.2) * (1 - 0.3) * (1 - 0.3));
        Assert.Equal(expected, result.Score, 9);
    }

    [Fact]
    public void Check_WeightZero_TurnsThatHeuristicOff()
    {
        var heuristics = new ChatSpamHeuristics(new ChatSpamHeuristicsOptions { EveryoneWeight = 0 });

        Assert.Equal(CheckResult.Clean, heuristics.Check(new ScoringInput("standup now", MentionsEveryone: true)));
    }

    [Fact]
    public void WithoutCode_UnclosedFence_BlanksToTheEnd()
    {
        var text = ChatSpamHeuristics.WithoutCode("look: ```\nAAAAAAAAAAAAAAAAAAAAAA");

        Assert.DoesNotContain("AAAA", text, StringComparison.Ordinal);
        Assert.StartsWith("look:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ListsFromConfiguration_AreAddedToTheDefaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Moderation:Spam:Heuristics:Shorteners:0"] = "sho.rt",
                ["Moderation:Spam:Heuristics:AllowedDomains:0"] = "quikapp.io",
                ["Moderation:Spam:Heuristics:ManyMentions"] = "20",
            })
            .Build();

        var options = configuration.GetSection(ChatSpamHeuristicsOptions.SectionName).Get<ChatSpamHeuristicsOptions>()!;

        Assert.Contains("sho.rt", options.Shorteners);
        Assert.Contains("bit.ly", options.Shorteners);
        Assert.Equal(["quikapp.io"], options.AllowedDomains);
        Assert.Equal(20, options.ManyMentions);
    }
}
