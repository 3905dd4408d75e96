using MongoDB.Bson;
using QuikApp.Workers.Moderation.Learning;

namespace QuikApp.Workers.Moderation.Tests.Learning;

public sealed class TrainingSetBuilderTests
{
    private static readonly DateTimeOffset Decided = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Cutoff.AddMinutes(1);

    [Fact]
    public void IdFor_Cutoff_IsTheKindAndTheCompactUtcTime()
    {
        Assert.Equal("moderation-labels-20261129T030000Z", TrainingSetBuilder.IdFor(new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void Build_LabelledMessages_MakesOneExamplePerMessageWithCounts()
    {
        var (a, b, c) = (Id(1), Id(2), Id(3));
        var snapshot = Build(
            [Labels(a, spam: true), Labels(b, spam: false, toxic: true), Labels(c, toxic: false)],
            [Message(a, "WIN a free phone"), Message(b, "you idiot"), Message(c, "this code is garbage")]);

        Assert.Equal("moderation-labels-20261129T030000Z", snapshot.Record.Id);
        Assert.Equal(
            [
                new TrainingExample(snapshot.Record.Id, a, "WIN a free phone", true, null),
                new TrainingExample(snapshot.Record.Id, b, "you idiot", false, true),
                new TrainingExample(snapshot.Record.Id, c, "this code is garbage", null, false),
            ],
            snapshot.Examples);
        Assert.Equal(new TrainingSetCounts(3, new ClassCounts(1, 1), new ClassCounts(1, 1)), snapshot.Record.Counts);
        Assert.Equal((Cutoff, Now), (snapshot.Record.ReportsResolvedBefore, snapshot.Record.CreatedAt));
        Assert.Equal($"{snapshot.Record.Id}:{a}", snapshot.Examples[0].Id);
    }

    [Fact]
    public void Build_MessageDeletedByItsAuthor_IsLeftOut()
    {
        var snapshot = Build([Labels(Id(1), spam: true)], [Message(Id(1), "buy followers", deleted: true)]);

        Assert.Empty(snapshot.Examples);
        Assert.Equal(1, snapshot.Excluded.DeletedMessages);
    }

    [Fact]
    public void Build_MessageDeletedByAModerator_IsKept()
    {
        var snapshot = Build([Labels(Id(1), spam: true) with { DeletedByModerator = true }], [Message(Id(1), "buy followers", deleted: true)]);

        Assert.True(Assert.Single(snapshot.Examples).Spam);
        Assert.Equal(0, snapshot.Excluded.DeletedMessages);
    }

    [Fact]
    public void Build_MissingAndEmptyMessages_AreLeftOutAndCounted()
    {
        var snapshot = Build([Labels(Id(1), spam: true), Labels(Id(2), spam: false)], [Message(Id(2), "   ")]);

        Assert.Empty(snapshot.Examples);
        Assert.Equal(new TrainingSetExclusions(1, 0, 1, 0), snapshot.Excluded);
    }

    [Fact]
    public void Build_MessageEditedAfterADecision_DropsThatLabelOnly()
    {
        var labels = Labels(Id(1), spam: true) with { Toxic = new TaskLabel(true, Decided.AddHours(5)) };
        var edited = Message(Id(1), "now harmless", editedAt: Decided.AddHours(1));

        var snapshot = Build([labels], [edited]);

        var example = Assert.Single(snapshot.Examples);
        Assert.Null(example.Spam);          // decided before the edit: it judged text we no longer have
        Assert.True(example.Toxic);         // decided after the edit: the moderator saw this text
        Assert.Equal(1, snapshot.Excluded.LabelsEditedSince);
    }

    [Fact]
    public void Build_EveryLabelPredatesTheEdit_LeavesTheMessageOut()
    {
        var snapshot = Build([Labels(Id(1), spam: true)], [Message(Id(1), "edited", editedAt: Decided.AddSeconds(1))]);

        Assert.Empty(snapshot.Examples);
    }

    [Fact]
    public void For_DuplicateTexts_MergesAgreeingCopiesAndDropsConflictingOnes()
    {
        var set = "s";
        LabelledTexts texts = LabelledTexts.For(
        [
            new TrainingExample(set, Id(1), "FREE nitro here", true, null),
            new TrainingExample(set, Id(2), "FREE   nitro here", true, null),   // same text once whitespace is normalised
            new TrainingExample(set, Id(3), "FREE nitro here", true, null),
            new TrainingExample(set, Id(4), "lunch?", false, null),
            new TrainingExample(set, Id(5), "check my channel", true, null),
            new TrainingExample(set, Id(6), "check my channel", false, null),
            new TrainingExample(set, Id(7), "you idiot", null, true),          // toxicity only: not a spam example
        ], ModelKind.Spam);

        Assert.Equal([("FREE nitro here", true), ("lunch?", false)], texts.Examples);
        Assert.Equal((2, 1), (texts.Duplicates, texts.Conflicts));
        Assert.Equal((1, 1), (texts.Positive, texts.Negative));
    }

    private static TrainingSetSnapshot Build(IReadOnlyList<MessageLabels> labels, IReadOnlyList<MessageContent> messages) =>
        TrainingSetBuilder.Build(labels, messages.ToDictionary(m => m.MessageId), Cutoff, Now);

    private static MessageLabels Labels(ObjectId id, bool? spam = null, bool? toxic = null) => new(
        id,
        spam is { } s ? new TaskLabel(s, Decided) : null,
        toxic is { } t ? new TaskLabel(t, Decided) : null,
        DeletedByModerator: false);

    private static MessageContent Message(ObjectId id, string text, bool deleted = false, DateTimeOffset? editedAt = null) =>
        new(id, text, deleted, editedAt);

    private static ObjectId Id(int n) => ObjectId.Parse($"65a{n:x21}");
}
