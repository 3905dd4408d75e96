using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.Moderation.Tests.Learning;

public sealed class PromotionRuleTests
{
    private const double Gain = 0.01;
    private const double Loss = 0.02;

    [Theory]
    [InlineData(0.95, 0.90, 0.90, 0.90, true)]     // better AUC, same F1
    [InlineData(0.95, 0.90, 0.89, 0.90, true)]     // F1 lost, within tolerance
    [InlineData(0.95, 0.90, 0.87, 0.90, false)]    // F1 lost beyond tolerance
    [InlineData(0.905, 0.90, 0.95, 0.90, false)]   // AUC gain below the margin
    [InlineData(0.90, 0.90, 0.95, 0.90, false)]    // a tie is no gain
    [InlineData(0.80, 0.90, 0.95, 0.90, false)]    // worse
    [InlineData(0.91, 0.90, 0.88, 0.90, true)]     // both exactly at their margins: promote
    [InlineData(1.0, 0.99, 1.0, 1.0, true)]        // at the ceiling, exactly the margin
    public void Decide_Margins_PromoteAsTheRuleSays(double candidateAuc, double currentAuc, double candidateF1, double currentF1, bool promote)
    {
        var decision = PromotionRule.Decide(Metrics(candidateAuc, candidateF1), Metrics(currentAuc, currentF1), Gain, Loss);

        Assert.Equal(promote, decision.Promote);
        Assert.StartsWith(promote ? "promoted: " : "rejected: ", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ZeroMargins_PromoteOnATie()
    {
        Assert.True(PromotionRule.Decide(Metrics(0.9, 0.8), Metrics(0.9, 0.8), 0, 0).Promote);
    }

    [Fact]
    public void Decide_Rejection_NamesTheNumbersThatFailed()
    {
        var decision = PromotionRule.Decide(Metrics(0.905, 0.5), Metrics(0.9, 0.9), Gain, Loss);

        Assert.Equal("rejected: AUC 0.9050 < 0.9000 + 0.0100 and F1 0.5000 < 0.9000 − 0.0200", decision.Reason);
    }

    [Theory]
    [InlineData(double.NaN, 0.9)]
    [InlineData(0.99, double.NaN)]
    public void Decide_CandidateMetricUndefined_Rejects(double auc, double f1)
    {
        var decision = PromotionRule.Decide(Metrics(auc, f1), Metrics(0.5, 0.1), Gain, Loss);

        Assert.False(decision.Promote);
        Assert.Contains("undefined", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_CurrentMetricsUndefined_CountAsChance()
    {
        var current = Metrics(double.NaN, double.NaN);

        Assert.True(PromotionRule.Decide(Metrics(0.51, 0.0), current, Gain, Loss).Promote);
        Assert.False(PromotionRule.Decide(Metrics(0.505, 0.9), current, Gain, Loss).Promote);
    }

    private static ClassifierMetrics Metrics(double auc, double f1) => new(100, 50, auc, f1, f1, f1, 0.9, 0.3, 45, 5, 45, 5);
}
