using System.Globalization;
using MongoDB.Bson;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>What happened to one declared index during a bootstrap run.</summary>
public enum IndexBootstrapOutcome
{
    Created,
    AlreadyPresent,
    Conflict,

    /// <summary>The build did not finish within Mongo:IndexBuildTimeout; the server aborted it (maxTimeMS).</summary>
    TimedOut,
}

/// <summary>How an existing index conflicts with a declaration. Nothing is ever dropped to resolve one.</summary>
public enum IndexConflictKind
{
    /// <summary>An index with the declared name exists on other keys (server code 86 IndexKeySpecsConflict).</summary>
    SameNameDifferentKeys,

    /// <summary>An index with the declared name and keys exists with other options, e.g. not unique (code 85 IndexOptionsConflict).</summary>
    SameNameDifferentOptions,

    /// <summary>Only the TTL differs. Fixable in place with collMod, which the analytics worker's ttl-indexes job does; reported apart for that reason.</summary>
    TtlExpiryDiffers,

    /// <summary>An equivalent index (same keys, filter and collation) exists under another name (code 85).</summary>
    SameKeysDifferentName,

    /// <summary>A unique index over documents that already share a key: the build failed with 11000 DuplicateKey.</summary>
    DuplicateKeys,

    /// <summary>The server refused the index for a reason the bootstrapper could not match to an existing index.</summary>
    Other,
}

/// <summary>One declared index and what the bootstrapper found for it.</summary>
public sealed record IndexBootstrapResult(
    MongoIndexDefinition Index,
    string DatabaseName,
    IndexBootstrapOutcome Outcome,
    IndexConflictKind? ConflictKind = null,
    BsonDocument? ExistingIndex = null,
    string? Detail = null)
{
    public string Namespace => $"{DatabaseName}.{Index.Collection}";

    /// <summary>Whether the index is not in place as declared (conflicting or not built in time).</summary>
    public bool IsUnsatisfied => Outcome is IndexBootstrapOutcome.Conflict or IndexBootstrapOutcome.TimedOut;

    /// <summary>
    /// Whether what the index guarantees is in place: as declared, or as an equivalent index under another name (same
    /// keys, and the same unique, sparse and partial filter — what the server compares; code 85 says it exists). A
    /// required index is satisfied by that: the uniqueness holds whatever the index is called.
    /// </summary>
    public bool IsGuaranteeInPlace => Outcome is IndexBootstrapOutcome.Created or IndexBootstrapOutcome.AlreadyPresent
        || (ConflictKind == IndexConflictKind.SameKeysDifferentName && ExistingIndex is { } existing
            && existing.GetValue("unique", false).ToBoolean() == Index.Unique
            && existing.GetValue("sparse", false).ToBoolean() == Index.Sparse
            && Equals(existing.GetValue("partialFilterExpression", BsonNull.Value) as BsonDocument, Index.PartialFilterExpression)
            && !existing.Contains("collation"));

    public override string ToString() => Outcome switch
    {
        IndexBootstrapOutcome.Conflict => $"{Namespace} index {Index.Name}: conflict {ConflictKind} ({Detail})",
        IndexBootstrapOutcome.TimedOut => $"{Namespace} index {Index.Name}: timed out ({Detail})",
        _ => $"{Namespace} index {Index.Name}: {Outcome}",
    };
}

/// <summary>The result of one <see cref="MongoIndexBootstrapper.EnsureAsync(IEnumerable{IndexOwner}, CancellationToken)"/> run.</summary>
public sealed class MongoIndexBootstrapReport
{
    public MongoIndexBootstrapReport(IReadOnlyList<IndexBootstrapResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        Results = results;
    }

    public IReadOnlyList<IndexBootstrapResult> Results { get; }

    public IReadOnlyList<IndexBootstrapResult> Created => With(IndexBootstrapOutcome.Created);

    public IReadOnlyList<IndexBootstrapResult> AlreadyPresent => With(IndexBootstrapOutcome.AlreadyPresent);

    public IReadOnlyList<IndexBootstrapResult> Conflicts => With(IndexBootstrapOutcome.Conflict);

    public IReadOnlyList<IndexBootstrapResult> TimedOut => With(IndexBootstrapOutcome.TimedOut);

    /// <summary>Conflicting or timed-out indexes (an exit code of 1 for <c>ensure-indexes</c>).</summary>
    public bool HasConflicts => Results.Any(result => result.IsUnsatisfied);

    /// <summary>Required indexes (<see cref="MongoIndexDefinition.Required"/>) that are not in place: the worker must not consume.</summary>
    public IReadOnlyList<IndexBootstrapResult> RequiredUnsatisfied =>
        Results.Where(result => result.Index.Required && !result.IsGuaranteeInPlace).ToList();

    /// <summary>True when every declared index was already there as declared (a second run changes nothing).</summary>
    public bool AllAlreadyPresent => Results.All(result => result.Outcome == IndexBootstrapOutcome.AlreadyPresent);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Results.Count} indexes: {Created.Count} created, {AlreadyPresent.Count} already present, {Conflicts.Count} conflicting{(TimedOut.Count > 0 ? ", " + TimedOut.Count.ToString(CultureInfo.InvariantCulture) + " timed out" : string.Empty)}");

    private List<IndexBootstrapResult> With(IndexBootstrapOutcome outcome) =>
        Results.Where(result => result.Outcome == outcome).ToList();
}
