namespace QuikApp.Workers.Moderation.Tests.Scoring;

/// <summary>
/// The committed corpora as specifications: every evasion is caught, no ordinary chat line fires. A line that fails
/// here is either a lexicon or normaliser bug, or a deliberate trade-off that belongs in docs/moderation.md.
/// </summary>
public sealed class CorpusTests
{
    public static TheoryData<string> Evasions => Corpus.Lines("evasion.txt");

    public static TheoryData<string> CleanChat => Corpus.Lines("clean.txt");

    [Theory]
    [MemberData(nameof(Evasions))]
    public void Score_EvasionCorpusLine_IsCaughtByProfanityOrToxicity(string message)
    {
        var input = new QuikApp.Workers.Moderation.Scoring.ScoringInput(message);

        var profanity = BuiltInChecks.Profanity.Score(input);
        var toxicity = BuiltInChecks.Toxicity.Score(input);

        Assert.True(
            profanity.Signals.Count > 0 || toxicity.Signals.Count > 0,
            $"not caught: \"{message}\"");
        Assert.True(Math.Max(profanity.Score, toxicity.Score) >= 0.4, $"caught too weakly: \"{message}\"");
    }

    [Theory]
    [MemberData(nameof(CleanChat))]
    public void Score_CleanCorpusLine_FiresNothing(string message)
    {
        var input = new QuikApp.Workers.Moderation.Scoring.ScoringInput(message);

        var profanity = BuiltInChecks.Profanity.Score(input);
        var toxicity = BuiltInChecks.Toxicity.Score(input);

        Assert.True(profanity.Signals.Count == 0, $"profanity fired on \"{message}\": {string.Join(", ", profanity.Signals)}");
        Assert.True(toxicity.Signals.Count == 0, $"toxicity fired on \"{message}\": {string.Join(", ", toxicity.Signals)}");
    }

    [Fact]
    public void Corpora_AreLargeEnoughToMeanSomething()
    {
        Assert.True(Corpus.Read("evasion.txt").Count >= 60);
        Assert.True(Corpus.Read("clean.txt").Count >= 150);
    }
}
