using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace QuikApp.Workers.Deployment.Tests;

/// <summary>The repository's deployment files, found from the test binary's folder, and YAML read into plain maps.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QuikApp.Workers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no QuikApp.Workers.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => RootPath.Value;

    public static string ChartDirectory => PathOf("helm/quikapp-workers");

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Parses YAML (merge keys applied) into dictionaries, lists and string scalars.</summary>
    public static YamlMap Yaml(string relative)
    {
        using var reader = new StringReader(Text(relative));
        var value = new DeserializerBuilder().Build().Deserialize<object>(new MergingParser(new Parser(reader)));
        return new YamlMap(value as Dictionary<object, object> ?? throw new InvalidDataException($"{relative} is not a YAML map"), relative);
    }
}

/// <summary>A YAML mapping with path lookups that name the missing key when they fail.</summary>
internal sealed class YamlMap(Dictionary<object, object> values, string where)
{
    public IReadOnlyDictionary<object, object> Values => values;

    public string Where => where;

    public IEnumerable<string> Keys => values.Keys.Select(k => k.ToString()!);

    public bool Has(string key) => values.ContainsKey(key);

    public YamlMap Map(string key) => Get(key) switch
    {
        Dictionary<object, object> map => new YamlMap(map, $"{where}.{key}"),
        null => new YamlMap([], $"{where}.{key}"),
        var other => throw new InvalidDataException($"{where}.{key} is a {other.GetType().Name}, not a map"),
    };

    public List<object> List(string key) => Get(key) switch
    {
        List<object> list => list,
        null => [],
        var other => throw new InvalidDataException($"{where}.{key} is a {other.GetType().Name}, not a list"),
    };

    public string? Scalar(string key) => Get(key) switch
    {
        null => null,
        string text => text,
        var other => throw new InvalidDataException($"{where}.{key} is a {other.GetType().Name}, not a scalar"),
    };

    public string Required(string key) => Scalar(key) ?? throw new KeyNotFoundException($"{where}.{key} is not set");

    public int Int(string key) => int.Parse(Required(key), System.Globalization.CultureInfo.InvariantCulture);

    public bool Bool(string key) => bool.Parse(Required(key));

    /// <summary>A dotted path, e.g. <c>autoscaling.keda.enabled</c>; false when any part is missing.</summary>
    public bool HasPath(string dotted)
    {
        object? current = values;
        foreach (var part in dotted.Split('.'))
        {
            if (current is not Dictionary<object, object> map || !map.TryGetValue(part, out current))
            {
                return false;
            }
        }

        return true;
    }

    private object? Get(string key) => values.TryGetValue(key, out var value) ? value : null;
}
