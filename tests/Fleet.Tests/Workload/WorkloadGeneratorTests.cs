using QuikApp.Workers.Fleet.Workload;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Fleet.Tests.Workload;

/// <summary>The seeded workload: the same spec gives the same records, in event order, with the planned counts and shares.</summary>
public sealed class WorkloadGeneratorTests
{
    private static readonly DateTimeOffset End = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static GeneratedWorkload Generate(int messages = 5_000, int files = 60, int seed = 42, int? idSeed = null) =>
        WorkloadGenerator.Generate(WorkloadSpec.Create(messages, files, seed, End, idSeed));

    [Fact]
    public void Generate_SameSpecTwice_GivesTheSameRecordsByteForByte()
    {
        var first = Generate(messages: 2_000);
        var second = Generate(messages: 2_000);

        Assert.Equal(Fingerprint(first), Fingerprint(second));
    }

    [Fact]
    public void Generate_AnotherSeed_GivesAnotherWorkload()
    {
        Assert.NotEqual(Fingerprint(Generate(messages: 2_000, seed: 1)), Fingerprint(Generate(messages: 2_000, seed: 2)));
    }

    [Fact]
    public void Generate_AnotherIdSeed_KeepsTheShapeWithFreshIds()
    {
        var first = Generate(messages: 2_000);
        var second = Generate(messages: 2_000, idSeed: 7);

        Assert.Equal(first.Events.Select(e => (e.Topic, e.At, e.GetType())), second.Events.Select(e => (e.Topic, e.At, e.GetType())));
        Assert.Empty(Sent(first).Select(s => s.MessageId).Intersect(Sent(second).Select(s => s.MessageId)));
        Assert.Equal(Sent(first).Select(s => s.Content), Sent(second).Select(s => s.Content));
    }

    [Fact]
    public void Generate_Sizes_SendsEachMessageOnceAndUploadsEachFileOnce()
    {
        var workload = Generate(messages: 5_000, files: 60);

        Assert.Equal(5_000, Sent(workload).Count);
        Assert.Equal(5_000, Sent(workload).Select(s => s.MessageId).Distinct().Count());
        Assert.Equal(60, workload.Uploads.Count());
        Assert.Equal(60, workload.Uploads.Select(u => u.File.FileId).Distinct().Count());
        Assert.Equal(workload.Events.Count, workload.Events.Select(e => e.Sequence).Distinct().Count());
    }

    [Fact]
    public void Generate_MalformedRecords_EachKindOnEveryConsumedTopicAndNoParserAcceptsThem()
    {
        var workload = Generate(messages: 500, files: 10);
        var consumed = new[] { EventTopics.MessageSent, EventTopics.MessageEdited, EventTopics.MessageDeleted, EventTopics.FileUploaded, EventTopics.FileDeleted };

        var malformed = workload.Malformed.ToList();

        Assert.Equal(consumed.Length * Enum.GetValues<MalformedKind>().Length, malformed.Count);
        foreach (var topic in consumed)
        {
            Assert.Equal(Enum.GetValues<MalformedKind>(), malformed.Where(m => m.Topic == topic).Select(m => m.Kind).Order());
        }

        Assert.All(malformed, m => Assert.False(EventEnvelopeParser.Parse(m.Topic, m.Value).IsSuccess, $"{m.Topic} {m.Kind} parsed"));
    }

    [Fact]
    public void Generate_ValidEvents_AllParseOnTheirTopicWithTheContractKey()
    {
        var workload = Generate(messages: 1_000, files: 20);

        Assert.All(workload.Contract, contract =>
        {
            var parsed = EventEnvelopeParser.Parse(contract.Topic, EventEnvelopeWriter.Serialize(contract.Envelope));
            Assert.True(parsed.IsSuccess, parsed.FailureReason);
            var key = contract.Envelope.Data switch
            {
                MessageSent d => d.ChannelId.ToString(),
                MessageEdited d => d.ChannelId.ToString(),
                MessageDeleted d => d.ChannelId.ToString(),
                MessageReaction d => d.ChannelId.ToString(),
                FileDeleted d => d.FileId.ToString(),
                _ => throw new InvalidOperationException(contract.Envelope.EventType),
            };
            Assert.Equal(key, contract.Key);
        });
    }

    [Fact]
    public void Generate_Order_IsEventTimeAndFollowUpsComeAfterTheMessage()
    {
        var workload = Generate();
        var sentAt = Sent(workload).ToDictionary(s => s.MessageId, s => s.CreatedAt);

        Assert.Equal(workload.Events.OrderBy(e => e.At).Select(e => e.Sequence), workload.Events.Select(e => e.Sequence));
        foreach (var contract in workload.Contract)
        {
            switch (contract.Envelope.Data)
            {
                case MessageEdited edited:
                    Assert.True(edited.EditedAt > sentAt[edited.MessageId]);
                    break;
                case MessageDeleted deleted:
                    Assert.True(deleted.DeletedAt > sentAt[deleted.MessageId]);
                    break;
                case MessageReaction reaction:
                    Assert.True(reaction.At > sentAt[reaction.MessageId]);
                    break;
                case MessageSent { ThreadId: { } thread } reply:
                    Assert.True(sentAt[thread] < reply.CreatedAt, "a reply comes after its thread's first message");
                    break;
            }
        }
    }

    [Fact]
    public void Generate_Shares_AreNearThePlannedOnes()
    {
        var workload = Generate(messages: 20_000, files: 0);
        var sent = Sent(workload);
        var count = (string topic) => workload.Contract.Count(c => c.Topic == topic);

        Assert.InRange(count(EventTopics.MessageEdited) / (double)sent.Count, WorkloadGenerator.EditShare, WorkloadGenerator.EditShare * 1.4);
        Assert.InRange(count(EventTopics.MessageDeleted) / (double)sent.Count, WorkloadGenerator.DeleteShare * 0.8, WorkloadGenerator.DeleteShare * 1.2);
        Assert.InRange(sent.Count(s => s.ThreadId is not null) / (double)sent.Count, 0.1, 0.3);
        Assert.InRange(sent.Count(s => s.Mentions.Count >= 12 && s.MentionsEveryone) / (double)sent.Count, 0.01, 0.03);
        Assert.InRange(sent.Count(s => s.Content.Contains("http", StringComparison.Ordinal)) / (double)sent.Count, 0.04, 0.09);
        // Floods: the same text from one user in one channel, two seconds apart.
        var floods = sent.GroupBy(s => (s.UserId, s.ChannelId, s.Content)).Count(g => g.Count() >= WorkloadGenerator.FloodSize
            && g.Max(s => s.CreatedAt) - g.Min(s => s.CreatedAt) < TimeSpan.FromMinutes(1));
        Assert.InRange(floods * WorkloadGenerator.FloodSize / (double)sent.Count, WorkloadGenerator.FloodShare * 0.7, WorkloadGenerator.FloodShare * 1.3);
    }

    [Fact]
    public void Generate_SixtyFiles_CarryEveryKindWithTheInfectedAndHostileOnes()
    {
        var workload = Generate(messages: 2_000, files: 60);
        var kinds = workload.Uploads.GroupBy(u => u.File.Kind).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(Enum.GetValues<FileSampleKind>().Order(), kinds.Keys.Order());
        Assert.Equal(1, kinds[FileSampleKind.Oversize]);
        Assert.Equal(3, kinds[FileSampleKind.Eicar]);
        Assert.Equal(15, kinds[FileSampleKind.JpegExif]);
    }

    [Fact]
    public void Generate_FileDeletions_ComeAfterTheUploadsSettleAndNeverForAFileWithoutAVerdict()
    {
        var workload = Generate(messages: 2_000, files: 400);
        var deletions = workload.Contract.Where(c => c.Topic == EventTopics.FileDeleted).ToList();

        Assert.NotEmpty(deletions);
        Assert.All(deletions, d =>
        {
            Assert.True(d.AfterUploadsSettle);
            Assert.NotEqual(FileSampleKind.Oversize, d.File!.Kind);
        });
        Assert.All(workload.Contract.Where(c => c.Topic != EventTopics.FileDeleted), c => Assert.False(c.AfterUploadsSettle));
    }

    private static List<MessageSent> Sent(GeneratedWorkload workload) => [.. workload.Contract.Select(c => c.Envelope.Data).OfType<MessageSent>()];

    private static string Fingerprint(GeneratedWorkload workload) => string.Join('\n', workload.Events.Select(e => e switch
    {
        ContractEvent c => $"{c.Sequence} {c.Topic} {c.Key} {Convert.ToHexString(EventEnvelopeWriter.Serialize(c.Envelope))}",
        UploadEvent u => $"{u.Sequence} {u.Topic} {u.Key} {u.EventId} {u.File}",
        MalformedEvent m => $"{m.Sequence} {m.Topic} {m.Key} {Convert.ToHexString(m.Value)}",
        _ => throw new InvalidOperationException(),
    }));
}
