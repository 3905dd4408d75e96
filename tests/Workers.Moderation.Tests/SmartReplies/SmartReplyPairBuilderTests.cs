using MongoDB.Bson;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;
using QuikApp.Workers.Shared.Events;

namespace QuikApp.Workers.Moderation.Tests.SmartReplies;

/// <summary>The pairing rules: which context a reply gets, and every reason a reply gets none.</summary>
public sealed class SmartReplyPairBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BuiltAt = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Workspace = Guid.Parse("0b0b0b0b-0000-4000-8000-000000000001");
    private static readonly Guid Channel = Guid.Parse("0c0c0c0c-0000-4000-8000-000000000002");
    private static readonly Guid Alice = Guid.Parse("0a11ce00-0000-4000-8000-000000000003");
    private static readonly Guid Bob = Guid.Parse("0b0b0000-0000-4000-8000-000000000004");
    private static readonly Guid Carol = Guid.Parse("0ca20100-0000-4000-8000-000000000005");
    private static int _sequence;

    private readonly SmartReplyPairBuilder _builder = new(new SmartReplyOptions());

    [Fact]
    public void Build_ThreadReply_PairsTheParentThenTheLastThreadMessagesInOrder()
    {
        var parent = Message(Alice, "anyone up for the release review?", 0);
        var thread = new[]
        {
            Message(Bob, "me, after lunch", 10, parent),
            Message(Alice, "great, 2pm then", 20, parent),
            Message(Carol, "can I join?", 30, parent),
            Message(Alice, "sure", 40, parent),
        };
        var reply = Message(Bob, "see you all at 2", 50, parent);

        var pair = Built(new ReplyCandidates(reply, parent, thread));

        Assert.Equal($"{reply.Message.Id}:thread", pair.Id);
        Assert.Equal(ReplyPairKind.Thread, pair.Kind);
        Assert.Equal((Workspace, Channel, reply.Message.Id), (pair.WorkspaceId, pair.ChannelId, pair.ReplyMessageId));
        Assert.Equal([parent.Message.Id, thread[1].Message.Id, thread[2].Message.Id, thread[3].Message.Id, reply.Message.Id], pair.MessageIds);
        Assert.Equal(
            [new("anyone up for the release review?", false), new("great, 2pm then", false), new("can I join?", false), new("sure", false)],
            pair.Context);
        Assert.Equal("see you all at 2", pair.Reply);
        Assert.Equal((T0.AddSeconds(50), BuiltAt), (pair.ReplyAt, pair.BuiltAt));
    }

    [Fact]
    public void Build_ThreadReplyByAContextAuthor_MarksTheirLinesSameAuthor()
    {
        var parent = Message(Alice, "who owns the billing alerts?", 0);
        var own = Message(Bob, "I think it was Dana", 10, parent);
        var reply = Message(Bob, "actually it is me now", 20, parent);

        var pair = Built(new ReplyCandidates(reply, parent, [own]));

        Assert.Equal([false, true], pair.Context.Select(c => c.SameAuthorAsReply));
    }

    [Fact]
    public void Build_ThreadCandidatesShuffledLaterOrFromAnotherThread_PicksOnlyThoseBeforeTheReplyInOrder()
    {
        var parent = Message(Alice, "deploy at 5?", 0);
        var other = Message(Carol, "unrelated thread", 1);
        var first = Message(Bob, "fine by me", 10, parent);
        var second = Message(Carol, "ok", 20, parent);
        var reply = Message(Alice, "deploying now", 30, parent);
        var later = Message(Bob, "thanks!", 40, parent);
        var elsewhere = Message(Bob, "wrong thread", 25, other);

        var pair = Built(new ReplyCandidates(reply, parent, [later, second, elsewhere, reply, first, parent]));

        Assert.Equal([parent.Message.Id, first.Message.Id, second.Message.Id, reply.Message.Id], pair.MessageIds);
    }

    [Fact]
    public void Build_ZeroContextMessages_PairsTheParentOnly()
    {
        var builder = new SmartReplyPairBuilder(new SmartReplyOptions { ContextMessages = 0 });
        var parent = Message(Alice, "lunch?", 0);
        var reply = Message(Bob, "yes please", 20, parent);

        var pair = builder.Build(new ReplyCandidates(reply, parent, [Message(Carol, "me too", 10, parent)]), BuiltAt).Pair!;

        Assert.Equal([parent.Message.Id, reply.Message.Id], pair.MessageIds);
    }

    [Fact]
    public void Build_ThreadReplyWithoutItsParent_HasNoContext()
    {
        var parent = Message(Alice, "lunch?", 0);
        var reply = Message(Bob, "yes please", 20, parent);

        Assert.Equal(PairSkipReason.NoContext, Skipped(new ReplyCandidates(reply, null, [])));
        Assert.Equal(PairSkipReason.NoContext, Skipped(new ReplyCandidates(reply, Message(Carol, "not the parent", 1), [])));
    }

    [Fact]
    public void Build_QuickReplyByAnotherUserWithinTheWindow_PairsThePreviousMessage()
    {
        var previous = Message(Alice, "is the build green?", 0);
        var reply = Message(Bob, "yes, all green", 45);

        var pair = Built(new ReplyCandidates(reply, ChannelBefore: previous));

        Assert.Equal($"{reply.Message.Id}:quick", pair.Id);
        Assert.Equal(ReplyPairKind.Quick, pair.Kind);
        Assert.Equal([previous.Message.Id, reply.Message.Id], pair.MessageIds);
        Assert.Equal([new ReplyContextLine("is the build green?", false)], pair.Context);
        Assert.Equal("yes, all green", pair.Reply);
    }

    [Fact]
    public void Build_QuickReplyExactlyAtTheWindowsEnd_IsPaired()
    {
        var previous = Message(Alice, "is the build green?", 0);

        Assert.NotNull(_builder.Build(new ReplyCandidates(Message(Bob, "yes", 120), ChannelBefore: previous), BuiltAt).Pair);
    }

    [Fact]
    public void Build_QuickReplyAfterTheWindow_HasNoContext()
    {
        var previous = Message(Alice, "is the build green?", 0);

        Assert.Equal(PairSkipReason.NoContext, Skipped(new ReplyCandidates(Message(Bob, "yes", 120.001), ChannelBefore: previous)));
    }

    [Fact]
    public void Build_QuickReplyBySameAuthor_IsSkipped()
    {
        var previous = Message(Bob, "is the build green?", 0);

        Assert.Equal(PairSkipReason.SameAuthor, Skipped(new ReplyCandidates(Message(Bob, "never mind, it is", 10), ChannelBefore: previous)));
    }

    [Fact]
    public void Build_TopLevelMessageWithoutAPreviousTopLevelMessage_HasNoContext()
    {
        var reply = Message(Bob, "good morning everyone", 10);
        var threadMessage = Message(Alice, "inside a thread", 5, Message(Carol, "parent", 0));

        Assert.Equal(PairSkipReason.NoContext, Skipped(new ReplyCandidates(reply)));
        Assert.Equal(PairSkipReason.NoContext, Skipped(new ReplyCandidates(reply, ChannelBefore: threadMessage)));
        Assert.Equal(PairSkipReason.NoContext, Skipped(new ReplyCandidates(reply, ChannelBefore: Message(Alice, "after it", 20))));
    }

    [Theory]
    [InlineData(ModerationAction.Flag, "reply")]
    [InlineData(ModerationAction.Block, "reply")]
    [InlineData(ModerationAction.Flag, "parent")]
    [InlineData(ModerationAction.Block, "parent")]
    [InlineData(ModerationAction.Flag, "thread")]
    [InlineData(ModerationAction.Flag, "previous")]
    public void Build_AMessageNotAllowedByModeration_VoidsThePair(ModerationAction action, string which)
    {
        var candidates = WithOneChanged(which, m => m with { Action = action });

        Assert.Equal(PairSkipReason.NotAllowed, Skipped(candidates));
    }

    [Theory]
    [InlineData("reply")]
    [InlineData("parent")]
    [InlineData("thread")]
    [InlineData("previous")]
    public void Build_ADeletedMessage_VoidsThePair(string which)
    {
        var candidates = WithOneChanged(which, m => m with { Message = m.Message with { Deleted = true } });

        Assert.Equal(PairSkipReason.Deleted, Skipped(candidates));
    }

    [Theory]
    [InlineData("reply", MessageContentType.Code)]
    [InlineData("reply", MessageContentType.File)]
    [InlineData("reply", null)]
    [InlineData("parent", MessageContentType.Code)]
    [InlineData("thread", MessageContentType.File)]
    [InlineData("previous", MessageContentType.Code)]
    public void Build_ACodeFileOrUnknownMessage_VoidsThePair(string which, MessageContentType? contentType)
    {
        var candidates = WithOneChanged(which, m => m with { Message = m.Message with { ContentType = contentType } });

        Assert.Equal(PairSkipReason.ContentType, Skipped(candidates));
    }

    [Fact]
    public void Build_FencedCodeInAText_VoidsThePair()
    {
        var candidates = WithOneChanged("parent", m => m with { Message = m.Message with { Content = "try this:\n```\nrm -rf /tmp/x\n```" } });

        Assert.Equal(PairSkipReason.ContentType, Skipped(candidates));
    }

    [Fact]
    public void Build_RichText_IsUsedLikeText()
    {
        var candidates = WithOneChanged("previous", m => m with { Message = m.Message with { ContentType = MessageContentType.Rich } });

        Assert.NotNull(_builder.Build(candidates, BuiltAt).Pair);
    }

    [Theory]
    [InlineData("k")]
    [InlineData("   k   ")]
    [InlineData("")]
    [InlineData("👍👍👍")]
    [InlineData("!!!")]
    [InlineData("https://example.com/some/long/path")]
    [InlineData("@bob <@U024BE7LH> bob@example.com")]
    public void Build_TooShortOrNothingButPlaceholdersEmojiAndPunctuation_IsSkippedForLength(string text)
    {
        Assert.Equal(PairSkipReason.Length, Skipped(WithOneChanged("reply", m => m with { Message = m.Message with { Content = text } })));
        Assert.Equal(PairSkipReason.Length, Skipped(WithOneChanged("previous", m => m with { Message = m.Message with { Content = text } })));
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(501, false)]
    public void Build_LengthBound_CountsUserPerceivedCharactersAfterScrubbing(int characters, bool paired)
    {
        var text = "a" + string.Concat(Enumerable.Repeat("👍🏽", characters - 1)); // one letter, then skin-toned emoji (two chars each in UTF-16, one perceived)
        var candidates = WithOneChanged("reply", m => m with { Message = m.Message with { Content = text } });

        Assert.Equal(paired, _builder.Build(candidates, BuiltAt).Pair is not null);
    }

    [Fact]
    public void Build_LongUrlScrubbedToAPlaceholder_FitsTheBound()
    {
        var text = "the design doc: https://docs.example.com/" + new string('x', 600);
        var candidates = WithOneChanged("previous", m => m with { Message = m.Message with { Content = text } });

        Assert.Equal("the design doc: <url>", Built(candidates).Context[0].Text);
    }

    [Fact]
    public void Build_TextsWithPersonalData_AreStoredScrubbedAndTrimmed()
    {
        var previous = Message(Alice, "  @bob can you call me at +44 20 7946 0958 or mail alice@example.com?  ", 0);
        var reply = Message(Bob, "sure, calling <@U024BE7LH> now ", 30);

        var pair = Built(new ReplyCandidates(reply, ChannelBefore: previous));

        Assert.Equal("<mention> can you call me at <phone> or mail <email>?", pair.Context[0].Text);
        Assert.Equal("sure, calling <mention> now", pair.Reply);
    }

    [Fact]
    public void Build_MinAndMaxCharacters_AreConfigurable()
    {
        var builder = new SmartReplyPairBuilder(new SmartReplyOptions { MinCharacters = 5, MaxCharacters = 10 });
        var previous = Message(Alice, "ready to ship?", 0);

        Assert.Equal(PairSkipReason.Length, builder.Build(new ReplyCandidates(Message(Bob, "yes", 10), ChannelBefore: previous), BuiltAt).Skipped);
        Assert.NotNull(builder.Build(new ReplyCandidates(Message(Bob, "yes, go", 10), ChannelBefore: Message(Alice, "ship it?", 0)), BuiltAt).Pair);
    }

    /// <summary>Valid thread and quick candidates with one message changed: the reply (quick), the parent, a thread message, or the previous message.</summary>
    private static ReplyCandidates WithOneChanged(string which, Func<JudgedMessage, JudgedMessage> change)
    {
        var parent = Message(Alice, "release review at 3?", 0);
        var threadMessage = Message(Carol, "works for me", 10, parent);
        var previous = Message(Alice, "is the build green?", 100);
        var quickReply = Message(Bob, "yes, all green", 110);
        var threadReply = Message(Bob, "same here", 20, parent);
        return which switch
        {
            "reply" => new ReplyCandidates(change(quickReply), ChannelBefore: previous),
            "previous" => new ReplyCandidates(quickReply, ChannelBefore: change(previous)),
            "parent" => new ReplyCandidates(threadReply, change(parent), [threadMessage]),
            "thread" => new ReplyCandidates(threadReply, parent, [change(threadMessage)]),
            _ => throw new ArgumentOutOfRangeException(nameof(which), which, null),
        };
    }

    private ReplyPair Built(ReplyCandidates candidates)
    {
        var decision = _builder.Build(candidates, BuiltAt);
        Assert.Null(decision.Skipped);
        return decision.Pair!;
    }

    private PairSkipReason? Skipped(ReplyCandidates candidates)
    {
        var decision = _builder.Build(candidates, BuiltAt);
        Assert.Null(decision.Pair);
        return decision.Skipped;
    }

    private static JudgedMessage Message(Guid user, string content, double atSeconds, JudgedMessage? parent = null)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var id = ObjectId.Parse($"{T0.ToUnixTimeSeconds():x8}0000000000{sequence:x6}");
        return new JudgedMessage(
            new ChatMessage(id, Workspace, Channel, user, content, MessageContentType.Text, parent?.Message.Id, T0.AddSeconds(atSeconds), false),
            ModerationAction.Allow);
    }
}
