using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Toxicity;

/// <summary>How a classifier's output row becomes a probability, and how a label name becomes a column.</summary>
public sealed class OnnxOutputReadingTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(2.0, 0.8807970779778823)]
    [InlineData(-2.0, 0.11920292202211755)]
    [InlineData(1000.0, 1.0)]
    [InlineData(-1000.0, 0.0)]
    public void ToProbability_Logit_IsSigmoid(double logit, double expected)
    {
        Assert.Equal(expected, OnnxToxicityClassifier.ToProbability([logit], 0, OnnxScoreKind.Logits), 12);
    }

    [Fact]
    public void ToProbability_SoftmaxLogits_IsTheLabelsShareOfTheRow()
    {
        double[] row = [1.0, 3.0, 0.5];
        var expected = Math.Exp(3.0) / (Math.Exp(1.0) + Math.Exp(3.0) + Math.Exp(0.5));

        Assert.Equal(expected, OnnxToxicityClassifier.ToProbability(row, 1, OnnxScoreKind.SoftmaxLogits), 12);
    }

    [Fact]
    public void ToProbability_SoftmaxOfHugeLogits_StaysFinite()
    {
        Assert.Equal(1.0, OnnxToxicityClassifier.ToProbability([5000.0, -5000.0], 0, OnnxScoreKind.SoftmaxLogits), 12);
    }

    [Theory]
    [InlineData(0.25, 0.25)]
    [InlineData(1.5, 1.0)]
    [InlineData(-0.1, 0.0)]
    [InlineData(double.NaN, 0.0)]
    public void ToProbability_Probability_IsClampedToUnitInterval(double value, double expected)
    {
        Assert.Equal(expected, OnnxToxicityClassifier.ToProbability([0.9, value], 1, OnnxScoreKind.Probabilities));
    }

    [Fact]
    public void FindLabelIndex_Id2LabelInMetadata_FindsColumnIgnoringCase()
    {
        var metadata = new Dictionary<string, string> { ["id2label"] = """{"0":"toxicity","1":"severe_toxicity","2":"insult"}""" };

        Assert.Equal(2, OnnxToxicityClassifier.FindLabelIndex("Insult", metadata, configJson: null));
    }

    [Fact]
    public void FindLabelIndex_CommaSeparatedLabels_FindsColumn()
    {
        var metadata = new Dictionary<string, string> { ["labels"] = "clean, toxic" };

        Assert.Equal(1, OnnxToxicityClassifier.FindLabelIndex("toxic", metadata, configJson: null));
    }

    [Fact]
    public void FindLabelIndex_OnlyInHuggingFaceConfig_FindsColumn()
    {
        const string Config = """{"architectures":["BertForSequenceClassification"],"id2label":{"0":"toxic","1":"obscene"}}""";

        Assert.Equal(1, OnnxToxicityClassifier.FindLabelIndex("obscene", new Dictionary<string, string>(), Config));
    }

    [Fact]
    public void FindLabelIndex_NamedNowhere_ReturnsNull()
    {
        var metadata = new Dictionary<string, string> { ["labels"] = "clean,toxic" };

        Assert.Null(OnnxToxicityClassifier.FindLabelIndex("threat", metadata, """{"id2label":{"0":"toxic"}}"""));
    }
}
