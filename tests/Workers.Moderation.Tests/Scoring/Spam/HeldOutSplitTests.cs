using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

public sealed class HeldOutSplitTests
{
    private static readonly List<(string Text, bool IsSpam)> Examples =
        Enumerable.Range(0, 500).Select(i => ($"message {i}", i % 5 == 0)).ToList();

    [Fact]
    public void Split_Default_HoldsOutTwentyPercentOfEachLabel()
    {
        var (train, test) = HeldOutSplit.Split(Examples, seed: 1);

        Assert.Equal(20, test.Count(e => e.IsSpam));
        Assert.Equal(80, test.Count(e => !e.IsSpam));
        Assert.Equal(400, train.Count);
        Assert.Empty(train.Intersect(test));
    }

    [Fact]
    public void Split_SameSeedAndShuffledInput_GivesTheSameTestSet()
    {
        var shuffled = Examples.OrderBy(e => e.Text.GetHashCode(StringComparison.Ordinal)).ToList();

        var (_, first) = HeldOutSplit.Split(Examples, seed: 7);
        var (_, second) = HeldOutSplit.Split(shuffled, seed: 7);

        Assert.Equal(first.OrderBy(e => e.Text, StringComparer.Ordinal), second.OrderBy(e => e.Text, StringComparer.Ordinal));
    }

    [Fact]
    public void Split_DifferentSeed_GivesADifferentTestSet()
    {
        var (_, first) = HeldOutSplit.Split(Examples, seed: 1);
        var (_, second) = HeldOutSplit.Split(Examples, seed: 2);

        Assert.NotEqual(first.ToHashSet(), second.ToHashSet());
    }

    [Fact]
    public void Split_AppendingExamples_MovesAtMostThatManyExistingOnesAcrossTheLine()
    {
        var (_, before) = HeldOutSplit.Split(Examples, seed: 3, testFraction: 0.5);
        var more = Examples.Concat(Enumerable.Range(500, 10).Select(i => ($"message {i}", i % 5 == 0))).ToList();

        var (train, _) = HeldOutSplit.Split(more, seed: 3, testFraction: 0.5);

        Assert.True(before.Count(train.Contains) <= 10);
    }
}
