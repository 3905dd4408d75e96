using System.Text.Json;
using System.Text.RegularExpressions;

namespace QuikApp.Workers.Moderation.Scoring.Lexicons;

/// <summary>
/// Reads lexicon JSON (schema 1): the built-in files embedded in this assembly, or a file an operator supplies in
/// their place. Loading happens once at start-up; scoring never touches the disk.
/// </summary>
/// <remarks>
/// The format: <c>{"schema":1, "lexicon":name, "category":default, "terms":[{"term", "severity" 1..3, "category",
/// "source", "lang", "requiresTarget", "clauseEnd"}], "wordLists":{name:[words]}, "slots":{name:[fillers]},
/// "templates":[{"pattern":"{slot} are {slot}", "category", "severity", ...}]}</c>. Templates expand to one entry per
/// combination of slot fillers. Any error names the file and the offending element.
/// </remarks>
public static partial class LexiconLoader
{
    private const int SupportedSchema = 1;

    // Protects start-up from a template that would expand to millions of phrases.
    private const int MaxEntries = 200_000;

    public static Lexicon LoadBuiltIn(BuiltInLexicon lexicon)
    {
        var resource = $"QuikApp.Workers.Moderation.Data.Lexicons.{ResourceFile(lexicon)}";
        using var stream = typeof(LexiconLoader).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from the build.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Parse(memory.ToArray(), $"built-in {ResourceFile(lexicon)}");
    }

    public static async Task<Lexicon> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Lexicon file {path} cannot be read: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>The operator's file when <paramref name="overridePath"/> is set, else the built-in lexicon.</summary>
    public static Task<Lexicon> LoadAsync(
        BuiltInLexicon builtIn,
        string? overridePath,
        CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(overridePath)
            ? Task.FromResult(LoadBuiltIn(builtIn))
            : LoadFileAsync(overridePath, cancellationToken);

    /// <summary>Parses lexicon JSON; <paramref name="origin"/> names the source in error messages.</summary>
    public static Lexicon Parse(ReadOnlyMemory<byte> utf8Json, string origin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            return Read(document.RootElement, origin);
        }
    }

    private static string ResourceFile(BuiltInLexicon lexicon) => lexicon switch
    {
        BuiltInLexicon.Profanity => "profanity.json",
        BuiltInLexicon.Toxicity => "toxicity.json",
        _ => throw new ArgumentOutOfRangeException(nameof(lexicon), lexicon, "Unknown built-in lexicon."),
    };

    private static Lexicon Read(JsonElement root, string origin)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(origin, "the root must be an object");
        }

        if (!root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Number
            || !schema.TryGetInt32(out var version) || version != SupportedSchema)
        {
            throw Invalid(origin, $"\"schema\" must be {SupportedSchema}");
        }

        var name = RequiredString(root, "lexicon", origin, "the root");
        var defaultCategory = OptionalString(root, "category", origin, "the root");
        var entries = new List<LexiconEntry>();

        if (root.TryGetProperty("terms", out var terms))
        {
            if (terms.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(origin, "\"terms\" must be an array");
            }

            var index = 0;
            foreach (var term in terms.EnumerateArray())
            {
                entries.Add(ReadEntry(term, RequiredString(term, "term", origin, $"terms[{index}]"), defaultCategory, origin, $"terms[{index}]"));
                index++;
            }
        }

        var slots = ReadWordLists(root, "slots", origin);
        if (root.TryGetProperty("templates", out var templates))
        {
            if (templates.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(origin, "\"templates\" must be an array");
            }

            var index = 0;
            foreach (var template in templates.EnumerateArray())
            {
                var where = $"templates[{index}]";
                var pattern = RequiredString(template, "pattern", origin, where);
                foreach (var phrase in Expand(pattern, slots, origin, where))
                {
                    entries.Add(ReadEntry(template, phrase, defaultCategory, origin, where));
                    if (entries.Count > MaxEntries)
                    {
                        throw Invalid(origin, $"more than {MaxEntries} entries after expanding templates");
                    }
                }

                index++;
            }
        }

        if (entries.Count == 0)
        {
            throw Invalid(origin, "no terms");
        }

        return new Lexicon(name, entries) { WordLists = ReadWordLists(root, "wordLists", origin) };
    }

    private static LexiconEntry ReadEntry(JsonElement element, string term, string? defaultCategory, string origin, string where)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            throw Invalid(origin, $"{where}: \"term\" is empty");
        }

        var category = OptionalString(element, "category", origin, where) ?? defaultCategory
            ?? throw Invalid(origin, $"{where}: no \"category\" and no default category at the root");
        if (!element.TryGetProperty("severity", out var severityElement)
            || severityElement.ValueKind != JsonValueKind.Number
            || !severityElement.TryGetInt32(out var severity) || severity is < 1 or > 3)
        {
            throw Invalid(origin, $"{where}: \"severity\" must be 1, 2 or 3");
        }

        return new LexiconEntry(term, category, severity)
        {
            Source = OptionalString(element, "source", origin, where),
            Language = OptionalString(element, "lang", origin, where),
            RequiresTarget = OptionalBool(element, "requiresTarget", origin, where),
            AtClauseEnd = OptionalBool(element, "clauseEnd", origin, where),
        };
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadWordLists(JsonElement root, string property, string origin)
    {
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!root.TryGetProperty(property, out var element))
        {
            return lists;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(origin, $"\"{property}\" must be an object of string arrays");
        }

        foreach (var list in element.EnumerateObject())
        {
            if (list.Value.ValueKind != JsonValueKind.Array
                || list.Value.EnumerateArray().Any(w => w.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(w.GetString())))
            {
                throw Invalid(origin, $"\"{property}.{list.Name}\" must be an array of non-empty strings");
            }

            lists[list.Name] = [.. list.Value.EnumerateArray().Select(w => w.GetString()!)];
        }

        return lists;
    }

    private static IEnumerable<string> Expand(
        string pattern,
        Dictionary<string, IReadOnlyList<string>> slots,
        string origin,
        string where)
    {
        var slot = SlotPattern().Match(pattern);
        if (!slot.Success)
        {
            return [pattern];
        }

        var name = slot.Groups[1].Value;
        if (!slots.TryGetValue(name, out var fillers))
        {
            throw Invalid(origin, $"{where}: pattern uses slot {{{name}}}, which \"slots\" doesn't define");
        }

        var before = pattern[..slot.Index];
        var after = pattern[(slot.Index + slot.Length)..];
        return fillers.SelectMany(filler => Expand(before + filler + after, slots, origin, where));
    }

    private static string RequiredString(JsonElement element, string property, string origin, string where) =>
        OptionalString(element, property, origin, where)
        ?? throw Invalid(origin, $"{where}: \"{property}\" is required");

    private static string? OptionalString(JsonElement element, string property, string origin, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(origin, $"{where} must be an object");
        }

        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Invalid(origin, $"{where}: \"{property}\" must be a string");
    }

    private static bool OptionalBool(JsonElement element, string property, string origin, string where)
    {
        if (!element.TryGetProperty(property, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(origin, $"{where}: \"{property}\" must be true or false"),
        };
    }

    private static InvalidDataException Invalid(string origin, string problem) => new($"Lexicon {origin}: {problem}.");

    [GeneratedRegex(@"\{(\w+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex SlotPattern();
}
