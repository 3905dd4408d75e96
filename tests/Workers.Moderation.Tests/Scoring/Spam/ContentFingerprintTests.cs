using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

/// <summary>Near-same messages get near fingerprints; unrelated ones do not.</summary>
public sealed class ContentFingerprintTests
{
    private const int NearSame = 8;

    [Theory]
    [InlineData("buy now 1", "buy now 2")]
    [InlineData("Check out my channel!!", "check out   my channel")]
    [InlineData("Join for a FREE giveaway https://bit.ly/abc123", "join for a free giveaway https://bit.ly/QQzz99")]
    public void Compute_TextsEqualAfterNormalising_SameFingerprint(string a, string b)
    {
        Assert.Equal(ContentFingerprint.Compute(a), ContentFingerprint.Compute(b));
    }

    [Theory]
    [InlineData("Join my server for free crypto giveaway bit.ly/abc", "join my server for a free crypto giveaway bit.ly/abc")]
    [InlineData("FREE NITRO at discord-gift.xyz claim now", "free nitro at discord-gift.xyz, claim now!!! 🎁")]
    public void Compute_SlightlyEditedTexts_WithinNearSameDistance(string a, string b)
    {
        var distance = ContentFingerprint.Distance(ContentFingerprint.Compute(a), ContentFingerprint.Compute(b));

        Assert.InRange(distance, 1, NearSame);
    }

    [Theory]
    [InlineData("ok", "no")]
    [InlineData("the build is broken again", "the build is green again")]
    [InlineData("good morning everyone", "good morning team")]
    [InlineData("Deploying to staging now", "Deploying to production now")]
    [InlineData("can you look at the logs", "the deploy failed on step 3")]
    public void Compute_DifferentMessages_FartherThanNearSame(string a, string b)
    {
        var distance = ContentFingerprint.Distance(ContentFingerprint.Compute(a), ContentFingerprint.Compute(b));

        Assert.True(distance > NearSame, $"distance {distance}");
    }

    [Fact]
    public void Compute_SameText_SameFingerprintInEveryProcess()
    {
        // Pinned: a per-process seeded hash (string.GetHashCode) would make replays disagree across restarts.
        Assert.Equal(0x22015A71A2FEC1C5UL, ContentFingerprint.Compute("hello world"));
    }

    [Fact]
    public void Compute_PunctuationOnly_MatchesItselfButNotOtherPunctuation()
    {
        Assert.Equal(ContentFingerprint.Compute("!!!!!!"), ContentFingerprint.Compute("!!!!!!"));
        Assert.NotEqual(ContentFingerprint.Compute("!!!!!!"), ContentFingerprint.Compute("??????"));
    }

    [Fact]
    public void Normalize_MegabyteMessage_StopsAtTheCap()
    {
        var normalized = ContentFingerprint.Normalize(new string('x', 1_000_000));

        Assert.Equal(ContentFingerprint.MaxNormalizedLength, normalized.Length);
    }

    [Fact]
    public void Normalize_MixedText_FoldsCaseDigitsPunctuationAndLinks()
    {
        Assert.Equal("win 000 now at bit ly 🎁", ContentFingerprint.Normalize("  WIN $100 NOW!!! at https://bit.ly/Xy12 🎁 "));
    }
}
