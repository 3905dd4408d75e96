namespace QuikApp.Workers.Moderation.Scoring.Spam;

/// <summary>Where the spam model comes from (section <c>Moderation:SpamModel</c>); unset means the bundled model.</summary>
public sealed class SpamModelOptions
{
    public const string Section = "Moderation:SpamModel";

    /// <summary>An operator-supplied model zip; its <c>.metrics.json</c> sidecar, if present, supplies the training time.</summary>
    public string? ModelPath { get; set; }
}
