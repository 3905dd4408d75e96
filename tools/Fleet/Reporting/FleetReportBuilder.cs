using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Driving;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Reporting;

/// <summary>Everything a report is made from, gathered at the end of a run.</summary>
internal sealed record ReportInputs(
    RunSummary Run,
    GeneratedWorkload Workload,
    Observations Observed,
    ProductionLog Production,
    IReadOnlyList<RuleResult> Conservation,
    long ReplyPairs,
    MemorySummary Memory,
    AnalyticsSummary Analytics,
    BenchSummary? Bench = null);

/// <summary>Turns a run's workload, observations and production log into its <see cref="FleetReport"/>. Pure.</summary>
internal static class FleetReportBuilder
{
    private static readonly string[] ConsumedTopics =
        [EventTopics.MessageSent, EventTopics.MessageEdited, EventTopics.MessageDeleted, EventTopics.FileUploaded, EventTopics.FileDeleted];

    private static readonly string[] ModerationTopics = [EventTopics.MessageSent, EventTopics.MessageEdited, EventTopics.MessageDeleted];

    public static FleetReport Build(ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var workload = inputs.Workload;
        var observed = inputs.Observed;
        var valid = workload.Events.Where(e => e is not MalformedEvent).ToList();
        var byTopic = workload.CountByTopic();

        var results = observed.Results.Values.Where(r => r.ContentEventId is not null).ToList();
        var moderation = new ModerationSummary(results.Count, results.Count(r => r.Action == "allow"), results.Count(r => r.Action == "flag"),
            results.Count(r => r.Action == "block"), observed.Results.Values.Count(r => r.Deleted),
            observed.Derived.Where(d => d.Topic == EventTopics.ModerationFlagged).DistinctBy(d => d.EventId).Count(), inputs.ReplyPairs);

        var uploads = workload.Uploads.Select(u => u.File.FileId).ToHashSet();
        var documents = observed.Files.Values.Where(f => uploads.Contains(f.FileId)).ToList();
        var files = new FilesSummary(documents.Count,
            Count(documents.Select(d => d.ScanStatus), "clean", "infected", "error", "pending"),
            Count(documents.Select(d => d.ProcessingStatus ?? "none"), "done", "skipped", "failed", "none"),
            documents.Sum(d => d.Derivatives), documents.Count(d => d.ThumbnailUrl is not null),
            observed.Derived.Where(d => d.Topic == EventTopics.FileScanned).DistinctBy(d => d.EventId).Count(),
            observed.Derived.Where(d => d.Topic == EventTopics.FileProcessed).DistinctBy(d => d.EventId).Count());

        var deadLetters = observed.DeadLetters.GroupBy(d => ReasonWithoutDetail(d.Reason), StringComparer.Ordinal)
            .Select(g => new DeadLetterGroup(g.Key, g.Count(), [.. g.Select(d => EventTopics.DeadLetterTopic(d.SourceTopic)).Distinct().Order(StringComparer.Ordinal)]))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Reason, StringComparer.Ordinal).ToList();

        var production = inputs.Production;
        var latency = new LatencySummary(
            Percentiles.Of([.. results.Select(r => Latency(production, r.ContentEventId, r.ProcessedAt)).OfType<double>()]),
            Percentiles.Of([.. documents.Select(d => Latency(production, d.EventId, d.ProcessedAt)).OfType<double>()]));

        var moderationEvents = valid.Where(e => ModerationTopics.Contains(e.Topic)).ToList();
        var firstProduced = production.FirstProducedAt;
        var lastModeration = results.Max(r => r.ProcessedAt);
        var lastFile = documents.Max(d => d.ProcessedAt);
        var lastEffect = new[] { lastModeration, lastFile }.Max();
        var seconds = Seconds(firstProduced, lastEffect);
        var firstUpload = workload.Uploads.Select(u => production.ProducedAt(u.EventId)).Min();
        var moderationSeconds = Seconds(firstProduced, lastModeration);
        var filesSeconds = Seconds(firstUpload, lastFile);
        var throughput = new ThroughputSummary(seconds,
            Rate(valid.Count(e => ConsumedTopics.Contains(e.Topic)), seconds),
            moderationSeconds,
            Rate(moderationEvents.Count, moderationSeconds),
            filesSeconds,
            Rate(documents.Count(d => d.ProcessingStatus is not null), filesSeconds));

        return new FleetReport(
            inputs.Run,
            new WorkloadSummary(byTopic, valid.Count(e => ConsumedTopics.Contains(e.Topic)), workload.Malformed.Count(),
                byTopic.GetValueOrDefault(EventTopics.MessageReaction), [.. production.Failures]),
            moderation, files, deadLetters, latency, throughput, inputs.Memory, inputs.Conservation, inputs.Analytics, inputs.Bench);
    }

    /// <summary>"malformed: payload: not valid JSON (… BytePositionInLine: 216.)" → "malformed: payload: not valid JSON".</summary>
    public static string ReasonWithoutDetail(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var detail = reason.IndexOf(" (", StringComparison.Ordinal);
        var got = reason.IndexOf(", got ", StringComparison.Ordinal);
        var cut = new[] { detail, got }.Where(i => i > 0).DefaultIfEmpty(reason.Length).Min();
        return reason[..cut];
    }

    private static double? Latency(ProductionLog production, Guid? eventId, DateTimeOffset? processedAt) =>
        eventId is { } id && processedAt is { } at && production.ProducedAt(id) is { } produced
            ? Math.Max(0, (at - produced).TotalMilliseconds)
            : null;

    private static double Seconds(DateTimeOffset? from, DateTimeOffset? to) => from is { } f && to is { } t && t > f ? (t - f).TotalSeconds : 0;

    private static double Rate(int count, double seconds) => seconds > 0 ? count / seconds : 0;

    private static Dictionary<string, int> Count(IEnumerable<string> values, params string[] keys)
    {
        var counts = keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        foreach (var value in values)
        {
            counts[value] = counts.GetValueOrDefault(value) + 1;
        }

        return counts;
    }
}
