using System.Collections.Concurrent;
using QuikApp.Workers.Moderation.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Scoring.Spam;

public sealed class SpamModelHolderTests
{
    // A second, different model: trained on the synthetic chat corpus, so its probabilities differ from the bundled one's.
    private static readonly Lazy<SpamClassifier> Retrained = new(() =>
        SpamClassifier.Load(SpamModelTrainer.TrainAndEvaluate(SpamTestData.Synthetic(200, seed: 11), seed: 1).ToZip()));

    [Fact]
    public void Swap_NewModel_IsCurrentAndTheOldOneIsReturned()
    {
        var holder = new SpamModelHolder(SpamTestData.BundledClassifier);

        var previous = holder.Swap(Retrained.Value);

        Assert.Same(SpamTestData.BundledClassifier, previous);
        Assert.Same(Retrained.Value, holder.Current);
    }

    [Fact(Timeout = 60_000)]
    public async Task Swap_WhileScoring_EveryMessageIsScoredWhollyByOneModel()
    {
        var models = new[] { SpamTestData.BundledClassifier, Retrained.Value };
        var text = SpamTestData.ObviousSpam[0];
        var expected = models.ToDictionary(m => m, m => m.Probability(text));
        Assert.NotEqual(expected[models[0]], expected[models[1]]);
        var holder = new SpamModelHolder(models[0]);
        using var stop = new CancellationTokenSource();
        var seen = new ConcurrentDictionary<SpamClassifier, int>();
        var wrong = 0;

        var scorers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var model = holder.Current;
                seen.AddOrUpdate(model, 1, (_, n) => n + 1);
                if (model.Probability(text) != expected[model])
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        for (var i = 0; i < 200; i++)
        {
            holder.Swap(models[(i + 1) % 2]);
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        await Task.WhenAll(scorers);

        Assert.Equal(0, wrong);
        Assert.Equal(2, seen.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Swap_FromManyThreadsAtOnce_HandsEachReplacedModelBackExactlyOnce()
    {
        var zip = SpamModelTrainer.TrainAndEvaluate(SpamTestData.Synthetic(80, seed: 3), seed: 1).ToZip();
        var installed = Enumerable.Range(0, 32).Select(_ => SpamClassifier.Load(zip)).ToArray();
        var initial = SpamTestData.BundledClassifier;
        var holder = new SpamModelHolder(initial);
        var returned = new ConcurrentBag<SpamClassifier>();
        using var barrier = new Barrier(installed.Length);

        await Task.WhenAll(installed.Select(model => Task.Factory.StartNew(() =>
        {
            barrier.SignalAndWait(TestContext.Current.CancellationToken);
            returned.Add(holder.Swap(model));
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        // No swap was lost or duplicated: what came back plus what is current is exactly what went in.
        var after = returned.Append(holder.Current).ToHashSet(ReferenceEqualityComparer.Instance);
        var before = installed.Append(initial).ToHashSet(ReferenceEqualityComparer.Instance);
        Assert.Equal(installed.Length, returned.Count);
        Assert.True(after.SetEquals(before));
    }
}
