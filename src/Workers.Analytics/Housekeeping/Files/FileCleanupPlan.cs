using MongoDB.Bson;
using QuikApp.Workers.Shared.Storage;

namespace QuikApp.Workers.Analytics.Housekeeping.Files;

/// <summary>What deleting one claimed file means: its original and its derivatives, then its document.</summary>
/// <param name="Id">The document's <c>_id</c>.</param>
/// <param name="Original">From <c>storage: {provider, bucket, key}</c>; null when the document names none (nothing to delete).</param>
/// <param name="Derivatives">Computed keys and the document's <c>processing.derivatives</c> that lie in this file's namespace, without duplicates.</param>
/// <param name="Ignored">Locations the document listed as derivatives that are not this file's (never deleted).</param>
internal sealed record FileCleanupPlan(
    BsonValue Id,
    Guid? FileId,
    ObjectLocation? Original,
    IReadOnlyList<ObjectLocation> Derivatives,
    IReadOnlyList<ObjectLocation> Ignored)
{
    /// <summary>Plans the deletion of one <c>files</c> document (as read with <see cref="FileCleanupQueries.Projection"/>).</summary>
    public static FileCleanupPlan For(BsonDocument file, DerivativeKeys keys)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(keys);
        var fileId = GuidOf(file.GetValue("fileId", BsonNull.Value));
        var workspaceId = GuidOf(file.GetValue("workspaceId", BsonNull.Value));
        var original = file.GetValue("storage", BsonNull.Value) is BsonDocument storage ? LocationOf(storage) : null;

        var derivatives = new List<ObjectLocation>();
        var ignored = new List<ObjectLocation>();
        if (fileId is { } id && workspaceId is { } workspace)
        {
            derivatives.AddRange(keys.For(workspace, id));
        }

        var processing = file.GetValue("processing", BsonNull.Value) as BsonDocument;
        var listed = processing?.GetValue("derivatives", BsonNull.Value) as BsonArray ?? [];
        foreach (var location in listed.OfType<BsonDocument>().Select(LocationOf).OfType<ObjectLocation>())
        {
            var ours = fileId is { } owner && workspaceId is { } space && keys.IsDerivativeOf(location, space, owner);
            (ours ? derivatives : ignored).Add(location);
        }

        return new FileCleanupPlan(
            file.GetValue("_id", BsonNull.Value),
            fileId,
            original,
            [.. derivatives.Distinct()],
            ignored);
    }

    /// <summary>A UUID stored as BSON binary subtype 4 (the contract) or 3 (legacy C# drivers), or as its string form.</summary>
    internal static Guid? GuidOf(BsonValue value) => value switch
    {
        BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } binary => binary.ToGuid(GuidRepresentation.Standard),
        BsonBinaryData { SubType: BsonBinarySubType.UuidLegacy } binary => binary.ToGuid(GuidRepresentation.CSharpLegacy),
        BsonString text when Guid.TryParse(text.Value, out var parsed) => parsed,
        _ => null,
    };

    private static ObjectLocation? LocationOf(BsonDocument document) =>
        document.GetValue("provider", BsonNull.Value) is BsonString { Value.Length: > 0 } provider
        && document.GetValue("bucket", BsonNull.Value) is BsonString { Value.Length: > 0 } bucket
        && document.GetValue("key", BsonNull.Value) is BsonString { Value.Length: > 0 } key
            ? new ObjectLocation(provider.Value, bucket.Value, key.Value)
            : null;
}
