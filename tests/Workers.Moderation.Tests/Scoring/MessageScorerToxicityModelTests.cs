using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Scoring.Toxicity;
using QuikApp.Workers.Moderation.Tests.Learning;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring;

/// <summary>A promoted toxicity model as an extra toxicity signal in <see cref="MessageScorer"/>.</summary>
public sealed class MessageScorerToxicityModelTests
{
    // Paraphrased harassment: no lexicon phrase, but the learnt model has seen the pattern.
    private const string Harassment = "nobody wants you here Alex, just leave";

    [Fact(Timeout = 60_000)]
    public async Task Score_PromotedToxicityModel_RaisesToxicityWithItsSignalAndVersion()
    {
        var holder = new ToxicityModelHolder();
        using var scorer = Scorer(holder);
        var before = scorer.Score(new ScoringInput(Harassment), ModerationPolicy.Default);
        var model = await Task.Run(() => ToxicityModelClassifier.Load(LearntModels.ToxicityZip), TestContext.Current.CancellationToken);

        holder.Swap(model);
        var after = scorer.Score(new ScoringInput(Harassment), ModerationPolicy.Default);

        Assert.Equal("lexicon", before.Models.Toxicity);
        Assert.Equal($"lexicon+model:{model.ModelVersion}", after.Models.Toxicity);
        var p = model.Probability(Harassment);
        Assert.True(p > before.Verdict.Toxicity.Score, $"model {p}, lexicon {before.Verdict.Toxicity.Score}");
        Assert.Equal(Math.Round(p, 4), after.Verdict.Toxicity.Score);   // verdicts carry four decimals
        Assert.Contains(ToxicityModelClassifier.Signal(p), after.Verdict.Toxicity.Signals);
    }

    [Fact(Timeout = 60_000)]
    public async Task Score_LexiconAboveTheModel_KeepsTheLexiconScoreWithoutTheModelSignal()
    {
        var holder = new ToxicityModelHolder();
        holder.Swap(await Task.Run(() => ToxicityModelClassifier.Load(LearntModels.ToxicityZip), TestContext.Current.CancellationToken));
        using var scorer = Scorer(holder);
        const string threat = "kill yourself";
        var lexicon = BuiltInChecks.Toxicity.Score(new ScoringInput(threat));

        var scored = scorer.Score(new ScoringInput(threat), ModerationPolicy.Default);

        if (holder.Current!.Probability(threat) < lexicon.Score)
        {
            Assert.Equal(lexicon.Score, scored.Verdict.Toxicity.Score);
            Assert.DoesNotContain(scored.Verdict.Toxicity.Signals, s => s.StartsWith(ToxicityModelClassifier.SignalPrefix, StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(scored.Verdict.Toxicity.Signals, s => s.StartsWith(ToxicityModelClassifier.SignalPrefix, StringComparison.Ordinal));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Score_ModelSwappedOut_IsNotAnsweredFromTheCache()
    {
        var holder = new ToxicityModelHolder();
        holder.Swap(await Task.Run(() => ToxicityModelClassifier.Load(LearntModels.ToxicityZip), TestContext.Current.CancellationToken));
        using var scorer = Scorer(holder);
        var withModel = scorer.Score(new ScoringInput(Harassment), ModerationPolicy.Default);

        holder.Swap(null);
        var without = scorer.Score(new ScoringInput(Harassment), ModerationPolicy.Default);

        Assert.StartsWith("lexicon+model:", withModel.Models.Toxicity, StringComparison.Ordinal);
        Assert.Equal("lexicon", without.Models.Toxicity);
        Assert.True(without.Verdict.Toxicity.Score < withModel.Verdict.Toxicity.Score);
    }

    private static MessageScorer Scorer(ToxicityModelHolder holder) => new(
        BuiltInChecks.Profanity,
        BuiltInChecks.Toxicity,
        null,
        new SpamModelHolder(SpamTestData.BundledClassifier),
        new ChatSpamHeuristics(new ChatSpamHeuristicsOptions()),
        new FloodDetector(new FloodDetectorOptions()),
        new ScoringOptions(),
        holder);
}
