using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

public sealed class ChatSmokeSetTests
{
    [Fact]
    public void Score_BundledModel_MatchesTheCommittedReportAndRanksChatSpamAboveChatHamMostly()
    {
        var set = ChatSmokeSet.Parse(File.ReadAllText(SpamTestData.ChatSmokePath));

        var result = ChatSmokeSet.Score(SpamTestData.BundledClassifier.Probability, set);

        Assert.Equal(BundledSpamModel.ReadReport().ChatSmoke, result);
        // The e-mail-trained bootstrap orders most chat spam above most chat ham, but not all: see docs/moderation.md.
        Assert.True(result.AreaUnderRocCurve >= 0.85, $"chat smoke AUC {result.AreaUnderRocCurve}");
    }

    [Fact]
    public void Score_ProbabilityFunction_CountsPairsAndThresholds()
    {
        (string, bool)[] set = [("a", false), ("b", false), ("c", true), ("d", true)];
        var p = new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.95, ["c"] = 0.6, ["d"] = 0.95 };

        var result = ChatSmokeSet.Score(t => p[t], set);

        // Pairs (spam, ham): c>a 1, c<b 0, d>a 1, d=b 0.5 → 2.5 / 4.
        Assert.Equal(new ChatSmokeResult(Ham: 2, Spam: 2, AreaUnderRocCurve: 0.625, HamAboveHalf: 1, SpamAboveHalf: 2, HamAbove09: 1, SpamAbove09: 1), result);
    }

    [Theory]
    [InlineData("text\nhello\n")]
    [InlineData("label\ttext\nmaybe\thello\n")]
    [InlineData("label\ttext\nno tab here\n")]
    public void Parse_MalformedFile_IsRefused(string tsv) =>
        Assert.Throws<InvalidDataException>(() => ChatSmokeSet.Parse(tsv));
}
