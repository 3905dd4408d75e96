using System.Text;
using Confluent.Kafka;
using QuikApp.Workers.Moderation.Handling;
using QuikApp.Workers.Moderation.Policies;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Shared.Events;
using QuikApp.Workers.Testing.Kafka;

namespace QuikApp.Workers.Moderation.Tests.Handling;

/// <summary>
/// The moderation worker end to end over the embedded Kafka: events in, results, flagged events and dead letters out.
/// MongoDB is replaced by in-memory doubles of the store interfaces (the real stores have their own lane).
/// </summary>
public sealed class MessageModerationHandlerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static List<EventEnvelope> ReadFlagged(string bootstrap, int expected, TimeSpan? timeout = null) =>
        [.. KafkaTestClient.ReadAll(bootstrap, EventTopics.ModerationFlagged, 6, expected, timeout ?? Patience)
            .Select(r => EventEnvelopeParser.Parse(EventTopics.ModerationFlagged, r.Message.Value))
            .Select(p => p.IsSuccess ? p.Envelope : throw new InvalidOperationException(p.FailureReason))];

    [Fact(Timeout = 120_000)]
    public async Task TwoMessagesSharingAnEventId_BothFlagged_PublishTwoDistinctFlaggedEventIds()
    {
        // An upstream bug or a replay can give two messages' events the same eventId; consumers dedupe flagged events by
        // eventId, so the derived ids must differ per message (issue 12, defect 4).
        await using var host = await ModerationHost.StartAsync();
        var shared = Guid.NewGuid();
        var first = ModerationHost.Sent("you are a worthless idiot, kill yourself");
        var second = ModerationHost.Sent("you are a worthless idiot, kill yourself", channel: first.ChannelId);
        foreach (var message in new[] { first, second })
        {
            await host.PublishAsync(EventEnvelope.Create(message, "message-service", null, shared), message.ChannelId);
        }

        var flagged = ReadFlagged(host.BootstrapServers, 2);

        Assert.Equal(2, flagged.Select(f => f.EventId).Distinct().Count());
        Assert.Equal(
            [MessageModerationHandler.FlaggedEventId(shared, first.MessageId), MessageModerationHandler.FlaggedEventId(shared, second.MessageId)],
            flagged.OrderBy(f => ((ModerationFlagged)f.Data).MessageId == first.MessageId ? 0 : 1).Select(f => f.EventId));
    }

    [Fact(Timeout = 120_000)]
    public async Task MessageStream_IsScoredIntoResults_AndFlagAndBlockVerdictsArePublished()
    {
        await using var host = await ModerationHost.StartAsync();
        var clean = ModerationHost.Sent("can we move standup to 10?");
        var spam = ModerationHost.Sent("WIN A FREE iPhone!!! click http://bit.ly/xyz now", mentions: 25, everyone: true);
        var abusive = ModerationHost.Sent("you are a worthless idiot, kill yourself");
        var profane = ModerationHost.Sent("what the f.u.c.k is this sh1t");
        var messages = new[] { clean, spam, abusive, profane };
        var envelopes = messages.Select(m => EventEnvelope.Create(m, "message-service", $"req-{m.MessageId}")).ToList();
        foreach (var envelope in envelopes)
        {
            await host.PublishAsync(envelope, ((MessageSent)envelope.Data).ChannelId);
        }

        await host.WaitForAsync(r => r.Results.Count == 4, "four results");

        Assert.Equal(ModerationAction.Allow, Action(host, clean));
        Assert.NotEqual(ModerationAction.Allow, Action(host, spam));
        Assert.Equal(ModerationAction.Block, Action(host, abusive));
        Assert.NotEqual(ModerationAction.Allow, Action(host, profane));
        var stored = host.Results.Results[spam.MessageId].Result!;
        Assert.Equal(ContentHash.Of(spam.Content), stored.Scored.ContentHash);
        Assert.Equal(ContentKind.Sent, stored.Content.Kind);
        Assert.Contains("spam.everyone", stored.Scored.Verdict.Spam.Signals);

        var flagged = ReadFlagged(host.BootstrapServers, 3);
        Assert.Equal(3, flagged.Count);
        var spamFlag = flagged.Single(f => ((ModerationFlagged)f.Data).MessageId == spam.MessageId);
        var data = (ModerationFlagged)spamFlag.Data;
        Assert.Equal(Action(host, spam).ToWire(), data.Action);
        Assert.Equal(spam.ChannelId, data.ChannelId);
        Assert.Equal(spam.UserId, data.UserId);
        Assert.True(data.Checks["spam"].Flagged);
        Assert.Equal(MessageModerationHandler.FlaggedEventId(envelopes[1].EventId, spam.MessageId), spamFlag.EventId);
        Assert.Equal($"req-{spam.MessageId}", spamFlag.Metadata.CorrelationId);
        Assert.DoesNotContain(flagged, f => ((ModerationFlagged)f.Data).MessageId == clean.MessageId);
    }

    [Fact(Timeout = 120_000)]
    public async Task RedeliveredEvent_ChangesNoResult_AndRepublishesTheSameFlaggedEventId()
    {
        await using var host = await ModerationHost.StartAsync();
        var spam = ModerationHost.Sent("FREE crypto giveaway!!! claim at http://bit.ly/free now", mentions: 30, everyone: true);
        var envelope = EventEnvelope.Create(spam, "message-service", null);

        await host.PublishAsync(envelope, spam.ChannelId);
        await host.WaitForAsync(r => r.Results.ContainsKey(spam.MessageId), "the first result");
        var first = host.Results.Results[spam.MessageId].Result!;
        var writes = host.Results.Writes;
        await host.PublishAsync(envelope, spam.ChannelId);
        await host.WaitForAsync(r => r.Writes > writes, "the redelivery to be handled");

        var again = host.Results.Results[spam.MessageId].Result!;
        Assert.Equal((first.Content, first.ProcessedAt, first.Scored.ContentHash, first.Scored.Verdict.Action, first.Scored.Verdict.OverallScore),
            (again.Content, again.ProcessedAt, again.Scored.ContentHash, again.Scored.Verdict.Action, again.Scored.Verdict.OverallScore));
        var flagged = ReadFlagged(host.BootstrapServers, 2);
        Assert.Equal(2, flagged.Count);
        Assert.Single(flagged.Select(f => f.EventId).Distinct());
    }

    [Fact(Timeout = 120_000)]
    public async Task Edit_RescoresWithTheLatestContent_AndAnOlderEditArrivingLateChangesNothing()
    {
        await using var host = await ModerationHost.StartAsync();
        var sent = ModerationHost.Sent("see you at the retro", at: DateTimeOffset.UtcNow.AddMinutes(-10));
        await host.PublishAsync(EventEnvelope.Create(sent, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Results.ContainsKey(sent.MessageId), "the sent result");

        var edit = new MessageEdited(sent.MessageId, sent.ChannelId, sent.WorkspaceId, sent.UserId, "you are a worthless idiot", sent.CreatedAt.AddMinutes(5));
        var older = edit with { Content = "see you at the retro!", EditedAt = sent.CreatedAt.AddMinutes(1) };
        await host.PublishAsync(EventEnvelope.Create(edit, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Results[sent.MessageId].Result!.Content.Kind == ContentKind.Edited, "the edit");
        var writes = host.Results.Writes;
        await host.PublishAsync(EventEnvelope.Create(older, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Writes > writes, "the late edit to be handled");

        var result = host.Results.Results[sent.MessageId].Result!;
        Assert.Equal(ContentVersionOrder.Milliseconds(edit.EditedAt), ContentVersionOrder.Milliseconds(result.Content.At));   // stored to the millisecond
        Assert.NotEqual(ModerationAction.Allow, result.Scored.Verdict.Action);
    }

    [Fact(Timeout = 120_000)]
    public async Task SentDatedInTheFarFuture_IsOrderedByItsHandlingTime_SoALaterAbusiveEditIsApplied()
    {
        // A producer clock at year 9999 pinned the result: no later edit was ever newer (issue 12, defect 7).
        await using var host = await ModerationHost.StartAsync();
        var sent = ModerationHost.Sent("see you at the retro", at: new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero));
        await host.PublishAsync(EventEnvelope.Create(sent, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Results.ContainsKey(sent.MessageId), "the sent result");
        Assert.True(host.Results.Results[sent.MessageId].Result!.Content.At < DateTimeOffset.UtcNow.AddMinutes(1));

        var edit = new MessageEdited(sent.MessageId, sent.ChannelId, sent.WorkspaceId, sent.UserId, "you are a worthless idiot, kill yourself",
            DateTimeOffset.UtcNow.AddSeconds(1));
        await host.PublishAsync(EventEnvelope.Create(edit, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Results[sent.MessageId].Result!.Content.Kind == ContentKind.Edited, "the edit");

        Assert.Equal(ModerationAction.Block, host.Results.Results[sent.MessageId].Result!.Scored.Verdict.Action);
    }

    [Fact(Timeout = 120_000)]
    public async Task Delete_MarksTheResultDeleted_KeepingItForAudit()
    {
        await using var host = await ModerationHost.StartAsync();
        var sent = ModerationHost.Sent("what the fuck");
        await host.PublishAsync(EventEnvelope.Create(sent, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Results.ContainsKey(sent.MessageId), "the sent result");

        var deleted = new MessageDeleted(sent.MessageId, sent.ChannelId, sent.WorkspaceId, sent.UserId, DateTimeOffset.UtcNow);
        await host.PublishAsync(EventEnvelope.Create(deleted, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Results[sent.MessageId].Deletion is not null, "the deletion");

        Assert.NotNull(host.Results.Results[sent.MessageId].Result);
    }

    [Fact(Timeout = 120_000)]
    public async Task MalformedEvent_IsDeadLetteredWithTheReason_AndTheStreamGoesOn()
    {
        await using var host = await ModerationHost.StartAsync();
        var channel = Guid.NewGuid();
        using (var producer = KafkaTestClient.CreateProducer(host.BootstrapServers))
        {
            await producer.ProduceAsync(EventTopics.MessageSent, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(channel.ToString()),
                Value = Encoding.UTF8.GetBytes("""{"eventId":"not-a-uuid","eventType":"message.sent"}"""),
            }, TestContext.Current.CancellationToken);
        }

        var good = ModerationHost.Sent("hello team", channel);
        await host.PublishAsync(EventEnvelope.Create(good, "message-service", null), channel);
        await host.WaitForAsync(r => r.Results.ContainsKey(good.MessageId), "the good message");

        var dead = Assert.Single(KafkaTestClient.ReadAll(host.BootstrapServers, EventTopics.DeadLetterTopic(EventTopics.MessageSent), 12, 1, Patience));
        var reason = Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(EventHeaders.DlqReason));
        Assert.Matches("^malformed: [a-zA-Z.]+: ", reason);
    }

    [Fact(Timeout = 120_000)]
    public async Task MongoOutage_IsRetriedUntilTheWriteSucceeds_WithoutDeadLettering()
    {
        await using var host = await ModerationHost.StartAsync();
        host.Results.FailNext(3);
        var sent = ModerationHost.Sent("lunch?");

        await host.PublishAsync(EventEnvelope.Create(sent, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Results.ContainsKey(sent.MessageId), "the result after the outage");

        Assert.Empty(KafkaTestClient.ReadAll(host.BootstrapServers, EventTopics.DeadLetterTopic(EventTopics.MessageSent), 12, 1, TimeSpan.FromSeconds(2)));
    }

    [Fact(Timeout = 120_000)]
    public async Task WorkspacePolicy_FromThePolicyStore_ChangesTheVerdict()
    {
        await using var host = await ModerationHost.StartAsync("--Moderation:Policy:RefreshInterval=00:00:00.200");
        // Mild profanity: allowed under the fleet's thresholds, blocked under this workspace's.
        var sent = ModerationHost.Sent("this is crap");
        host.Policies.Overrides.Add(new WorkspacePolicyOverride(sent.WorkspaceId,
            new CheckThresholds(0.01, 0.02), null, null, DateTimeOffset.UtcNow));
        await Task.Delay(600, TestContext.Current.CancellationToken);

        await host.PublishAsync(EventEnvelope.Create(sent, "message-service", null), sent.ChannelId);
        await host.WaitForAsync(r => r.Results.ContainsKey(sent.MessageId), "the result");

        var verdict = host.Results.Results[sent.MessageId].Result!.Scored.Verdict;
        Assert.Equal(ModerationAction.Block, verdict.Action);
        Assert.StartsWith("workspace:", verdict.PolicyVersion, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task ThreadReply_OfTwoCleanMessages_BecomesASmartReplyPair_AndADeleteRemovesIt()
    {
        await using var host = await ModerationHost.StartAsync();
        var channel = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var parent = ModerationHost.Sent("anyone up for reviewing the release notes?", channel, at: at);
        var reply = ModerationHost.Sent("sure, send me the link", channel, at: at.AddSeconds(30)) with { ThreadId = parent.MessageId, WorkspaceId = parent.WorkspaceId };
        // The message-service writes the message documents before it publishes the events.
        foreach (var message in new[] { parent, reply })
        {
            host.History.Put(new QuikApp.Workers.Moderation.SmartReplies.ChatMessage(message.MessageId, message.WorkspaceId, message.ChannelId, message.UserId, message.Content,
                message.ContentType, message.ThreadId, message.CreatedAt, false));
        }

        await host.PublishAsync(EventEnvelope.Create(parent, "message-service", null), channel);
        await host.PublishAsync(EventEnvelope.Create(reply, "message-service", null), channel);
        await WaitAsync(() => host.Pairs.All.Count == 1, "the thread pair");

        var pair = Assert.Single(host.Pairs.All);
        Assert.Equal(reply.MessageId, pair.ReplyMessageId);
        Assert.Contains(parent.MessageId, pair.MessageIds);

        await host.PublishAsync(EventEnvelope.Create(new MessageDeleted(parent.MessageId, channel, parent.WorkspaceId, parent.UserId, DateTimeOffset.UtcNow), "message-service", null), channel);
        await WaitAsync(() => host.Pairs.All.Count == 0, "the pair to be removed with the deleted parent");
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static ModerationAction Action(ModerationHost host, MessageSent message) =>
        host.Results.Results[message.MessageId].Result!.Scored.Verdict.Action;
}
