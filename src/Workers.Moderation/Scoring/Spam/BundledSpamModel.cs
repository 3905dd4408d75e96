using System.Reflection;

namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>
/// The spam model shipped inside this assembly (Data/Models/spam-model.zip and its metrics, embedded at build), so
/// the worker scores from its first message without a model on disk.
/// </summary>
public static class BundledSpamModel
{
    private const string ZipResource = "QuikApp.Workers.Moderation.Data.Models.spam-model.zip";
    private const string ReportResource = "QuikApp.Workers.Moderation.Data.Models.spam-model.metrics.json";

    public static SpamClassifier Load() => SpamClassifier.Load(ReadResource(ZipResource), ReadReport().TrainedAt);

    /// <summary>The committed <c>spam-model.metrics.json</c>: how the bundled model was trained and how it scored.</summary>
    public static SpamModelReport ReadReport() =>
        SpamModelReport.FromJson(System.Text.Encoding.UTF8.GetString(ReadResource(ReportResource)));

    private static byte[] ReadResource(string name)
    {
        // Embedded resources are in memory already; there is no I/O to make asynchronous.
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing: was the assembly built without Data/Models?");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
