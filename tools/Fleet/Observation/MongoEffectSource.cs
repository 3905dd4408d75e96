using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Fleet.Observation;

/// <summary>
/// The effects as MongoDB holds them: the run's <c>auto_mod_results</c> and <c>files</c> documents, found by the run's
/// workspaces (fresh ids every run, so earlier runs in the same database are not counted). Reads go to the primary.
/// </summary>
internal sealed class MongoEffectSource(MongoCatalog catalog, IReadOnlyCollection<Guid> workspaceIds) : IEffectSource
{
    private readonly BsonDocument _inRun = new("workspaceId", new BsonDocument("$in",
        new BsonArray(workspaceIds.Select(id => new BsonBinaryData(id, GuidRepresentation.Standard)))));

    private IMongoCollection<BsonDocument> Results => catalog.AutoModResults;

    private IMongoCollection<BsonDocument> Files => catalog.Files;

    public async Task<EffectCounts> CountAsync(CancellationToken cancellationToken)
    {
        var scored = await Results.CountDocumentsAsync(With("content", new BsonDocument("$exists", true)), cancellationToken: cancellationToken).ConfigureAwait(false);
        var deleted = await Results.CountDocumentsAsync(With("deleted", true), cancellationToken: cancellationToken).ConfigureAwait(false);
        var settled = await Files.CountDocumentsAsync(With("processing.published", true), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new EffectCounts(scored, deleted, settled, 0);
    }

    public async Task<(IReadOnlyDictionary<ObjectId, ObservedResult> Results, IReadOnlyDictionary<Guid, ObservedFile> Files)> ReadAsync(CancellationToken cancellationToken)
    {
        var results = new Dictionary<ObjectId, ObservedResult>();
        using (var cursor = await Results.FindAsync(_inRun, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var document in cursor.Current)
                {
                    var id = document["messageId"].AsObjectId;
                    results[id] = new ObservedResult(id, Uuid(document, "content", "eventId"), String(document, "action"),
                        document.GetValue("deleted", false).ToBoolean(), Date(document, "processedAt"));
                }
            }
        }

        var files = new Dictionary<Guid, ObservedFile>();
        using (var cursor = await Files.FindAsync(_inRun, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var document in cursor.Current)
                {
                    var id = Uuid(document, "fileId") ?? Guid.Empty;
                    var processing = document.GetValue("processing", BsonNull.Value) as BsonDocument;
                    files[id] = new ObservedFile(id,
                        String(document, "virusScan", "status") ?? "pending",
                        processing is null ? null : String(processing, "status"),
                        processing?.GetValue("published", false).ToBoolean() ?? false,
                        processing?.GetValue("attempts", 0).ToInt32() ?? 0,
                        processing is null ? null : Uuid(processing, "eventId"),
                        String(document, "urls", "thumbnail"),
                        processing?.GetValue("derivatives", new BsonArray()).AsBsonArray.Count ?? 0,
                        document.GetValue("deleted", false).ToBoolean(),
                        processing is null ? null : Date(processing, "processedAt"),
                        processing is null ? null : String(processing, "reason"));
                }
            }
        }

        return (results, files);
    }

    private BsonDocument With(string field, BsonValue value) => new(_inRun) { { field, value } };

    private static BsonValue Path(BsonDocument document, params string[] path)
    {
        BsonValue value = document;
        foreach (var name in path)
        {
            value = value is BsonDocument inner ? inner.GetValue(name, BsonNull.Value) : BsonNull.Value;
        }

        return value;
    }

    private static string? String(BsonDocument document, params string[] path) => Path(document, path) is BsonString s ? s.Value : null;

    private static Guid? Uuid(BsonDocument document, params string[] path) =>
        Path(document, path) is BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } binary ? binary.ToGuid(GuidRepresentation.Standard) : null;

    private static DateTimeOffset? Date(BsonDocument document, params string[] path) =>
        Path(document, path) is BsonDateTime date ? new DateTimeOffset(date.ToUniversalTime(), TimeSpan.Zero) : null;
}
