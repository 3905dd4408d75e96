using System.Collections.Frozen;
using System.Text.Json;

namespace QuikApp.Workers.Shared.Events;

/// <summary>A contract enum's wire values: each member's name in camelCase (<c>Text</c> is <c>"text"</c>).</summary>
internal static class WireEnum<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    private static readonly FrozenDictionary<TEnum, string> NameOf =
        Values.ToFrozenDictionary(v => v, v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()));
    private static readonly FrozenDictionary<string, TEnum> ValueOf =
        NameOf.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The accepted values in declaration order, for error messages.</summary>
    public static string Expected { get; } = string.Join(", ", Values.Select(v => NameOf[v]));

    // Ordinal: the contract's values are exact; "Text" is as wrong as "video".
    public static bool TryParse(string name, out TEnum value) => ValueOf.TryGetValue(name, out value);

    public static string Name(TEnum value) =>
        NameOf.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {typeof(TEnum).Name} of the contract.");
}
