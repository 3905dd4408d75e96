using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;
using static QuikApp.Workers.Moderation.Tests.SmartReplies.SmartReplyConversation;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>The observer over in-memory history, moderation and pair stores, driven as the moderation handler drives it.</summary>
public sealed class SmartReplyTrainingObserverTests
{
    private const string Profane = "this is fucking bullshit";

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_SentThreadReply_BuildsItsPair()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var parent = await chat.SendAsync(Alice, "who can review my PR?", 0);

        var reply = await chat.SendAsync(Bob, "I can, send the link", 30, parent.Id);

        var pair = chat.PairOf(reply);
        Assert.Equal(ReplyPairKind.Thread, pair.Kind);
        Assert.Equal([parent.Id, reply.Id], pair.MessageIds);
        Assert.Equal([new ReplyContextLine("who can review my PR?", false)], pair.Context);
        Assert.Equal("I can, send the link", pair.Reply);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_QuickReplyByAnotherUser_BuildsAQuickPair()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var question = await chat.SendAsync(Alice, "coffee?", 0);

        var reply = await chat.SendAsync(Bob, "yes, 5 minutes", 40);

        var pair = chat.PairOf(reply);
        Assert.Equal(ReplyPairKind.Quick, pair.Kind);
        Assert.Equal([question.Id, reply.Id], pair.MessageIds);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_QuickReplyBySameAuthor_BuildsNothing()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        await chat.SendAsync(Alice, "coffee?", 0);

        await chat.SendAsync(Alice, "anyone?", 40);

        Assert.Empty(chat.Pairs.All);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_FlaggedParent_BuildsNothing()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var parent = await chat.SendAsync(Alice, "buy cheap watches here", 0, action: ModerationAction.Flag);

        await chat.SendAsync(Bob, "please stop posting this", 30, parent.Id);

        Assert.Empty(chat.Pairs.All);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_BlockedReply_BuildsNothing()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var parent = await chat.SendAsync(Alice, "how was the demo?", 0);

        await chat.SendAsync(Bob, "awful", 30, parent.Id, ModerationAction.Block);

        Assert.Empty(chat.Pairs.All);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_EditOfAContextMessageToFlagged_RemovesThePairAndAnEditBackRestoresIt()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var parent = await chat.SendAsync(Alice, "who can review my PR?", 0);
        var reply = await chat.SendAsync(Bob, "I can, send the link", 30, parent.Id);
        var original = chat.PairOf(reply);

        await chat.EditAsync(parent, "who wants cheap pills", ModerationAction.Flag);
        Assert.Empty(chat.Pairs.All);

        await chat.EditAsync(parent, "who can review my small PR?", ModerationAction.Allow);
        var restored = chat.PairOf(reply);
        Assert.Equal(original.Id, restored.Id);
        Assert.Equal("who can review my small PR?", restored.Context[0].Text);
        Assert.True(restored.BuiltAt > original.BuiltAt);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_EditOfAThreadMessage_RebuildsTheRepliesThatTakeItAsContext()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken, new SmartReplyOptions { ContextMessages = 1 });
        var parent = await chat.SendAsync(Alice, "release notes draft is up", 0);
        var first = await chat.SendAsync(Bob, "typo in section 2", 10, parent.Id);
        var second = await chat.SendAsync(Carol, "fixed, thanks", 20, parent.Id);
        var third = await chat.SendAsync(Alice, "shipping it", 30, parent.Id);
        Assert.Equal(3, chat.Pairs.All.Count);

        await chat.EditAsync(first, "scam link here", ModerationAction.Block);

        // first's own pair and second's (context: parent, first) go; third's (context: parent, second) stays.
        Assert.Equal([third.Id], chat.Pairs.All.Select(p => p.ReplyMessageId));

        await chat.EditAsync(first, "typo in section 3", ModerationAction.Allow);
        Assert.Equal(new[] { first.Id, second.Id, third.Id }.Order(), chat.Pairs.All.Select(p => p.ReplyMessageId).Order());
        Assert.Equal("typo in section 3", chat.PairOf(second).Context[1].Text);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_EditOfTheReply_RebuildsItsPairWithTheNewText()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        await chat.SendAsync(Alice, "coffee?", 0);
        var reply = await chat.SendAsync(Bob, "yes, 5 minutes", 40);
        var before = chat.PairOf(reply);

        await chat.EditAsync(reply, "yes, 10 minutes", ModerationAction.Allow);

        var after = chat.PairOf(reply);
        Assert.Equal("yes, 10 minutes", after.Reply);
        Assert.True(after.BuiltAt > before.BuiltAt);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnDeleted_AContextMessage_RemovesEveryPairContainingIt()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var parent = await chat.SendAsync(Alice, "who is on call this week?", 0);
        await chat.SendAsync(Bob, "I am", 10, parent.Id);
        await chat.SendAsync(Carol, "me from Friday", 20, parent.Id);
        var question = await chat.SendAsync(Alice, "coffee?", 100);
        var answer = await chat.SendAsync(Bob, "sure", 110);
        Assert.Equal(3, chat.Pairs.All.Count);

        await chat.DeleteAsync(parent);

        Assert.Equal([answer.Id], chat.Pairs.All.Select(p => p.ReplyMessageId));
        await chat.DeleteAsync(answer);
        Assert.Empty(chat.Pairs.All);
        _ = question;
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_ReplyAlreadyDeletedWhenItsSentEventArrives_BuildsNothing()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        await chat.SendAsync(Alice, "coffee?", 0);
        var reply = chat.Post(Bob, "yes, 5 minutes", 40);
        await chat.DeleteAsync(reply); // message.deleted (another topic) was consumed first
        chat.Judge(reply.Id, reply.Content, ModerationAction.Allow); // the late verdict lands on the tombstone

        await chat.ObserveSentAsync(reply, ModerationAction.Allow);

        Assert.Empty(chat.Pairs.All);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_RedeliveredSentAndEditEvents_ChangeNothing()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var parent = await chat.SendAsync(Alice, "who can review my PR?", 0);
        await chat.SendAsync(Bob, "I can, send the link", 30, parent.Id);
        var afterSend = Described(chat);

        await chat.RedeliverAsync();
        Assert.Equal(afterSend, Described(chat));

        await chat.EditAsync(parent, "who can review my PR, please?", ModerationAction.Allow);
        var afterEdit = Described(chat);
        Assert.NotEqual(afterSend, afterEdit);
        await chat.RedeliverAsync();
        await chat.RedeliverAsync();
        Assert.Equal(afterEdit, Described(chat));
    }

    [Fact(Timeout = 30_000)]
    public async Task OnDeleted_Redelivered_ChangesNothing()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var question = await chat.SendAsync(Alice, "coffee?", 0);
        await chat.SendAsync(Bob, "sure", 10);
        await chat.DeleteAsync(question);

        await chat.RedeliverAsync();

        Assert.Empty(chat.Pairs.All);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_ContextNeverModerated_IsScoredOnTheFly()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var clean = chat.Post(Alice, "anyone tried the new espresso machine?", 0);
        var profane = chat.Post(Carol, Profane, 200);

        var toClean = await chat.SendAsync(Bob, "yes, it is great", 30, clean.Id);
        await chat.SendAsync(Bob, "please keep it civil", 230, profane.Id);

        Assert.Equal([toClean.Id], chat.Pairs.All.Select(p => p.ReplyMessageId));
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_StoredVerdictJudgedOtherContent_TheStricterVerdictApplies()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var parent = await chat.SendAsync(Alice, "who can review my PR?", 0);
        // Edited upstream to profanity; the edit event has not been consumed yet, so the stored verdict (allow) is for the old text.
        chat.History.Put(chat.History.Get(parent.Id) with { Content = Profane });

        await chat.SendAsync(Bob, "I can", 30, parent.Id);

        Assert.Empty(chat.Pairs.All);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_SeveralMessagesInOneBatch_WritesOnce()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var parent = await chat.SendAsync(Alice, "retro notes are in the doc", 0);
        var writesBefore = chat.Pairs.Writes;

        var sent = await chat.SendBatchAsync(
            (Bob, "thanks for writing them up", 10, parent.Id),
            (Carol, "added two items", 20, parent.Id),
            (Alice, "lunch today?", 100, null),
            (Bob, "yes!", 110, null));

        Assert.Equal(writesBefore + 1, chat.Pairs.Writes);
        // "lunch today?" follows Alice's own message: no pair.
        Assert.Equal(new[] { sent[0].Id, sent[1].Id, sent[3].Id }.Order(), chat.Pairs.All.Select(p => p.ReplyMessageId).Order());
        Assert.Equal([parent.Id, sent[0].Id, sent[1].Id], chat.PairOf(sent[1]).MessageIds);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_ContextDeletedWhileTheBatchIsBuilt_RemovesThePairAfterWriting()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var question = await chat.SendAsync(Alice, "coffee?", 0);
        // The deletion path marks auto_mod_results deleted between this batch's read and its re-read after the write.
        var readsBefore = chat.Moderation.Reads;
        chat.Moderation.BeforeRead = read =>
        {
            if (read == readsBefore + 2) // the first read judges the batch, the second re-reads after the write
            {
                chat.Moderation.Put(chat.Moderation.Get(question.Id)! with { Deleted = true });
            }
        };

        await chat.SendAsync(Bob, "sure", 10);

        Assert.Empty(chat.Pairs.All);
    }

    [Fact(Timeout = 30_000)]
    public async Task OnModerated_Disabled_BuildsNothingButEditsAndDeletionsStillRemove()
    {
        var chat = new SmartReplyConversation(TestContext.Current.CancellationToken);
        var question = await chat.SendAsync(Alice, "coffee?", 0);
        var answer = await chat.SendAsync(Bob, "sure", 10);
        var other = await chat.SendAsync(Alice, "tea then?", 200);
        await chat.SendAsync(Carol, "tea!", 210);
        chat.Options.Enabled = false;

        await chat.SendAsync(Bob, "too late", 220);
        Assert.Equal(2, chat.Pairs.All.Count);
        await chat.EditAsync(question, "coffee at 3?", ModerationAction.Allow);
        Assert.Single(chat.Pairs.All);
        await chat.DeleteAsync(other);
        Assert.Empty(chat.Pairs.All);
        _ = answer;
    }

    /// <summary>Every stored pair, every field (records compare lists by reference).</summary>
    private static string[] Described(SmartReplyConversation chat) =>
    [
        .. chat.Pairs.All.Select(p =>
            $"{p.Id} {p.Kind} {p.WorkspaceId} {p.ChannelId} {p.ReplyMessageId} [{string.Join(",", p.MessageIds)}] " +
            $"[{string.Join(" | ", p.Context)}] {p.Reply} {p.ReplyAt:O} {p.BuiltAt:O}"),
    ];
}
