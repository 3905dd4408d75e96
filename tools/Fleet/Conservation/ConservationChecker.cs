using System.Globalization;
using QuikApp.Workers.Files.Processing;
using QuikApp.Workers.Files.Recording;
using QuikApp.Workers.Moderation.Handling;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Conservation;

/// <summary>One line of the conservation check: what should hold, whether it does, and the first offenders when not.</summary>
/// <param name="Expected">How many effects the rule expects.</param>
/// <param name="Observed">How many of them were observed as expected.</param>
internal sealed record RuleResult(string Name, bool Passed, int Expected, int Observed, IReadOnlyList<string> Problems);

/// <summary>
/// The conservation check: every valid event has exactly one effect, nothing is missing, nothing duplicated, and the
/// dead-letter topics hold exactly the malformed events. Pure: expected effects (from the workload) against what was
/// observed (stores, topics, storage). docs/fleet.md explains each rule.
/// </summary>
internal static class ConservationChecker
{
    public const string ModerationResults = "moderation: every sent message has exactly one result";
    public const string LatestVersion = "moderation: each result judged the message's latest content";
    public const string DeletedMessages = "moderation: deleted messages are marked deleted, and only those";
    public const string FlaggedEvents = "moderation.flagged: one event per flag or block verdict, none unexplained";
    public const string FileOutcomes = "files: every upload has exactly one outcome, the expected one";
    public const string FileEvents = "file.scanned / file.processed: one per outcome, none unexplained";
    public const string Thumbnails = "thumbnails: every clean picture has one, nothing else has one";
    public const string DeletedFiles = "files: deleted files keep no thumbnails";
    public const string DeadLetters = "dlq: holds exactly the malformed events";

    private const int MaxProblems = 5;

    /// <param name="malformedPositions">Where the malformed records were produced: the dead letters must come from exactly these.</param>
    /// <param name="copiesAllowed">
    /// Whether a derived event published more than once with the same id, or a malformed record dead-lettered more than
    /// once, passes. At-least-once delivery allows it (consumers dedupe by eventId; a dead letter names its source
    /// position) and a run with injected faults expects it; an undisturbed run should have none.
    /// </param>
    public static IReadOnlyList<RuleResult> Check(ExpectedEffects expected, IReadOnlyCollection<TopicPosition> malformedPositions, Observations observed,
        bool copiesAllowed = false)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(malformedPositions);
        ArgumentNullException.ThrowIfNull(observed);
        return
        [
            CheckResults(expected, observed),
            CheckLatestVersion(expected, observed),
            CheckDeletedMessages(expected, observed),
            CheckFlagged(expected, observed, copiesAllowed),
            CheckFileOutcomes(expected, observed),
            CheckFileEvents(expected, observed, copiesAllowed),
            CheckThumbnails(expected, observed),
            CheckDeletedFiles(expected, observed),
            CheckDeadLetters(malformedPositions, observed, copiesAllowed),
        ];
    }

    private static RuleResult CheckResults(ExpectedEffects expected, Observations observed)
    {
        var problems = new List<string>();
        var ok = 0;
        foreach (var message in expected.Messages.Values)
        {
            if (observed.Results.GetValueOrDefault(message.MessageId) is { ContentEventId: not null })
            {
                ok++;
            }
            else
            {
                problems.Add($"missing: no result for message {message.MessageId}");
            }
        }

        problems.AddRange(observed.Results.Keys.Where(id => !expected.Messages.ContainsKey(id)).Select(id => $"extra: a result for message {id}, which was never sent"));
        return Rule(ModerationResults, expected.Messages.Count, ok, problems);
    }

    private static RuleResult CheckLatestVersion(ExpectedEffects expected, Observations observed)
    {
        var problems = new List<string>();
        var ok = 0;
        foreach (var message in expected.Messages.Values)
        {
            if (observed.Results.GetValueOrDefault(message.MessageId) is not { ContentEventId: { } judged })
            {
                continue; // counted as missing by the first rule
            }

            if (judged == message.LatestEventId)
            {
                ok++;
            }
            else
            {
                problems.Add($"stale: message {message.MessageId} holds the result of event {judged}, not of its latest {message.LatestEventId}");
            }
        }

        return Rule(LatestVersion, expected.Messages.Count, ok, problems);
    }

    private static RuleResult CheckDeletedMessages(ExpectedEffects expected, Observations observed)
    {
        var problems = new List<string>();
        var ok = 0;
        foreach (var message in expected.Messages.Values)
        {
            var deleted = observed.Results.GetValueOrDefault(message.MessageId)?.Deleted ?? false;
            if (deleted == message.Deleted)
            {
                ok += message.Deleted ? 1 : 0;
            }
            else
            {
                problems.Add(message.Deleted ? $"missing: message {message.MessageId} was deleted but its result is not marked"
                    : $"extra: message {message.MessageId} is marked deleted but was never deleted");
            }
        }

        return Rule(DeletedMessages, expected.Messages.Values.Count(m => m.Deleted), ok, problems);
    }

    private static RuleResult CheckFlagged(ExpectedEffects expected, Observations observed, bool copiesAllowed)
    {
        var problems = new List<string>();
        var events = observed.Derived.Where(d => d.Topic == EventTopics.ModerationFlagged).ToList();
        var ids = events.Select(e => e.EventId).ToHashSet();
        var verdicts = observed.Results.Values.Where(r => r.Action is "flag" or "block" && r.ContentEventId is not null).ToList();
        var ok = 0;
        foreach (var verdict in verdicts)
        {
            var id = MessageModerationHandler.FlaggedEventId(verdict.ContentEventId!.Value, verdict.MessageId);
            if (ids.Contains(id))
            {
                ok++;
            }
            else
            {
                problems.Add($"missing: message {verdict.MessageId} has verdict {verdict.Action} but no moderation.flagged {id} was published");
            }
        }

        foreach (var flagged in events.DistinctBy(e => e.EventId))
        {
            var explained = MongoDB.Bson.ObjectId.TryParse(flagged.Subject, out var messageId)
                && expected.Messages.GetValueOrDefault(messageId) is { } message
                && message.VersionEventIds.Any(v => MessageModerationHandler.FlaggedEventId(v, messageId) == flagged.EventId);
            if (!explained)
            {
                problems.Add($"extra: moderation.flagged {flagged.EventId} about {flagged.Subject} comes from no event of the workload");
            }
        }

        AddCopies(problems, events, copiesAllowed);
        return Rule(FlaggedEvents, verdicts.Count, ok, problems);
    }

    private static RuleResult CheckFileOutcomes(ExpectedEffects expected, Observations observed)
    {
        var problems = new List<string>();
        var ok = 0;
        foreach (var file in expected.Files.Values)
        {
            var document = observed.Files.GetValueOrDefault(file.FileId);
            var want = file.Outcome;
            if (document is null)
            {
                problems.Add($"missing: no document for file {file.FileId} ({file.Kind})");
            }
            else if (document.ProcessingStatus is null || !document.Published)
            {
                problems.Add($"missing: file {file.FileId} ({file.Kind}) has no published outcome (scan {document.ScanStatus})");
            }
            else if (document.ScanStatus != want.Scan.Name() || document.ProcessingStatus != want.Processing.Name())
            {
                problems.Add($"wrong: file {file.FileId} ({file.Kind}) is {document.ScanStatus}/{document.ProcessingStatus}, expected " +
                    $"{want.Scan.Name()}/{want.Processing.Name()} ({document.Reason})");
            }
            else if (document.Attempts != 1)
            {
                problems.Add($"duplicated: file {file.FileId} ({file.Kind}) took {document.Attempts} attempts");
            }
            else
            {
                ok++;
            }
        }

        return Rule(FileOutcomes, expected.Files.Count, ok, problems);
    }

    private static RuleResult CheckFileEvents(ExpectedEffects expected, Observations observed, bool copiesAllowed)
    {
        var problems = new List<string>();
        var events = observed.Derived.Where(d => d.Topic is EventTopics.FileScanned or EventTopics.FileProcessed).ToList();
        var wanted = new HashSet<(string Topic, Guid Id)>();
        foreach (var file in expected.Files.Values)
        {
            if (observed.Files.GetValueOrDefault(file.FileId) is not { EventId: { } source, Attempts: var attempt, ProcessingStatus: { } status })
            {
                continue; // no outcome: the outcome rule says so
            }

            wanted.Add((EventTopics.FileScanned, FileOutcomeRecorder.DerivedEventId(source, file.FileId, "file.scanned", attempt)));
            if (status == ProcessingStatus.Done.Name())
            {
                wanted.Add((EventTopics.FileProcessed, FileOutcomeRecorder.DerivedEventId(source, file.FileId, "file.processed", attempt)));
            }
        }

        var seen = events.Select(e => (e.Topic, e.EventId)).ToHashSet();
        var ok = wanted.Count(seen.Contains);
        problems.AddRange(wanted.Where(w => !seen.Contains(w)).Select(w => $"missing: {w.Topic} {w.Id} was not published"));
        problems.AddRange(events.DistinctBy(e => (e.Topic, e.EventId)).Where(e => !wanted.Contains((e.Topic, e.EventId)))
            .Select(e => $"extra: {e.Topic} {e.EventId} about file {e.Subject} matches no stored outcome"));
        AddCopies(problems, events, copiesAllowed);
        return Rule(FileEvents, wanted.Count, ok, problems);
    }

    private static RuleResult CheckThumbnails(ExpectedEffects expected, Observations observed)
    {
        var problems = new List<string>();
        var files = expected.Files.Values.Where(f => !f.Deleted).ToList();
        var ok = 0;
        foreach (var file in files)
        {
            var has = observed.Files.GetValueOrDefault(file.FileId)?.ThumbnailUrl is not null;
            if (has == file.Outcome.Thumbnail)
            {
                ok++;
            }
            else
            {
                problems.Add(file.Outcome.Thumbnail ? $"missing: file {file.FileId} ({file.Kind}) has no thumbnail"
                    : $"extra: file {file.FileId} ({file.Kind}) has a thumbnail");
            }
        }

        return Rule(Thumbnails, files.Count, ok, problems);
    }

    private static RuleResult CheckDeletedFiles(ExpectedEffects expected, Observations observed)
    {
        var problems = new List<string>();
        var deleted = expected.Files.Values.Where(f => f.Deleted).ToList();
        var ok = 0;
        foreach (var file in deleted)
        {
            var document = observed.Files.GetValueOrDefault(file.FileId);
            if (document?.ThumbnailUrl is not null || document?.Derivatives > 0)
            {
                problems.Add($"kept: deleted file {file.FileId} still lists its thumbnail");
            }
            else if (observed.FilesWithDerivativesLeft.Contains(file.FileId))
            {
                problems.Add($"kept: deleted file {file.FileId} still has thumbnail objects in storage");
            }
            else
            {
                ok++;
            }
        }

        return Rule(DeletedFiles, deleted.Count, ok, problems);
    }

    private static RuleResult CheckDeadLetters(IReadOnlyCollection<TopicPosition> malformed, Observations observed, bool copiesAllowed)
    {
        var problems = new List<string>();
        var expected = malformed.ToHashSet();
        var letters = observed.DeadLetters.Select(d => (Position: new TopicPosition(d.SourceTopic, d.SourcePartition, d.SourceOffset), d.Reason)).ToList();
        var found = letters.Select(l => l.Position).ToHashSet();
        var ok = expected.Count(found.Contains);
        problems.AddRange(expected.Where(p => !found.Contains(p)).Select(p => $"missing: the malformed record at {Describe(p)} is not in the DLQ"));
        problems.AddRange(letters.Where(l => !expected.Contains(l.Position))
            .Select(l => $"extra: a valid event at {Describe(l.Position)} was dead-lettered: {l.Reason}"));
        problems.AddRange(letters.GroupBy(l => l.Position).Where(g => !copiesAllowed && g.Count() > 1)
            .Select(g => $"duplicated: the record at {Describe(g.Key)} is in the DLQ {g.Count()} times"));
        return Rule(DeadLetters, expected.Count, ok, problems);
    }

    private static void AddCopies(List<string> problems, List<DerivedEvent> events, bool copiesAllowed)
    {
        if (copiesAllowed)
        {
            return;
        }

        problems.AddRange(events.GroupBy(e => (e.Topic, e.EventId)).Where(g => g.Count() > 1)
            .Select(g => $"duplicated: {g.Key.Topic} {g.Key.EventId} was published {g.Count()} times"));
    }

    /// <summary>Copies beyond the first: derived events published again with the same id, and malformed records dead-lettered again.</summary>
    public static (int Derived, int DeadLetters) Copies(Observations observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return (observed.Derived.GroupBy(e => (e.Topic, e.EventId)).Sum(g => g.Count() - 1),
            observed.DeadLetters.GroupBy(d => (d.SourceTopic, d.SourcePartition, d.SourceOffset)).Sum(g => g.Count() - 1));
    }

    private static string Describe(TopicPosition position) =>
        string.Create(CultureInfo.InvariantCulture, $"{position.Topic}[{position.Partition}]@{position.Offset}");

    private static RuleResult Rule(string name, int expected, int ok, List<string> problems) =>
        new(name, problems.Count == 0, expected, ok,
            problems.Count <= MaxProblems ? problems : [.. problems.Take(MaxProblems), $"… and {problems.Count - MaxProblems} more"]);
}
