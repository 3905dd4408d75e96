using System.Text.Json;

namespace QuikApp.Workers.Fleet.Chaos;

/// <summary>
/// What the workers logged while a scenario ran, counted by log event (<c>EventId.Name</c>): warnings and errors
/// (retries, Kafka and producer errors, dead letters) and the consumer lifecycle (started, assigned, revoked). A
/// scenario whose fault left no trace here did not test anything, and fails.
/// </summary>
internal static class ChaosEvidence
{
    public const string Retrying = "LogRetrying";
    public const string KafkaError = "LogKafkaError";
    public const string ProducerError = "LogProducerError";
    public const string Librdkafka = "LogLibrdkafka";
    public const string Started = "LogStarted";
    public const string Assigned = "LogAssigned";
    public const string Revoked = "LogRevoked";

    private static readonly HashSet<string> Lifecycle = new(StringComparer.Ordinal) { Started, Assigned, Revoked };

    /// <summary>Counts the run directory's worker logs: <c>workers.log</c> (in this process) and <c>logs/*.log</c> (child processes).</summary>
    public static IReadOnlyDictionary<string, int> Read(string runDirectory)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var files = new[] { Path.Join(runDirectory, "workers.log") }
            .Concat(Directory.Exists(Path.Join(runDirectory, "logs")) ? Directory.GetFiles(Path.Join(runDirectory, "logs"), "*.log") : []);
        foreach (var file in files.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (Name(line) is { } name)
                {
                    counts[name] = counts.GetValueOrDefault(name) + 1;
                }
            }
        }

        return counts;
    }

    /// <summary>The log event's name when the line is a warning or an error, or a consumer lifecycle event; otherwise null.</summary>
    public static string? Name(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null; // a child's plain output (e.g. the runtime's) is not a log event
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var name = root.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.Object && id.TryGetProperty("Name", out var n) ? n.GetString() : null;
            var level = root.TryGetProperty("@l", out var l) ? l.GetString() : "Information";
            return name is not null && (level is "Warning" or "Error" or "Fatal" || Lifecycle.Contains(name)) ? name : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static int Count(this IReadOnlyDictionary<string, int> evidence, params string[] names) =>
        names.Sum(name => evidence.GetValueOrDefault(name));
}
