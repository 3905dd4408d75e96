using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Moderation.Learning;

/// <summary>
/// Reads decided reports from <c>QuikApp_moderation.reports</c> with one query on the <c>{ status, reviewedAt }</c>
/// index. Reports are read whole here and joined with message content in code: <c>$lookup</c> only joins within one
/// database, and messages live in QuikApp_messages.
/// </summary>
public sealed class MongoModerationReportStore(MongoCatalog catalog) : IModerationReportStore
{
    public async Task<IReadOnlyList<ResolvedReport>> ReadResolvedAsync(DateTimeOffset resolvedBefore, CancellationToken cancellationToken)
    {
        using var cursor = await catalog.Reports
            .Find(Filter(resolvedBefore))
            .Project(Builders<BsonDocument>.Projection.Include("messageId").Include("reason").Include("status").Include("action").Include("reviewedAt"))
            .ToCursorAsync(cancellationToken)
            .ConfigureAwait(false);
        var reports = new List<ResolvedReport>();
        while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            reports.AddRange(cursor.Current.Select(Parse).OfType<ResolvedReport>());
        }

        return reports;
    }

    internal static BsonDocument Filter(DateTimeOffset resolvedBefore) => new()
    {
        { "status", new BsonDocument("$in", new BsonArray { ModerationLabels.Actioned, ModerationLabels.Dismissed }) },
        { "reviewedAt", new BsonDocument("$lt", resolvedBefore.UtcDateTime) },
    };

    /// <summary>One report; null when it is not shaped as the seed documents (no ObjectId message, no decision time).</summary>
    public static ResolvedReport? Parse(BsonDocument document)
    {
        if (document.GetValue("_id", BsonNull.Value) is not BsonObjectId id ||
            document.GetValue("messageId", BsonNull.Value) is not BsonObjectId messageId ||
            document.GetValue("reviewedAt", BsonNull.Value) is not BsonDateTime reviewedAt ||
            document.GetValue("reason", BsonNull.Value) is not BsonString reason ||
            document.GetValue("status", BsonNull.Value) is not BsonString status)
        {
            return null;
        }

        var action = document.GetValue("action", BsonNull.Value) is BsonString a ? a.Value : null;
        return new ResolvedReport(id.Value, messageId.Value, reason.Value, status.Value, action,
            new DateTimeOffset(reviewedAt.ToUniversalTime(), TimeSpan.Zero));
    }
}
