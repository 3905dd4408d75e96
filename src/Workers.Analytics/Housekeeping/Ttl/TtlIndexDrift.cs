using System.Globalization;
using MongoDB.Bson;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Housekeeping.Ttl;

/// <summary>What listIndexes shows for one TTL index the contract declares.</summary>
internal enum TtlIndexFinding
{
    /// <summary>No index on the field: create it.</summary>
    Missing,

    /// <summary>There, with the configured expiry.</summary>
    Matches,

    /// <summary>There, with another expiry: collMod sets it in place.</summary>
    ExpiryDiffers,

    /// <summary>A plain (non-TTL) single-field index on the field: collMod adds the expiry in place (MongoDB 5.1+).</summary>
    NotTtl,

    /// <summary>Something collMod must not or cannot fix (a partial index, the name taken by other keys): reported only.</summary>
    Conflict,
}

/// <summary>One TTL index as found: the finding, the existing index's name and expiry, and a sentence for the run's message.</summary>
internal sealed record TtlIndexInspection(MongoIndexDefinition Declared, TtlIndexFinding Finding, string? ExistingName, string Detail)
{
    public int DeclaredSeconds => Declared.ExpireAfterSeconds!.Value;

    /// <summary>The field the TTL is on (TTL indexes are single-field).</summary>
    public string Field => Declared.Keys.GetElement(0).Name;
}

/// <summary>
/// Pure decisions of the ttl-indexes job: which TTL indexes to enforce (the catalog's, at the configured expiry), what a
/// listIndexes answer says about each, and the collMod command that fixes a differing expiry.
/// </summary>
internal static class TtlIndexDrift
{
    /// <summary>
    /// The catalog's TTL indexes (<c>files.expiresAt</c>, <c>temp_uploads.createdAt</c>) with the expiry configured under
    /// Housekeeping; any other TTL index in the catalog keeps its declared expiry.
    /// </summary>
    public static IReadOnlyList<MongoIndexDefinition> Targets(HousekeepingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            .. MongoIndexCatalog.All
                .Where(index => index.ExpireAfterSeconds is not null)
                .Select(index => index with
                {
                    ExpireAfterSeconds = (index.Database, index.Collection) switch
                    {
                        (QuikAppDatabase.Files, MongoCatalog.Collections.Files) => options.FilesExpireAfterSeconds,
                        (QuikAppDatabase.Files, MongoCatalog.Collections.TempUploads) => options.TempUploadsExpireAfterSeconds,
                        _ => index.ExpireAfterSeconds,
                    },
                }),
        ];
    }

    /// <summary>Compares the declared TTL index with a collection's listIndexes documents.</summary>
    public static TtlIndexInspection Inspect(MongoIndexDefinition declared, IReadOnlyList<BsonDocument> existingIndexes)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(existingIndexes);
        if (declared.ExpireAfterSeconds is null || declared.Keys.ElementCount != 1)
        {
            throw new ArgumentException($"Index {declared.Name} is not a single-field TTL index.", nameof(declared));
        }

        var field = declared.Keys.GetElement(0).Name;
        var onField = existingIndexes.Where(index => IsSingleFieldOn(index, field)).ToList();
        // Prefer the one under the declared name: the seed's unnamed createIndex produced exactly that name.
        var existing = onField.FirstOrDefault(index => NameOf(index) == declared.Name) ?? onField.FirstOrDefault();
        var seconds = declared.ExpireAfterSeconds.Value;

        if (existing is null)
        {
            var nameTaken = existingIndexes.FirstOrDefault(index => NameOf(index) == declared.Name);
            return nameTaken is null
                ? new(declared, TtlIndexFinding.Missing, null, $"no index on {field}: creating {declared.Name} with expireAfterSeconds {seconds}")
                : new(declared, TtlIndexFinding.Conflict, declared.Name,
                    $"an index named {declared.Name} exists on other keys ({KeyOf(nameTaken).ToJson()}); left as is");
        }

        var name = NameOf(existing)!;
        if (existing.Contains("partialFilterExpression"))
        {
            // A partial TTL index expires only part of the collection; changing its expiry would not make it the contract's.
            return new(declared, TtlIndexFinding.Conflict, name,
                $"index {name} on {field} is partial ({existing["partialFilterExpression"].ToJson()}); left as is");
        }

        if (!existing.TryGetValue("expireAfterSeconds", out var current))
        {
            return new(declared, TtlIndexFinding.NotTtl, name, $"index {name} on {field} has no TTL: setting expireAfterSeconds {seconds}");
        }

        return current.IsNumeric && current.ToDouble() == seconds
            ? new(declared, TtlIndexFinding.Matches, name, $"index {name} on {field} expires after {seconds} s as configured")
            : new(declared, TtlIndexFinding.ExpiryDiffers, name,
                $"index {name} on {field} expired after {Describe(current)} s instead of {seconds} s: set to {seconds}");
    }

    /// <summary>
    /// <c>{ collMod: &lt;collection&gt;, index: { name, expireAfterSeconds } }</c>: changes a TTL index's expiry, or makes a
    /// single-field index a TTL index, in place (no rebuild). The index is named rather than given by key pattern because
    /// two indexes can share a key pattern (a partial one beside a full one).
    /// </summary>
    public static BsonDocument CollModCommand(string collection, string indexName, int expireAfterSeconds, BsonDocument? writeConcern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        ArgumentException.ThrowIfNullOrWhiteSpace(indexName);
        var command = new BsonDocument
        {
            { "collMod", collection },
            { "index", new BsonDocument { { "name", indexName }, { "expireAfterSeconds", expireAfterSeconds } } },
        };
        if (writeConcern is not null)
        {
            command.Add("writeConcern", writeConcern);
        }

        return command;
    }

    /// <summary>Whether a collMod reply shows the expiry now set to <paramref name="expireAfterSeconds"/> (expireAfterSeconds_new, or no change reported for an equal value).</summary>
    public static bool ReplyConfirms(BsonDocument reply, int expireAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.TryGetValue("ok", out var ok) && ok.IsNumeric && ok.ToDouble() != 1)
        {
            return false;
        }

        return !reply.TryGetValue("expireAfterSeconds_new", out var updated) || (updated.IsNumeric && updated.ToDouble() == expireAfterSeconds);
    }

    private static bool IsSingleFieldOn(BsonDocument index, string field)
    {
        var key = KeyOf(index);
        return key.ElementCount == 1
            && key.GetElement(0).Name == field
            && key.GetElement(0).Value is { IsNumeric: true } direction
            && Math.Abs(direction.ToDouble()) == 1;
    }

    private static BsonDocument KeyOf(BsonDocument index) =>
        index.TryGetValue("key", out var key) && key is BsonDocument document ? document : [];

    private static string? NameOf(BsonDocument index) =>
        index.TryGetValue("name", out var name) && name is BsonString text ? text.Value : null;

    private static string Describe(BsonValue value) =>
        value.IsNumeric ? value.ToDouble().ToString(CultureInfo.InvariantCulture) : value.ToJson();
}
