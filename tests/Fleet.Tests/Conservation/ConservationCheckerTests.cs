using MongoDB.Bson;
using QuikApp.Workers.Files.Recording;
using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Moderation.Handling;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Tests.Conservation;

/// <summary>
/// The conservation check on synthetic runs: three messages (one edited, one deleted), three uploads (clean, infected,
/// deleted), two malformed records — observed exactly as expected, then broken one way at a time.
/// </summary>
public sealed class ConservationCheckerTests
{
    private static readonly ObjectId Plain = ObjectId.Parse("65a000000000000000000001");
    private static readonly ObjectId Edited = ObjectId.Parse("65a000000000000000000002");
    private static readonly ObjectId Deleted = ObjectId.Parse("65a000000000000000000003");
    private static readonly Guid PlainSent = Guid.Parse("00000000-0000-4000-8000-000000000001");
    private static readonly Guid EditedSent = Guid.Parse("00000000-0000-4000-8000-000000000002");
    private static readonly Guid EditedEdit = Guid.Parse("00000000-0000-4000-8000-000000000003");
    private static readonly Guid DeletedSent = Guid.Parse("00000000-0000-4000-8000-000000000004");
    private static readonly Guid Photo = Guid.Parse("00000000-0000-4000-8000-0000000000f1");
    private static readonly Guid Virus = Guid.Parse("00000000-0000-4000-8000-0000000000f2");
    private static readonly Guid Gone = Guid.Parse("00000000-0000-4000-8000-0000000000f3");
    private static readonly TopicPosition BadJson = new(EventTopics.MessageSent, 0, 5);
    private static readonly TopicPosition BadVersion = new(EventTopics.FileUploaded, 1, 3);
    private static readonly DateTimeOffset At = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static ExpectedEffects Expected { get; } = new(
        new Dictionary<ObjectId, ExpectedMessage>
        {
            [Plain] = new(Plain, PlainSent, new HashSet<Guid> { PlainSent }, false),
            [Edited] = new(Edited, EditedEdit, new HashSet<Guid> { EditedSent, EditedEdit }, false),
            [Deleted] = new(Deleted, DeletedSent, new HashSet<Guid> { DeletedSent }, true),
        },
        new Dictionary<Guid, ExpectedFile>
        {
            [Photo] = new(Photo, FileSampleKind.JpegExif, Upload(Photo), FileSampleKinds.Expected(FileSampleKind.JpegExif), false),
            [Virus] = new(Virus, FileSampleKind.Eicar, Upload(Virus), FileSampleKinds.Expected(FileSampleKind.Eicar), false),
            [Gone] = new(Gone, FileSampleKind.JpegLarge, Upload(Gone), FileSampleKinds.Expected(FileSampleKind.JpegLarge), true),
        },
        Malformed: 2,
        Reactions: 0);

    private static TopicPosition[] Malformed { get; } = [BadJson, BadVersion];

    [Fact]
    public void Check_EverythingAsExpected_EveryRulePasses()
    {
        var rules = ConservationChecker.Check(Expected, Malformed, Observed());

        Assert.All(rules, rule => Assert.True(rule.Passed, $"{rule.Name}: {string.Join("; ", rule.Problems)}"));
        Assert.Equal(9, rules.Count);
        Assert.Equal((3, 3), Rule(rules, ConservationChecker.ModerationResults) is var r ? (r.Expected, r.Observed) : default);
    }

    [Fact]
    public void Check_AMessageWithoutAResult_FailsNamingIt()
    {
        var observed = Observed(results => results.Remove(Plain));

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.ModerationResults);

        Assert.False(rule.Passed);
        Assert.Equal(2, rule.Observed);
        Assert.Contains(rule.Problems, p => p.StartsWith("missing:", StringComparison.Ordinal) && p.Contains(Plain.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AResultForAMessageNeverSent_FailsAsExtra()
    {
        var stranger = ObjectId.Parse("65a0000000000000000000ff");
        var observed = Observed(results => results[stranger] = new ObservedResult(stranger, Guid.NewGuid(), "allow", false, At));

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.ModerationResults);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.StartsWith("extra:", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AResultOfTheSentVersionAfterAnEdit_FailsTheLatestVersionRule()
    {
        var observed = Observed(results => results[Edited] = results[Edited] with { ContentEventId = EditedSent });

        var rules = ConservationChecker.Check(Expected, Malformed, observed);

        Assert.False(Rule(rules, ConservationChecker.LatestVersion).Passed);
        Assert.True(Rule(rules, ConservationChecker.ModerationResults).Passed);
    }

    [Fact]
    public void Check_ADeletedMessageNotMarked_Fails()
    {
        var observed = Observed(results => results[Deleted] = results[Deleted] with { Deleted = false });

        Assert.False(Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.DeletedMessages).Passed);
    }

    [Fact]
    public void Check_AFlaggedEventPublishedTwice_FailsAsDuplicatedUnlessCopiesAreAllowed()
    {
        var observed = Observed(derived: derived => derived.Add(Flagged(Edited, EditedEdit)));

        var strict = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.FlaggedEvents);
        var lenient = Rule(ConservationChecker.Check(Expected, Malformed, observed, copiesAllowed: true), ConservationChecker.FlaggedEvents);

        Assert.False(strict.Passed);
        Assert.Contains(strict.Problems, p => p.StartsWith("duplicated:", StringComparison.Ordinal));
        Assert.True(lenient.Passed);
    }

    [Fact]
    public void Check_AFlaggedEventOfASupersededVersion_IsExplained()
    {
        var observed = Observed(derived: derived => derived.Add(Flagged(Edited, EditedSent)));

        Assert.True(Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.FlaggedEvents).Passed);
    }

    [Fact]
    public void Check_AFlaggedEventFromNoEventOfTheWorkload_FailsAsUnexplained()
    {
        var observed = Observed(derived: derived => derived.Add(Flagged(Plain, Guid.NewGuid())));

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.FlaggedEvents);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.StartsWith("extra:", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AFlagWithoutItsEvent_FailsAsMissing()
    {
        var observed = Observed(derived: derived => derived.RemoveAll(d => d.Topic == EventTopics.ModerationFlagged && d.Subject == Edited.ToString()));

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.FlaggedEvents);

        Assert.False(rule.Passed);
        Assert.Equal((2, 1), (rule.Expected, rule.Observed));
    }

    [Fact]
    public void Check_AnUploadStillPending_FailsTheOutcomeRuleAndExpectsNoEventsForIt()
    {
        var observed = Observed(files: files => files[Photo] = files[Photo] with
        {
            ScanStatus = "pending", ProcessingStatus = null, Published = false, Attempts = 0, EventId = null,
        }, derived: derived => derived.RemoveAll(d => d.Subject == Photo.ToString()));

        var rules = ConservationChecker.Check(Expected, Malformed, observed);

        Assert.False(Rule(rules, ConservationChecker.FileOutcomes).Passed);
        Assert.True(Rule(rules, ConservationChecker.FileEvents).Passed);
    }

    [Fact]
    public void Check_AnInfectedFileReportedClean_FailsAsWrong()
    {
        var observed = Observed(files: files => files[Virus] = files[Virus] with { ScanStatus = "clean", ProcessingStatus = "done" });

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.FileOutcomes);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.StartsWith("wrong:", StringComparison.Ordinal) && p.Contains("Eicar", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AnUploadProcessedTwice_FailsAsDuplicated()
    {
        var observed = Observed(files: files => files[Photo] = files[Photo] with { Attempts = 2 },
            derived: derived =>
            {
                derived.RemoveAll(d => d.Subject == Photo.ToString());
                derived.Add(new DerivedEvent(EventTopics.FileScanned, FileOutcomeRecorder.DerivedEventId(Upload(Photo), Photo, "file.scanned", 2), Photo.ToString()));
                derived.Add(new DerivedEvent(EventTopics.FileProcessed, FileOutcomeRecorder.DerivedEventId(Upload(Photo), Photo, "file.processed", 2), Photo.ToString()));
            });

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.FileOutcomes);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.StartsWith("duplicated:", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AProcessedEventForAnInfectedFile_FailsAsExtra()
    {
        var observed = Observed(derived: derived =>
            derived.Add(new DerivedEvent(EventTopics.FileProcessed, FileOutcomeRecorder.DerivedEventId(Upload(Virus), Virus, "file.processed", 1), Virus.ToString())));

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.FileEvents);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.StartsWith("extra:", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ACleanPictureWithoutThumbnail_Fails()
    {
        var observed = Observed(files: files => files[Photo] = files[Photo] with { ThumbnailUrl = null });

        Assert.False(Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.Thumbnails).Passed);
    }

    [Fact]
    public void Check_ADeletedFileWhoseThumbnailsAreStillStored_Fails()
    {
        var observed = Observed(derivativesLeft: new HashSet<Guid> { Gone });

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.DeletedFiles);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.Contains("in storage", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AMalformedRecordNotDeadLettered_FailsAsMissing()
    {
        var observed = Observed(deadLetters: letters => letters.RemoveAt(0));

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.DeadLetters);

        Assert.False(rule.Passed);
        Assert.Equal((2, 1), (rule.Expected, rule.Observed));
    }

    [Fact]
    public void Check_AValidEventDeadLettered_FailsAsExtra()
    {
        var observed = Observed(deadLetters: letters => letters.Add(new DeadLetter(EventTopics.MessageSent, 3, 17, "rejected: nope")));

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.DeadLetters);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.StartsWith("extra:", StringComparison.Ordinal) && p.Contains("quikapp.message.sent[3]@17", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_TheWrongRecordDeadLettered_FailsAsBothMissingAndExtra()
    {
        var observed = Observed(deadLetters: letters => letters[0] = letters[0] with { SourceOffset = 6 });

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.DeadLetters);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.StartsWith("missing:", StringComparison.Ordinal));
        Assert.Contains(rule.Problems, p => p.StartsWith("extra:", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AMalformedRecordDeadLetteredTwice_FailsAsDuplicated()
    {
        var observed = Observed(deadLetters: letters => letters.Add(letters[1]));

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.DeadLetters);

        Assert.False(rule.Passed);
        Assert.Contains(rule.Problems, p => p.StartsWith("duplicated:", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_CopiesAllowed_ADeadLetterCopyPasses_ButAValidEventDeadLetteredStillFails()
    {
        var copied = Observed(deadLetters: letters => letters.Add(letters[1]));
        var wrong = Observed(deadLetters: letters => letters.Add(new DeadLetter(EventTopics.MessageSent, 3, 17, "rejected: nope")));

        var lenient = Rule(ConservationChecker.Check(Expected, Malformed, copied, copiesAllowed: true), ConservationChecker.DeadLetters);
        var stillWrong = Rule(ConservationChecker.Check(Expected, Malformed, wrong, copiesAllowed: true), ConservationChecker.DeadLetters);

        Assert.True(lenient.Passed, string.Join("; ", lenient.Problems));
        Assert.Equal((0, 1), ConservationChecker.Copies(copied));
        Assert.False(stillWrong.Passed);
        Assert.Contains(stillWrong.Problems, p => p.StartsWith("extra:", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ManyProblems_ListsTheFirstFiveAndCountsTheRest()
    {
        var observed = Observed(deadLetters: letters =>
        {
            for (var offset = 100; offset < 108; offset++)
            {
                letters.Add(new DeadLetter(EventTopics.MessageEdited, 0, offset, "rejected"));
            }
        });

        var rule = Rule(ConservationChecker.Check(Expected, Malformed, observed), ConservationChecker.DeadLetters);

        Assert.Equal(6, rule.Problems.Count);
        Assert.Equal("… and 3 more", rule.Problems[^1]);
    }

    private static Guid Upload(Guid fileId) => new(fileId.ToByteArray().Reverse().ToArray());

    private static DerivedEvent Flagged(ObjectId message, Guid version) =>
        new(EventTopics.ModerationFlagged, MessageModerationHandler.FlaggedEventId(version, message), message.ToString());

    private static RuleResult Rule(IReadOnlyList<RuleResult> rules, string name) => Assert.Single(rules, r => r.Name == name);

    private static Observations Observed(
        Action<Dictionary<ObjectId, ObservedResult>>? results = null,
        Action<Dictionary<Guid, ObservedFile>>? files = null,
        Action<List<DerivedEvent>>? derived = null,
        Action<List<DeadLetter>>? deadLetters = null,
        IReadOnlySet<Guid>? derivativesLeft = null)
    {
        var stored = new Dictionary<ObjectId, ObservedResult>
        {
            [Plain] = new(Plain, PlainSent, "allow", false, At),
            [Edited] = new(Edited, EditedEdit, "flag", false, At),
            [Deleted] = new(Deleted, DeletedSent, "block", true, At),
        };
        var documents = new Dictionary<Guid, ObservedFile>
        {
            [Photo] = new(Photo, "clean", "done", true, 1, Upload(Photo), "https://cdn/thumbs/p.webp", 1, false, At, null),
            [Virus] = new(Virus, "infected", "skipped", true, 1, Upload(Virus), null, 0, false, At, "moved to quarantine"),
            [Gone] = new(Gone, "clean", "done", true, 1, Upload(Gone), null, 0, true, At, null),
        };
        var events = new List<DerivedEvent> { Flagged(Edited, EditedEdit), Flagged(Deleted, DeletedSent) };
        foreach (var (file, done) in new[] { (Photo, true), (Virus, false), (Gone, true) })
        {
            events.Add(new DerivedEvent(EventTopics.FileScanned, FileOutcomeRecorder.DerivedEventId(Upload(file), file, "file.scanned", 1), file.ToString()));
            if (done)
            {
                events.Add(new DerivedEvent(EventTopics.FileProcessed, FileOutcomeRecorder.DerivedEventId(Upload(file), file, "file.processed", 1), file.ToString()));
            }
        }

        var letters = new List<DeadLetter>
        {
            new(BadJson.Topic, BadJson.Partition, BadJson.Offset, "malformed: payload: not valid JSON"),
            new(BadVersion.Topic, BadVersion.Partition, BadVersion.Offset, "malformed: version: unsupported major version 2"),
        };
        results?.Invoke(stored);
        files?.Invoke(documents);
        derived?.Invoke(events);
        deadLetters?.Invoke(letters);
        return new Observations(stored, documents, letters, events, derivativesLeft ?? new HashSet<Guid>());
    }
}
