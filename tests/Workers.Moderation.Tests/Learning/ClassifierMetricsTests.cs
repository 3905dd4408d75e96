using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.Moderation.Tests.Learning;

public sealed class ClassifierMetricsTests
{
    [Fact]
    public void AucOf_PerfectRanking_IsOne()
    {
        Assert.Equal(1.0, ClassifierMetrics.AucOf([(0.9, true), (0.8, true), (0.2, false), (0.1, false)]));
    }

    [Fact]
    public void AucOf_InvertedRanking_IsZero()
    {
        Assert.Equal(0.0, ClassifierMetrics.AucOf([(0.1, true), (0.9, false)]));
    }

    [Fact]
    public void AucOf_PartlyCorrectWithTies_CountsTiesAsHalf()
    {
        // Pairs (positive, negative): (0.8, 0.5) right, (0.8, 0.3) right, (0.5, 0.5) tie, (0.5, 0.3) right → 3.5 / 4.
        Assert.Equal(0.875, ClassifierMetrics.AucOf([(0.8, true), (0.5, true), (0.5, false), (0.3, false)]), 12);
    }

    [Fact]
    public void AucOf_ConstantScorer_IsChance()
    {
        Assert.Equal(0.5, ClassifierMetrics.AucOf([(0.0, true), (0.0, true), (0.0, false)]), 12);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AucOf_OneClassOnly_IsNaN(bool label)
    {
        Assert.True(double.IsNaN(ClassifierMetrics.AucOf([(0.2, label), (0.7, label)])));
    }

    [Fact]
    public void AucOf_NaNScore_IsNaN()
    {
        Assert.True(double.IsNaN(ClassifierMetrics.AucOf([(double.NaN, true), (0.1, false)])));
    }

    [Fact]
    public void Compute_ScoresAroundTheThreshold_CountsTheConfusionMatrixAtHalf()
    {
        var m = ClassifierMetrics.Compute([(0.9, true), (0.5, true), (0.4, true), (0.6, false), (0.1, false)]);

        Assert.Equal((2, 1, 1, 1), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
        Assert.Equal((5, 3), (m.Count, m.Positives));
        Assert.Equal(2.0 / 3, m.Precision, 12);
        Assert.Equal(2.0 / 3, m.Recall, 12);
        Assert.Equal(2.0 / 3, m.F1Score, 12);
        Assert.Equal(0.6, m.Accuracy, 12);
        Assert.True(m.LogLoss > 0);
    }

    [Fact]
    public void Compute_NothingPredictedPositive_HasF1ZeroAndUndefinedPrecision()
    {
        var m = ClassifierMetrics.Compute([(0.2, true), (0.1, false)]);

        Assert.Equal(0, m.F1Score);
        Assert.True(double.IsNaN(m.Precision));
        Assert.Equal(1.0, m.AreaUnderRocCurve);
    }

    [Fact]
    public void Compute_CertainAndWrong_HasAFiniteLogLoss()
    {
        var m = ClassifierMetrics.Compute([(0.0, true), (1.0, false)]);

        Assert.True(double.IsFinite(m.LogLoss));
    }
}
