using QuikApp.Workers.Moderation.Scoring.Profanity;
using QuikApp.Workers.Moderation.Scoring.Toxicity;

namespace QuikApp.Workers.Moderation.Tests.Scoring;

/// <summary>The checks over the shipped lexicons, built once for the whole test run (they are immutable).</summary>
internal static class BuiltInChecks
{
    private static readonly Lazy<ProfanityCheck> LazyProfanity = new(() => ProfanityCheck.CreateBuiltIn());
    private static readonly Lazy<ToxicityLexiconCheck> LazyToxicity = new(() => ToxicityLexiconCheck.CreateBuiltIn());

    public static ProfanityCheck Profanity => LazyProfanity.Value;

    public static ToxicityLexiconCheck Toxicity => LazyToxicity.Value;
}
