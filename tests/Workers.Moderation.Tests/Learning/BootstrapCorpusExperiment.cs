using System.Diagnostics;
using System.Globalization;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Scoring.Spam;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>
/// Not a specification: the measurement behind "retrain spam on moderators' labels alone" (docs/moderation.md,
/// "Learning from moderators"). Trains on synthetic moderator-labelled chat with and without the SpamAssassin
/// bootstrap corpus and grades both on the chat held-out share and on the hand-written chat smoke set.
/// Run with <c>dotnet test --project tests/Workers.Moderation.Tests -- --explicit only</c>.
/// </summary>
public sealed class BootstrapCorpusExperiment
{
    [Fact(Explicit = true, Timeout = 1_800_000)]
    public async Task Compare_ChatOnlyAndChatPlusCorpus_PrintsHeldOutAndSmokeMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper!;
        var corpus = (await SpamCorpus.ReadFileAsync(SpamTestData.CorpusPath, ct)).Examples;
        var smoke = ChatSmokeSet.Parse(await File.ReadAllTextAsync(SpamTestData.ChatSmokePath, ct));
        var bundled = SpamTestData.BundledClassifier;
        output.WriteLine("per class | variant | held-out AUC | held-out F1 | smoke AUC | smoke F1 | fit s");

        foreach (var perClass in new[] { 40, 150, 400 })
        {
            var texts = SyntheticModeration.Texts(ModelKind.Spam, perClass, seed: 7)
                .Select(e => (Text: SpamText.Normalize(e.Text), e.IsPositive))
                .DistinctBy(e => e.Text)
                .ToList();
            var (train, test) = HeldOutSplit.Split(texts, seed: 20251125, testFraction: 0.2);
            Row(output, perClass, "bundled (e-mail)", bundled, test, smoke, TimeSpan.Zero);

            foreach (var (name, extra) in new[] { ("chat only", Array.Empty<(string, bool)>()), ("chat + SpamAssassin", corpus.ToArray()) })
            {
                var watch = Stopwatch.StartNew();
                var result = await Task.Run(() => SpamModelTrainer.TrainAndEvaluate([.. train, .. extra], 20251125, testFraction: 0), ct);
                watch.Stop();
                Row(output, perClass, name, SpamClassifier.Load(result.ToZip()), test, smoke, watch.Elapsed);
            }
        }
    }

    private static void Row(ITestOutputHelper output, int perClass, string variant, SpamClassifier model,
        IReadOnlyList<(string Text, bool IsSpam)> test, IReadOnlyList<(string Text, bool IsSpam)> smoke, TimeSpan fit)
    {
        var heldOut = ClassifierMetrics.Compute([.. test.Select(e => (model.Probability(e.Text), e.IsSpam))]);
        var onSmoke = ClassifierMetrics.Compute([.. smoke.Select(e => (model.Probability(e.Text), e.IsSpam))]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{perClass} | {variant} | {heldOut.AreaUnderRocCurve:0.0000} | {heldOut.F1Score:0.0000} | {onSmoke.AreaUnderRocCurve:0.0000} | {onSmoke.F1Score:0.0000} | {fit.TotalSeconds:0.0}"));
    }
}
