using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// The spam model's ML.NET pipeline, one definition for the bootstrap trainer (tools/SpamModelTrainer) and the
/// retraining job: bag-of-n-grams text features into a linear logistic model.
/// </summary>
public static class SpamModelPipeline
{
    public const string TextColumn = "Text";
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    /// <summary>
    /// Builds the estimator. Single-threaded on purpose: with the context's seed that makes a training run
    /// reproducible to the last bit, and the corpus is small enough that threads buy little.
    /// </summary>
    public static IEstimator<ITransformer> Build(MLContext ml, SpamPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        options ??= SpamPipelineOptions.Default;

        var text = new TextFeaturizingEstimator.Options
        {
            // Lower-cased, punctuation and digits kept: "$$$", "!!!" and "100%" are spam tells.
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepPunctuations = true,
            KeepNumbers = true,
            KeepDiacritics = false,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.WordNgramLength, UseAllLengths = true },
            CharFeatureExtractor = options.CharNgramLength > 0
                ? new WordBagEstimator.Options { NgramLength = options.CharNgramLength, UseAllLengths = options.CharNgramsAllLengths }
                : null,
            // Unit length, so a long message and a short one with the same words score alike.
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };

        var featurize = ml.Transforms.Text.FeaturizeText(FeaturesColumn, text, TextColumn)
            .AppendCacheCheckpoint(ml);

        return options.Learner switch
        {
            SpamLearner.SdcaLogisticRegression => featurize.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(
                new SdcaLogisticRegressionBinaryTrainer.Options
                {
                    LabelColumnName = LabelColumn,
                    FeatureColumnName = FeaturesColumn,
                    NumberOfThreads = 1,
                    L2Regularization = options.L2Regularization,
                })),
            SpamLearner.LbfgsLogisticRegression => featurize.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
                new LbfgsLogisticRegressionBinaryTrainer.Options
                {
                    LabelColumnName = LabelColumn,
                    FeatureColumnName = FeaturesColumn,
                    NumberOfThreads = 1,
                    L2Regularization = options.L2Regularization ?? 1f,
                })),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Learner, "unknown learner"),
        };
    }
}
