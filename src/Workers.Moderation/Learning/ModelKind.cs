namespace QuikApp.Workers.Moderation.Learning;

/// <summary>What a learnt model recognises; also the task a moderator's label speaks to.</summary>
public enum ModelKind
{
    Spam,
    Toxicity,
}

/// <summary>Wire names of <see cref="ModelKind"/> (<c>kind</c> in <c>QuikApp_ml.models</c>, model ids, count names).</summary>
public static class ModelKinds
{
    public static IReadOnlyList<ModelKind> All { get; } = [ModelKind.Spam, ModelKind.Toxicity];

    public static string ToWire(this ModelKind kind) => kind switch
    {
        ModelKind.Spam => "spam",
        ModelKind.Toxicity => "toxicity",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ModelKind Parse(string wire) => wire switch
    {
        "spam" => ModelKind.Spam,
        "toxicity" => ModelKind.Toxicity,
        _ => throw new FormatException($"unknown model kind '{wire}' (expected spam or toxicity)"),
    };
}
