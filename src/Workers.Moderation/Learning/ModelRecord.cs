using System.Security.Cryptography;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>Where a model is in its life: trained, then promoted (scoring now) or rejected; a promoted model is retired when another replaces it.</summary>
public enum ModelStatus
{
    Candidate,
    Promoted,
    Rejected,
    Retired,
}

/// <summary>What the candidate was compared with: the model (or lexicon) scoring at the time, and its held-out metrics.</summary>
public sealed record ModelBaseline(string Version, ClassifierMetrics Metrics);

/// <summary>How a model was trained: split sizes, seed and wall time (for the record; not used to decide).</summary>
public sealed record ModelTraining(int TrainCount, int TestCount, int Seed, double HeldOutFraction, double Seconds);

/// <summary>
/// One trained model in <c>QuikApp_ml.models</c>. Its id is content-addressed (<c>spam-&lt;first 12 hex of the zip's
/// SHA-256&gt;</c>), and so is its zip's GridFS file: retraining the same model finds both instead of adding copies.
/// </summary>
public sealed record ModelRecord(
    string Id,
    ModelKind Kind,
    ModelStatus Status,
    string Sha256,
    long Bytes,
    ClassifierMetrics Metrics,
    ModelBaseline Baseline,
    string TrainingSetId,
    string GridFsId,
    ModelTraining Training,
    string Decision,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PromotedAt);

/// <summary>Wire names and content-addressed ids of registered models.</summary>
public static class ModelRecords
{
    public static string Sha256Of(ReadOnlySpan<byte> zip) => Convert.ToHexStringLower(SHA256.HashData(zip));

    /// <summary><c>&lt;kind&gt;-&lt;first 12 hex digits of the SHA-256&gt;</c>, the same digits that start the model's version.</summary>
    public static string IdFor(ModelKind kind, string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        return $"{kind.ToWire()}-{sha256[..12]}";
    }

    public static string ToWire(this ModelStatus status) => status switch
    {
        ModelStatus.Candidate => "candidate",
        ModelStatus.Promoted => "promoted",
        ModelStatus.Rejected => "rejected",
        ModelStatus.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static ModelStatus ParseStatus(string wire) => wire switch
    {
        "candidate" => ModelStatus.Candidate,
        "promoted" => ModelStatus.Promoted,
        "rejected" => ModelStatus.Rejected,
        "retired" => ModelStatus.Retired,
        _ => throw new FormatException($"unknown model status '{wire}'"),
    };
}
