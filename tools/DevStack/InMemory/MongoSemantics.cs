using MongoDB.Bson;
using MongoDB.Driver;

namespace QuikApp.Workers.DevStack.InMemory;

/// <summary>
/// What the in-memory doubles share of MongoDB's behaviour, so a double cannot accept what the server refuses or match
/// what the server never matches: millisecond dates, type-bracketed equality and order, duplicate-key and path errors.
/// </summary>
/// <remarks>
/// A partial class: each area adds its own members in <c>MongoSemantics.&lt;Area&gt;.cs</c>. Keep this file generic.
/// </remarks>
public static partial class MongoSemantics
{
    /// <summary>Server error code of a duplicate key on a unique index (E11000).</summary>
    public const int DuplicateKeyCode = 11000;

    /// <summary>Server error code of an update path that cannot be created (e.g. <c>$set "a.b"</c> when <c>a</c> is null).</summary>
    public const int PathNotViableCode = 28;

    /// <summary>
    /// <paramref name="time"/> as MongoDB stores it: a BSON date is UTC milliseconds since the epoch, so the ticks below a
    /// millisecond are lost on the way in. Every date a double stores must go through this.
    /// </summary>
    public static DateTimeOffset Millis(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <inheritdoc cref="Millis(DateTimeOffset)"/>
    public static DateTimeOffset? Millis(DateTimeOffset? time) => time is { } value ? Millis(value) : null;

    /// <inheritdoc cref="Millis(DateTimeOffset)"/>
    public static DateTime Millis(DateTime time) => Millis(new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero)).UtcDateTime;

    /// <summary>
    /// The canonical type bracket of a BSON value in MongoDB's comparison order: values in different brackets are never
    /// equal, and a query operator (<c>$eq</c>, <c>$in</c>, <c>$lt</c> …) only matches values of the operand's bracket.
    /// All numbers share one bracket (compared numerically); a string never equals an ObjectId or a UUID.
    /// </summary>
    public static int TypeBracket(BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.BsonType switch
        {
            BsonType.MinKey => 1,
            BsonType.Undefined or BsonType.Null => 2,
            BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => 3,
            BsonType.String or BsonType.Symbol => 4,
            BsonType.Document => 5,
            BsonType.Array => 6,
            BsonType.Binary => 7,
            BsonType.ObjectId => 8,
            BsonType.Boolean => 9,
            BsonType.DateTime => 10,
            BsonType.Timestamp => 11,
            BsonType.RegularExpression => 12,
            BsonType.MaxKey => 100,
            _ => 50,
        };
    }

    /// <summary>
    /// Query equality as MongoDB applies it to a scalar field: false across type brackets (a string "65a…" never equals
    /// an ObjectId), numeric across int/long/double/decimal, byte-exact (subtype included) for binary, ordinal for strings.
    /// A missing field is passed as null and equals a null operand, as <c>{f: null}</c> matches missing fields.
    /// </summary>
    public static bool QueryEquals(BsonValue? field, BsonValue operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        field ??= BsonNull.Value;
        if (TypeBracket(field) != TypeBracket(operand))
        {
            return false;
        }

        return TypeBracket(field) switch
        {
            2 => true,
            3 => field.ToDecimal128() == operand.ToDecimal128() || field.ToDouble() == operand.ToDouble(),
            4 => string.Equals(field.ToString(), operand.ToString(), StringComparison.Ordinal),
            _ => field.Equals(operand),
        };
    }

    /// <summary>
    /// Compares two values as a query range operator (<c>$lt</c>, <c>$lte</c>, <c>$gt</c>, <c>$gte</c>) does: null when
    /// they are in different brackets (the operator does not match), otherwise their order. A date is never less than a
    /// number or a null; a missing field matches no range.
    /// </summary>
    public static int? QueryCompare(BsonValue? field, BsonValue operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        if (field is null || TypeBracket(field) != TypeBracket(operand) || TypeBracket(field) == 2)
        {
            return null;
        }

        return TypeBracket(field) switch
        {
            3 => field.ToDouble().CompareTo(operand.ToDouble()),
            4 => string.CompareOrdinal(field.ToString(), operand.ToString()),
            10 => field.ToUniversalTime().CompareTo(operand.ToUniversalTime()),
            _ => field.CompareTo(operand),
        };
    }

    /// <summary>
    /// <c>$in</c> on a scalar field: true when the field equals any operand under <see cref="QueryEquals"/> (so never across
    /// BSON types).
    /// </summary>
    public static bool QueryIn(BsonValue? field, IEnumerable<BsonValue> operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        return operands.Any(operand => QueryEquals(field, operand));
    }

    /// <summary>
    /// The exception the driver throws for an E11000 from a single write (<c>insertOne</c>, <c>updateOne</c> with upsert),
    /// so a double's caller sees the same type and code as with the server.
    /// </summary>
    public static MongoWriteException DuplicateKey(string collection, string indexName, string key) =>
        WriteError(DuplicateKeyCode, $"E11000 duplicate key error collection: {collection} index: {indexName} dup key: {{ {key} }}");

    /// <summary>
    /// The exception the driver throws for error 28 (PathNotViable): an update that sets <c>parent.child</c> where
    /// <c>parent</c> holds a non-document such as null.
    /// </summary>
    public static MongoWriteException PathNotViable(string field, string parent, BsonValue parentValue) =>
        WriteError(PathNotViableCode, $"Cannot create field '{field}' in element {{{parent}: {parentValue}}}");

    /// <summary>A <see cref="MongoWriteException"/> carrying one server write error (what a single write gets from the driver).</summary>
    public static MongoWriteException WriteError(int code, string message)
    {
        var connection = new MongoDB.Driver.Core.Connections.ConnectionId(
            new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("in-memory", 27017)));
        return new MongoWriteException(connection, NewWriteError(code, message), writeConcernError: null, innerException: null);
    }

    // The driver constructs WriteError only from a server reply (its constructor is internal); a double has no reply, so
    // it builds the same object the driver would, letting callers' catch clauses and Code checks run unchanged.
    private static WriteError NewWriteError(int code, string message) => (WriteError)Activator.CreateInstance(
        typeof(WriteError),
        System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance,
        binder: null,
        args: [code == DuplicateKeyCode ? ServerErrorCategory.DuplicateKey : ServerErrorCategory.Uncategorized, code, message, null],
        culture: null)!;
}
