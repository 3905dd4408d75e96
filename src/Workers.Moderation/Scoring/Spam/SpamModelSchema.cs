using Microsoft.ML.Data;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>One row the spam pipeline reads: the (normalised) text and, when training, whether it is spam.</summary>
public sealed class SpamModelInput
{
    [ColumnName(SpamModelPipeline.TextColumn)]
    public string Text { get; set; } = "";

    [ColumnName(SpamModelPipeline.LabelColumn)]
    public bool Label { get; set; }
}

/// <summary>What the spam model writes for one row: the calibrated probability that it is spam.</summary>
public sealed class SpamModelOutput
{
    [ColumnName("Probability")]
    public float Probability { get; set; }
}
