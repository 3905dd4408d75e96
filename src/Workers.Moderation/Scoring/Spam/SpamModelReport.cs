using System.Text.Encodings.Web;
using System.Text.Json;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// How a spam model was made and how well it did: the content of <c>spam-model.metrics.json</c> beside the model.
/// Enough to reproduce the run (data hash, seed, split, pipeline, ML.NET version) and to check a rerun against it.
/// </summary>
public sealed record SpamModelReport
{
    // Relaxed escaping keeps "word1+char3" readable in the committed file; it is never embedded in HTML.
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>SHA-256 (hex) of the model zip's bytes.</summary>
    public required string ModelSha256 { get; init; }

    public required long ModelBytes { get; init; }

    public required DateTimeOffset TrainedAt { get; init; }

    /// <summary>Wall-clock seconds to fit the shipped pipeline (not to evaluate or compare); varies by machine.</summary>
    public required double TrainingSeconds { get; init; }

    public required string MlNetVersion { get; init; }

    /// <summary>Training file, relative to the repository root.</summary>
    public required string DataFile { get; init; }

    /// <summary>SHA-256 (hex) of the training file's uncompressed content (gzip bytes may vary by zlib build; the TSV does not).</summary>
    public required string DataSha256 { get; init; }

    public required int DataRows { get; init; }

    public required int Seed { get; init; }

    public required double TestFraction { get; init; }

    /// <summary>Training messages (the held-out ones excluded).</summary>
    public required int TrainCount { get; init; }

    /// <summary>Rows the learner saw: the training messages plus their chunks.</summary>
    public required int TrainingRows { get; init; }

    public required int TestCount { get; init; }

    public required SpamPipelineOptions Pipeline { get; init; }

    public required SpamModelMetrics HeldOut { get; init; }

    /// <summary>The shipped model on the hand-written chat smoke set (Data/Spam/chat-smoke.tsv).</summary>
    public required ChatSmokeResult ChatSmoke { get; init; }

    /// <summary>Candidate pipelines compared over the same seeded splits when the trainer ran with <c>--compare</c>.</summary>
    public IReadOnlyList<SpamPipelineComparison> Comparison { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static SpamModelReport FromJson(string json) =>
        JsonSerializer.Deserialize<SpamModelReport>(json, JsonOptions)
        ?? throw new InvalidDataException("spam model report is empty");
}

/// <summary>
/// One candidate pipeline in the trainer's comparison: mean and standard deviation of its held-out metrics over
/// several seeded splits (one split's differences are a handful of messages), and the first split's model on the
/// chat smoke set.
/// </summary>
public sealed record SpamPipelineComparison(
    SpamPipelineOptions Pipeline,
    IReadOnlyList<int> Seeds,
    double MeanAccuracy,
    double StdDevAccuracy,
    double MeanAreaUnderRocCurve,
    double StdDevAreaUnderRocCurve,
    double MeanF1Score,
    double StdDevF1Score,
    double MeanLogLoss,
    ChatSmokeResult ChatSmoke,
    double MeanTrainingSeconds,
    long ModelBytes);
