namespace QuikApp.Workers.Moderation.Scoring.Toxicity;

/// <summary>The categories of the toxicity lexicon, as written in toxicity.json and in signals.</summary>
public static class ToxicityCategories
{
    public const string Insult = "insult";
    public const string Threat = "threat";
    public const string IdentityAttack = "identity_attack";

    public static IReadOnlyList<string> All { get; } = [Insult, Threat, IdentityAttack];
}
