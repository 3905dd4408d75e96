using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

public sealed class SpamTextTests
{
    [Theory]
    [InlineData("  hello \t\r\n  world  ", "hello world")]
    [InlineData("a\u0000b\u0085c\u00a0d\u3000e", "a b c d e")]
    [InlineData("", "")]
    [InlineData(" \n\t ", "")]
    public void Normalize_WhitespaceAndControlRuns_BecomeOneSpaceAndEndsAreTrimmed(string text, string expected) =>
        Assert.Equal(expected, SpamText.Normalize(text));

    [Fact]
    public void Normalize_LongText_IsCutAtMaxLength()
    {
        var normalized = SpamText.Normalize(new string('x', SpamText.MaxLength * 3));

        Assert.Equal(SpamText.MaxLength, normalized.Length);
    }

    [Fact]
    public void Normalize_CutFallingInsideASurrogatePair_DropsTheLoneHighSurrogate()
    {
        var text = new string('x', SpamText.MaxLength - 1) + "😀tail";

        var normalized = SpamText.Normalize(text);

        Assert.Equal(SpamText.MaxLength - 1, normalized.Length);
        Assert.False(char.IsHighSurrogate(normalized[^1]));
    }

    [Fact]
    public void Normalize_CutFollowedBySpace_LeavesNoTrailingSpace()
    {
        var text = new string('x', SpamText.MaxLength - 1) + " yyy";

        Assert.Equal(new string('x', SpamText.MaxLength - 1), SpamText.Normalize(text));
    }

    [Fact]
    public void Normalize_AppliedTwice_ChangesNothingMore()
    {
        var once = SpamText.Normalize("  WIN\ta FREE\n\n iPhone!!!  " + new string('z', 3000));

        Assert.Equal(once, SpamText.Normalize(once));
    }

    [Fact]
    public void Chunks_SentencesOfAnEmail_AreGatheredUpToAboutTheTargetLength()
    {
        var text = "Dear friend. I am writing to you today with an offer. You have been selected! Reply now to claim your prize. Act fast?";

        var chunks = SpamText.Chunks(text, targetLength: 60);

        Assert.Equal(
            ["Dear friend. I am writing to you today with an offer.", "You have been selected! Reply now to claim your prize.", "Act fast?"],
            chunks);
    }

    [Fact]
    public void Chunks_TextWithoutSentenceEnds_IsSplitBetweenWordsWithinTheTarget()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 100));

        var chunks = SpamText.Chunks(text, targetLength: 50);

        Assert.All(chunks, chunk => Assert.InRange(chunk.Length, 1, 50));
        Assert.Equal(text, string.Join(' ', chunks));
    }

    [Fact]
    public void Chunks_ShortChatMessage_IsOnePiece() =>
        Assert.Equal(["can we move standup to 10?"], SpamText.Chunks("can we move standup to 10?", targetLength: 100));
}
