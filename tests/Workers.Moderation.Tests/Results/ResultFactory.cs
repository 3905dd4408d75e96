using MongoDB.Bson;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.Scoring;

namespace QuikApp.Workers.Moderation.Tests.Results;

/// <summary>Builds results for store tests.</summary>
internal static class ResultFactory
{
    public static readonly Guid Channel = Guid.Parse("11111111-2222-4333-8444-555555555555");
    public static readonly Guid Workspace = Guid.Parse("66666666-7777-4888-9999-aaaaaaaaaaaa");
    public static readonly Guid User = Guid.Parse("bbbbbbbb-cccc-4ddd-8eee-ffffffffffff");

    public static AutoModerationResult Result(ObjectId messageId, ContentKind kind, DateTimeOffset at, Guid eventId, double spam, DateTimeOffset processedAt)
    {
        var verdict = new ModerationVerdict(
            new CheckVerdict(0.1, false, []),
            new CheckVerdict(spam, spam >= 0.7, spam >= 0.7 ? ["spam.links:4"] : []),
            new CheckVerdict(0.2, false, []),
            Math.Max(0.2, spam),
            spam >= 0.95 ? ModerationAction.Block : spam >= 0.7 ? ModerationAction.Flag : ModerationAction.Allow,
            "default");
        var scored = new ScoredMessage(new string('a', 64), verdict, new ModelVersions("spam-v1", "lexicon", "lexicons-v1"));
        return new AutoModerationResult(messageId, Channel, Workspace, User, scored, new ContentVersion(kind, at, eventId), processedAt);
    }
}
