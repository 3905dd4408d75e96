using System.Globalization;
using MongoDB.Bson;

namespace QuikApp.Workers.Shared.Mongo;

/// <summary>One index QuikApp declares: where it lives, who builds it, its keys and options, under a stable name.</summary>
/// <remarks>
/// Only options that are set are rendered (no <c>unique: false</c>): MongoDB compares the stored spec, and an
/// explicit false would not be identical to an index created without it.
/// </remarks>
public sealed record MongoIndexDefinition
{
    private readonly BsonDocument _keys = [];
    private readonly BsonDocument? _partialFilter;

    public required IndexOwner Owner { get; init; }

    public required QuikAppDatabase Database { get; init; }

    public required string Collection { get; init; }

    /// <summary>Explicit, stable name. For the seed's indexes it equals MongoDB's default name, so indexes the upstream services created without a name are recognised as the same index.</summary>
    public required string Name { get; init; }

    /// <summary>Key pattern in order, e.g. { channelId: 1, createdAt: -1 } or { content: "text" }.</summary>
    public required BsonDocument Keys
    {
        get => _keys.DeepClone().AsBsonDocument;
        init => _keys = (value ?? throw new ArgumentNullException(nameof(value))).DeepClone().AsBsonDocument;
    }

    public bool Unique { get; init; }

    /// <summary>
    /// The worker's correctness rests on this index (a uniqueness idempotent writes or a $merge depend on): while it is
    /// missing or conflicting the worker is not ready and does not consume (<see cref="MongoRequiredIndexGate"/>).
    /// </summary>
    public bool Required { get; init; }

    public bool Sparse { get; init; }

    /// <summary>TTL: documents expire this many seconds after the indexed date (0 = at the date itself).</summary>
    public int? ExpireAfterSeconds { get; init; }

    public BsonDocument? PartialFilterExpression
    {
        get => _partialFilter?.DeepClone().AsBsonDocument;
        init => _partialFilter = value?.DeepClone().AsBsonDocument;
    }

    /// <summary>Why the index exists (seed section or the worker query it serves).</summary>
    public required string Purpose { get; init; }

    public MongoCollectionRef CollectionRef => new(Database, Collection);

    public bool IsText => _keys.Elements.Any(key => key.Value is BsonString { Value: "text" });

    /// <summary>The index document sent in createIndexes' <c>indexes</c> array.</summary>
    public BsonDocument ToIndexSpec()
    {
        var spec = new BsonDocument
        {
            { "key", _keys.DeepClone() },
            { "name", Name },
        };
        if (Unique)
        {
            spec.Add("unique", true);
        }

        if (Sparse)
        {
            spec.Add("sparse", true);
        }

        if (ExpireAfterSeconds is { } seconds)
        {
            spec.Add("expireAfterSeconds", seconds);
        }

        if (_partialFilter is not null)
        {
            spec.Add("partialFilterExpression", _partialFilter.DeepClone());
        }

        return spec;
    }

    /// <summary>The key pattern as listIndexes reports it: text fields become <c>_fts: "text", _ftsx: 1</c>, their names move to <c>weights</c>.</summary>
    public BsonDocument StoredKeyPattern()
    {
        var stored = new BsonDocument();
        foreach (var key in _keys.Elements)
        {
            if (key.Value is BsonString { Value: "text" })
            {
                if (!stored.Contains("_fts"))
                {
                    stored.Add("_fts", "text");
                    stored.Add("_ftsx", 1);
                }

                continue;
            }

            stored.Add(key.Name, key.Value);
        }

        return stored;
    }

    /// <summary>MongoDB's default name for a key pattern: each field and its value, joined by underscores (e.g. channelId_1_createdAt_-1).</summary>
    public static string DefaultNameFor(BsonDocument keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return string.Join('_', keys.Elements.Select(key => $"{key.Name}_{FormatKeyValue(key.Value)}"));
    }

    /// <summary>How an existing index (a listIndexes document) differs from this declaration; empty when it is the same index.</summary>
    public IReadOnlyList<IndexSpecDifference> DifferencesFrom(BsonDocument existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var differences = new List<IndexSpecDifference>();

        var existingKey = existing.TryGetValue("key", out var key) && key is BsonDocument keyDocument ? keyDocument : [];
        var storedKey = StoredKeyPattern();
        if (!KeyPatternsEqual(storedKey, existingKey))
        {
            differences.Add(new("key", storedKey.ToJson(), existingKey.ToJson()));
        }

        if (existing.TryGetValue("name", out var name) && name is BsonString { Value: var existingName } && existingName != Name)
        {
            differences.Add(new("name", Name, existingName));
        }

        CompareFlag("unique", Unique, existing, differences);
        CompareFlag("sparse", Sparse, existing, differences);

        var existingTtl = existing.TryGetValue("expireAfterSeconds", out var ttl) && ttl.IsNumeric ? ttl.ToDouble() : (double?)null;
        if (existingTtl != ExpireAfterSeconds)
        {
            differences.Add(new("expireAfterSeconds", Describe(ExpireAfterSeconds), Describe(existingTtl)));
        }

        var existingFilter = existing.TryGetValue("partialFilterExpression", out var filter) ? filter as BsonDocument : null;
        if (!Equals(existingFilter, _partialFilter))
        {
            differences.Add(new("partialFilterExpression", _partialFilter?.ToJson() ?? "(none)", existingFilter?.ToJson() ?? "(none)"));
        }

        if (IsText)
        {
            var declaredWeights = _keys.Elements.Where(k => k.Value is BsonString { Value: "text" }).Select(k => k.Name).Order(StringComparer.Ordinal).ToArray();
            var existingWeights = existing.TryGetValue("weights", out var weights) && weights is BsonDocument weightDocument
                ? weightDocument.Names.Order(StringComparer.Ordinal).ToArray()
                : [];
            if (!declaredWeights.SequenceEqual(existingWeights, StringComparer.Ordinal))
            {
                differences.Add(new("weights", string.Join(",", declaredWeights), string.Join(",", existingWeights)));
            }
        }

        return differences;
    }

    /// <summary>Key patterns compare field by field in order; numbers by value (a shell may have stored 1.0 for 1), as the server does.</summary>
    internal static bool KeyPatternsEqual(BsonDocument left, BsonDocument right)
    {
        if (left.ElementCount != right.ElementCount)
        {
            return false;
        }

        for (var i = 0; i < left.ElementCount; i++)
        {
            var (l, r) = (left.GetElement(i), right.GetElement(i));
            if (l.Name != r.Name)
            {
                return false;
            }

            var same = l.Value.IsNumeric && r.Value.IsNumeric
                ? l.Value.ToDouble().Equals(r.Value.ToDouble())
                : l.Value.Equals(r.Value);
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    private static void CompareFlag(string option, bool declared, BsonDocument existing, List<IndexSpecDifference> differences)
    {
        var actual = existing.TryGetValue(option, out var value) && value.ToBoolean();
        if (actual != declared)
        {
            differences.Add(new(option, declared ? "true" : "(none)", actual ? "true" : "(none)"));
        }
    }

    private static string Describe(double? seconds) =>
        seconds is { } value ? value.ToString(CultureInfo.InvariantCulture) : "(none)";

    private static string FormatKeyValue(BsonValue value) => value switch
    {
        BsonString text => text.Value,
        { IsNumeric: true } number => number.ToDouble().ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

/// <summary>One option on which an existing index differs from its declaration.</summary>
public sealed record IndexSpecDifference(string Option, string Declared, string Existing)
{
    public override string ToString() => $"{Option}: declared {Declared}, existing {Existing}";
}
