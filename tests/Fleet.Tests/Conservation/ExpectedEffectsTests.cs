using QuikApp.Workers.Fleet.Conservation;
using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Tests.Conservation;

/// <summary>What a workload must produce, computed from the workload alone.</summary>
public sealed class ExpectedEffectsTests
{
    private static readonly GeneratedWorkload Workload =
        WorkloadGenerator.Generate(WorkloadSpec.Create(5_000, 60, 42, new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void From_AMessageEditedTwice_ExpectsItsLastEdit()
    {
        var expected = ExpectedEffects.From(Workload);
        var edits = Workload.Contract.Where(c => c.Envelope.Data is MessageEdited).GroupBy(c => ((MessageEdited)c.Envelope.Data).MessageId)
            .First(g => g.Count() == 2);

        var message = expected.Messages[edits.Key];

        Assert.Equal(edits.MaxBy(e => ((MessageEdited)e.Envelope.Data).EditedAt)!.Envelope.EventId, message.LatestEventId);
        Assert.Equal(3, message.VersionEventIds.Count);
    }

    [Fact]
    public void From_EveryMessageAndUpload_IsExpectedOnce()
    {
        var expected = ExpectedEffects.From(Workload);

        Assert.Equal(5_000, expected.Messages.Count);
        Assert.Equal(Workload.Contract.Count(c => c.Topic == EventTopics.MessageDeleted), expected.Messages.Values.Count(m => m.Deleted));
        Assert.Equal(60, expected.Files.Count);
        Assert.Equal(Workload.Contract.Count(c => c.Topic == EventTopics.FileDeleted), expected.Files.Values.Count(f => f.Deleted));
        Assert.Equal(15, expected.Malformed);
        Assert.Equal(Workload.Contract.Count(c => c.Topic == EventTopics.MessageReaction), expected.Reactions);
    }

    [Fact]
    public void From_Files_ExpectTheirKindsOutcome()
    {
        var expected = ExpectedEffects.From(Workload);

        Assert.All(expected.Files.Values, f => Assert.Equal(FileSampleKinds.Expected(f.Kind), f.Outcome));
        Assert.Equal(6, expected.Files.Values.Count(f => f.Outcome.Scan == FileScanStatus.Infected));
        Assert.Equal(1, expected.Files.Values.Count(f => f.Outcome.Scan == FileScanStatus.Error));
    }
}
