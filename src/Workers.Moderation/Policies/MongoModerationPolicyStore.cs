using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Policies;

/// <summary>
/// Reads <c>QuikApp_moderation.policies</c>: <c>{ workspaceId: UUID, thresholds: { profanity: { flag, block }, spam: …,
/// toxicity: … }, updatedAt }</c>, one document per workspace that deviates from the fleet's thresholds.
/// </summary>
public sealed class MongoModerationPolicyStore(MongoCatalog catalog) : IModerationPolicyStore
{
    public async Task<IReadOnlyList<WorkspacePolicyOverride>> LoadOverridesAsync(CancellationToken cancellationToken)
    {
        var documents = await catalog.Policies
            .Find(Builders<BsonDocument>.Filter.Exists("workspaceId"))
            .Project(Builders<BsonDocument>.Projection.Include("workspaceId").Include("thresholds").Include("updatedAt"))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. documents.Select(Parse).OfType<WorkspacePolicyOverride>()];
    }

    /// <summary>Reads one policy document; null when it is not shaped as documented (the caller logs and skips it).</summary>
    public static WorkspacePolicyOverride? Parse(BsonDocument document)
    {
        if (!document.TryGetValue("workspaceId", out var id) || id is not BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } binary)
        {
            return null;
        }

        var thresholds = document.GetValue("thresholds", new BsonDocument()) as BsonDocument ?? [];
        var updatedAt = document.TryGetValue("updatedAt", out var at) && at.IsValidDateTime
            ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero)
            : DateTimeOffset.UnixEpoch;
        return new WorkspacePolicyOverride(
            binary.ToGuid(GuidRepresentation.Standard),
            Thresholds(thresholds, "profanity"),
            Thresholds(thresholds, "spam"),
            Thresholds(thresholds, "toxicity"),
            updatedAt);
    }

    private static CheckThresholds? Thresholds(BsonDocument thresholds, string check) =>
        thresholds.TryGetValue(check, out var value) && value is BsonDocument d && d.TryGetValue("flag", out var flag) &&
        d.TryGetValue("block", out var block) && flag.IsNumeric && block.IsNumeric
            ? new CheckThresholds(flag.ToDouble(), block.ToDouble())
            : null;
}
