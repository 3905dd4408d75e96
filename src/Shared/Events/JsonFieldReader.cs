using System.Globalization;
using System.Text.Json;
using MongoDB.Bson;

namespace QuikApp.Workers.Shared.Events;

/// <summary>Reads one JSON object's fields against the contract, keeping the first violation with its field path.</summary>
/// <remarks>
/// After a violation every read returns a default, so a parser reads all fields straight through and checks
/// <see cref="Failure"/> once; readers of nested objects share the failure with their parent.
/// Absent and null are the same for nullable fields (producers may omit nulls); required fields must be present.
/// Only the fields asked for are looked at: unknown fields, and duplicates of them, are ignored.
/// </remarks>
internal sealed class JsonFieldReader
{
    private readonly JsonElement _object;
    private readonly string _path;
    private readonly FirstFailure _failure;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Utf8Names = new(StringComparer.Ordinal);

    private JsonFieldReader(JsonElement obj, string path, FirstFailure failure)
    {
        _object = obj;
        _path = path;
        _failure = failure;
    }

    /// <summary>"path: problem" of the first violation, or null.</summary>
    public string? Failure => _failure.Reason;

    private bool Failed => _failure.Reason is not null;

    // How a failure about this object as a whole names it.
    private string ObjectLabel => _path.Length == 0 ? "payload" : _path;

    /// <summary>A reader for the envelope; the caller has checked that <paramref name="root"/> is an object.</summary>
    public static JsonFieldReader ForRoot(JsonElement root) => new(root, "", new FirstFailure());

    /// <summary>Records a violation found by the caller (no-op when one is already recorded).</summary>
    public void Reject(string field, string problem) => _failure.Reason ??= $"{PathOf(field)}: {problem}";

    public string ReadString(string name) => TryFind(name, out var v) ? AsString(v, name) : "";

    public string ReadNonEmptyString(string name)
    {
        var value = ReadString(name);
        if (value.Length == 0)
        {
            Reject(name, "must not be empty");
        }

        return value;
    }

    public string? ReadNullableString(string name) => TryFindNullable(name, out var v) ? AsString(v, name) : null;

    public Guid ReadUuid(string name) => TryFind(name, out var v) ? AsUuid(v, name) : default;

    public ObjectId ReadObjectId(string name) => TryFind(name, out var v) ? AsObjectId(v, name) : default;

    public ObjectId? ReadNullableObjectId(string name) => TryFindNullable(name, out var v) ? AsObjectId(v, name) : null;

    public DateTimeOffset ReadTimestamp(string name) => TryFind(name, out var v) ? AsTimestamp(v, name) : default;

    public DateTimeOffset? ReadNullableTimestamp(string name) => TryFindNullable(name, out var v) ? AsTimestamp(v, name) : null;

    public bool ReadBoolean(string name)
    {
        if (!TryFind(name, out var v))
        {
            return false;
        }

        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Mismatch(name, "a boolean", v, false);
        }

        return v.GetBoolean();
    }

    public long ReadNonNegativeInt64(string name) => TryFind(name, out var v) ? AsNonNegativeInteger(v, name, long.MaxValue) : 0;

    public int? ReadNullableNonNegativeInt32(string name) =>
        TryFindNullable(name, out var v) ? (int)AsNonNegativeInteger(v, name, int.MaxValue) : null;

    public double ReadDouble(string name) => TryFind(name, out var v) ? AsDouble(v, name, nonNegative: false) : 0;

    public double? ReadNullableNonNegativeDouble(string name) =>
        TryFindNullable(name, out var v) ? AsDouble(v, name, nonNegative: true) : null;

    public TEnum ReadEnum<TEnum>(string name)
        where TEnum : struct, Enum
    {
        if (!TryFind(name, out var v))
        {
            return default;
        }

        var text = AsString(v, name);
        if (Failed)
        {
            return default;
        }

        if (!WireEnum<TEnum>.TryParse(text, out var value))
        {
            Reject(name, $"expected one of {WireEnum<TEnum>.Expected}, got {Quote(text)}");
        }

        return value;
    }

    /// <summary>A reader for a required nested object (a reader of nothing when it is missing or not an object).</summary>
    public JsonFieldReader ReadObject(string name) => TryFind(name, out var v) ? AsObject(v, name) : Nothing();

    public IReadOnlyList<Guid> ReadUuidArray(string name)
    {
        if (!TryFind(name, out var v) || !IsArray(v, name))
        {
            return [];
        }

        var items = new Guid[v.GetArrayLength()];
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            items[i] = AsUuid(item, $"{name}[{i}]");
            i++;
        }

        return items;
    }

    public IReadOnlyList<T> ReadObjectArray<T>(string name, Func<JsonFieldReader, T> read)
    {
        if (!TryFind(name, out var v) || !IsArray(v, name))
        {
            return [];
        }

        var items = new T[v.GetArrayLength()];
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            items[i] = read(AsObject(item, $"{name}[{i}]"));
            i++;
        }

        return items;
    }

    /// <summary>An object used as a map from its property names to objects of one shape.</summary>
    public IReadOnlyDictionary<string, T> ReadObjectMap<T>(string name, Func<JsonFieldReader, T> read)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        if (!TryFind(name, out var v))
        {
            return map;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            return Mismatch(name, "an object", v, map);
        }

        foreach (var property in v.EnumerateObject())
        {
            if (!TryGetName(property, name, out var key))
            {
                break;
            }

            var label = $"{name}.{key}";
            if (map.ContainsKey(key))
            {
                Reject(label, "duplicate property");
                break;
            }

            map[key] = read(AsObject(property.Value, label));
            if (Failed)
            {
                break;
            }
        }

        return map;
    }

    // Finds a required field; false (with the violation recorded) when it is missing, or on an earlier violation.
    private bool TryFind(string name, out JsonElement value)
    {
        if (!TryFindAny(name, out value))
        {
            if (!Failed)
            {
                Reject(name, "required field is missing");
            }

            return false;
        }

        return true;
    }

    // Finds a nullable field; false when it is absent or null.
    private bool TryFindNullable(string name, out JsonElement value) =>
        TryFindAny(name, out value) && value.ValueKind != JsonValueKind.Null;

    // Finds a field by comparing UTF-8 names in place: no per-event allocation (an index of the object's fields cost more
    // than the JSON parse itself). A field given twice is rejected instead of silently resolved one way here and possibly
    // the other way by another consumer (TryGetProperty would take the last one).
    private bool TryFindAny(string name, out JsonElement value)
    {
        value = default;
        if (Failed)
        {
            return false;
        }

        var utf8Name = Utf8Names.GetOrAdd(name, static n => System.Text.Encoding.UTF8.GetBytes(n));
        var found = false;
        foreach (var property in _object.EnumerateObject())
        {
            bool matches;
            try
            {
                matches = property.NameEquals(utf8Name);
            }
            catch (InvalidOperationException)
            {
                _failure.Reason ??= $"{ObjectLabel}: a property name has an invalid \\u escape (unpaired surrogate)";
                return false;
            }

            if (!matches)
            {
                continue;
            }

            if (found)
            {
                Reject(name, "duplicate property");
                return false;
            }

            value = property.Value;
            found = true;
        }

        return found;
    }

    private string AsString(JsonElement v, string label)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            return Mismatch(label, "a string", v, "");
        }

        try
        {
            return v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            Reject(label, "string has an invalid \\u escape (unpaired surrogate)");
            return "";
        }
    }

    private Guid AsUuid(JsonElement v, string label)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            return Mismatch(label, "a UUID string", v, Guid.Empty);
        }

        // TryGetGuid accepts exactly the 36-character 8-4-4-4-12 form: no braces, no whitespace.
        if (v.TryGetGuid(out var guid))
        {
            return guid;
        }

        var text = AsString(v, label);
        Reject(label, $"expected a UUID string (8-4-4-4-12 hex digits), got {Quote(text)}");
        return Guid.Empty;
    }

    private ObjectId AsObjectId(JsonElement v, string label)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            return Mismatch(label, "an ObjectId string", v, ObjectId.Empty);
        }

        var text = AsString(v, label);
        if (text.Length != 24 || !text.All(char.IsAsciiHexDigit))
        {
            Reject(label, $"expected an ObjectId string (24 hex digits), got {Quote(text)}");
            return ObjectId.Empty;
        }

        return ObjectId.Parse(text);
    }

    private DateTimeOffset AsTimestamp(JsonElement v, string label)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            return Mismatch(label, "an ISO-8601 time string", v, default(DateTimeOffset));
        }

        // TryGetDateTimeOffset alone would take a time without a zone as local time, and a date without a time.
        var text = AsString(v, label);
        if (!HasSecondsAndZone(text) || !v.TryGetDateTimeOffset(out var time))
        {
            Reject(label, $"expected a valid ISO-8601 time with seconds and a zone (Z or +hh:mm/-hh:mm), got {Quote(text)}");
            return default;
        }

        return time.ToUniversalTime();
    }

    private static bool HasSecondsAndZone(string text) =>
        text.Length >= 20
        && text[10] == 'T'
        && text[16] == ':'
        && (text[^1] == 'Z' || (text[^6] is '+' or '-' && text[^3] == ':'));

    private long AsNonNegativeInteger(JsonElement v, string label, long max)
    {
        if (v.ValueKind != JsonValueKind.Number)
        {
            return Mismatch(label, "an integer", v, 0L);
        }

        if (!v.TryGetInt64(out var value))
        {
            Reject(label, $"expected an integer, got {v.GetRawText()}");
            return 0;
        }

        if (value > max)
        {
            Reject(label, $"must be at most {max.ToString(CultureInfo.InvariantCulture)}, got {v.GetRawText()}");
            return 0;
        }

        if (value < 0)
        {
            Reject(label, $"must not be negative, got {v.GetRawText()}");
            return 0;
        }

        return value;
    }

    private double AsDouble(JsonElement v, string label, bool nonNegative)
    {
        if (v.ValueKind != JsonValueKind.Number)
        {
            return Mismatch(label, "a number", v, 0d);
        }

        // Out-of-range literals such as 1e400 parse to infinity.
        if (!v.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            Reject(label, $"expected a finite number, got {v.GetRawText()}");
            return 0;
        }

        if (nonNegative && value < 0)
        {
            Reject(label, $"must not be negative, got {v.GetRawText()}");
            return 0;
        }

        return value;
    }

    private bool IsArray(JsonElement v, string label) =>
        v.ValueKind == JsonValueKind.Array || Mismatch(label, "an array", v, false);

    private JsonFieldReader AsObject(JsonElement v, string label) =>
        v.ValueKind == JsonValueKind.Object
            ? new JsonFieldReader(v, PathOf(label), _failure)
            : Mismatch(label, "an object", v, Nothing());

    private bool TryGetName(JsonProperty property, string label, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            Reject(label, "a property name has an invalid \\u escape (unpaired surrogate)");
            name = "";
            return false;
        }
    }

    // Stands in for an object that is missing or of the wrong kind; a violation is already recorded, so it reads nothing.
    private JsonFieldReader Nothing() => new(default, _path, _failure);

    private T Mismatch<T>(string label, string expected, JsonElement actual, T fallback)
    {
        Reject(label, $"expected {expected}, got {KindOf(actual)}");
        return fallback;
    }

    private string PathOf(string label) => _path.Length == 0 ? label : $"{_path}.{label}";

    internal static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    // Quotes a value for a failure reason: short, and without control characters, since reasons end up in logs and headers.
    internal static string Quote(string text)
    {
        const int MaxShown = 64;
        var shown = text.Length <= MaxShown ? text : text[..MaxShown] + "...";
        return $"'{string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c))}'";
    }

    private sealed class FirstFailure
    {
        public string? Reason { get; set; }
    }
}
