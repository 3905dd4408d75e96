using Microsoft.Extensions.DependencyInjection;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Learning;

public sealed class ModelRollbackTests
{
    private static readonly DateTimeOffset T0 = SyntheticModeration.Cutoff.AddMinutes(5);

    [Fact(Timeout = 120_000)]
    public async Task RollBackAsync_ThreePromotionsRolledBackOneByOne_WalksBackToTheStartupModel()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        var ct = TestContext.Current.CancellationToken;
        var a = await PromoteAsync(worker, ModelKind.Spam, LearntModels.SpamZip, T0);
        var b = await PromoteAsync(worker, ModelKind.Spam, LearntModels.ToxicityZip, T0.AddDays(7));
        await worker.Sync.SyncAsync(ct);
        var rollback = new ModelRollback(worker.Registry, worker.Time);

        var first = await rollback.RollBackAsync(ModelKind.Spam, ct);
        await worker.Sync.SyncAsync(ct);
        Assert.Equal(new RollbackResult(ModelKind.Spam, b, a), first);
        Assert.Equal((ModelStatus.Promoted, ModelStatus.Rejected), (worker.Registry.Models[a].Status, worker.Registry.Models[b].Status));
        Assert.Equal(a, worker.Sync.InstalledModelId(ModelKind.Spam));

        var second = await rollback.RollBackAsync(ModelKind.Spam, ct);
        await worker.Sync.SyncAsync(ct);
        Assert.Equal(new RollbackResult(ModelKind.Spam, a, null), second);
        Assert.Same(SpamTestData.BundledClassifier, worker.Spam.Current);

        Assert.Equal(new RollbackResult(ModelKind.Spam, null, null), await rollback.RollBackAsync(ModelKind.Spam, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task Command_RollbackOfAPromotedModel_PrintsWhatChangedAndExitsZero()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        var promoted = await PromoteAsync(worker, ModelKind.Toxicity, LearntModels.ToxicityZip, T0);
        using var services = new ServiceCollection().AddSingleton(new ModelRollback(worker.Registry, worker.Time)).BuildServiceProvider();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await new RollbackModelCommand().RunAsync(services, ["spam"], output, error, TestContext.Current.CancellationToken);
        var toxicity = await new RollbackModelCommand().RunAsync(services, ["toxicity"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal((1, 0), (exit, toxicity));
        Assert.Contains("\"status\": \"nothing-promoted\"", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"\"withdrawn\": \"{promoted}\"", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"workersScoreWith\": \"no learnt toxicity model\"", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("models")]
    [InlineData("spam", "toxicity")]
    public async Task Command_BadArguments_PrintsUsageAndExitsTwo(params string[] arguments)
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        using var error = new StringWriter();

        var exit = await new RollbackModelCommand().RunAsync(services, arguments, TextWriter.Null, error, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("usage: rollback-model <spam|toxicity>", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> PromoteAsync(LearningHarness worker, ModelKind kind, byte[] zip, DateTimeOffset at)
    {
        var record = LearntModels.Record(kind, zip, promotedAt: null);
        worker.Files.Files[record.GridFsId] = zip;
        worker.Registry.Put(record);
        await worker.Registry.PromoteAsync(record.Id, kind, at, TestContext.Current.CancellationToken);
        return record.Id;
    }
}
