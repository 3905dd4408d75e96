using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuikApp.Workers.Moderation.Learning;
using QuikApp.Workers.Moderation.Tests.Scoring.Spam;

namespace QuikApp.Workers.Moderation.Tests.Learning;

/// <summary>Hot reload: the sync and the watcher against an in-memory registry holding real model zips.</summary>
public sealed class PromotedModelSyncTests
{
    private static readonly DateTimeOffset Promoted = SyntheticModeration.Cutoff.AddMinutes(5);

    [Fact(Timeout = 120_000)]
    public async Task SyncAsync_NewPromotedModel_SwapsItIntoTheHolder()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        var record = Publish(worker, ModelKind.Spam, LearntModels.SpamZip, Promoted);

        var results = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ModelSyncResult.Installed, results[ModelKind.Spam]);
        Assert.Equal(ModelSyncResult.Unchanged, results[ModelKind.Toxicity]);
        Assert.Equal($"{record.Sha256[..12]}@2026-11-29T03:00:00Z", worker.Spam.Current.ModelVersion);
        Assert.Equal(record.Id, worker.Sync.InstalledModelId(ModelKind.Spam));
        Assert.True(worker.Spam.Current.Probability("🔥 FREE PS5 giveaway 🔥 claim now at https://bit.ly/4821") > 0.5);
    }

    [Fact(Timeout = 120_000)]
    public async Task SyncAsync_SameModelStillPromoted_DoesNotDownloadAgain()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        Publish(worker, ModelKind.Toxicity, LearntModels.ToxicityZip, Promoted);
        await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);
        var installed = worker.Toxicity.Current;

        var results = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ModelSyncResult.Unchanged, results[ModelKind.Toxicity]);
        Assert.Same(installed, worker.Toxicity.Current);
        Assert.Equal(1, worker.Files.Downloads);
    }

    [Fact(Timeout = 120_000)]
    public async Task SyncAsync_CorruptZip_KeepsTheRunningModelAndDoesNotFetchItAgain()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        var running = worker.Spam.Current;
        var corrupt = LearntModels.SpamZip[..^200];   // truncated: the hash it is registered with matches, the zip does not open
        Publish(worker, ModelKind.Spam, corrupt, Promoted);

        var first = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);
        var second = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ModelSyncResult.Failed, first[ModelKind.Spam]);
        Assert.Equal(ModelSyncResult.Failed, second[ModelKind.Spam]);
        Assert.Same(running, worker.Spam.Current);
        Assert.Null(worker.Sync.InstalledModelId(ModelKind.Spam));
        Assert.Equal(1, worker.Files.Downloads);
    }

    [Fact(Timeout = 120_000)]
    public async Task SyncAsync_ZipNotMatchingTheRegisteredHash_IsRefused()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        var record = Publish(worker, ModelKind.Toxicity, LearntModels.ToxicityZip, Promoted);
        worker.Files.Files[record.GridFsId] = LearntModels.SpamZip;   // a valid zip, but not the promoted model

        var results = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ModelSyncResult.Failed, results[ModelKind.Toxicity]);
        Assert.Null(worker.Toxicity.Current);
    }

    [Fact(Timeout = 120_000)]
    public async Task SyncAsync_RegistryOrFileUnavailable_KeepsTheRunningModelAndRetriesNextTime()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        var running = worker.Spam.Current;
        var record = Publish(worker, ModelKind.Spam, LearntModels.SpamZip, Promoted);
        worker.Files.Files.TryRemove(record.GridFsId, out var zip);

        var missingFile = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);
        worker.Registry.Unavailable = true;
        var noRegistry = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);
        worker.Registry.Unavailable = false;
        worker.Files.Files[record.GridFsId] = zip!;
        var recovered = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ModelSyncResult.Failed, missingFile[ModelKind.Spam]);
        Assert.Equal(ModelSyncResult.Failed, noRegistry[ModelKind.Spam]);
        Assert.NotSame(running, worker.Spam.Current);
        Assert.Equal(ModelSyncResult.Installed, recovered[ModelKind.Spam]);
    }

    [Fact(Timeout = 120_000)]
    public async Task SyncAsync_NewerPromotionAndAHalfFinishedOne_TakesTheNewestPromotedAt()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        Publish(worker, ModelKind.Spam, LearntModels.SpamZip, Promoted);
        // A crash between "promote the new one" and "retire the old one" leaves both promoted.
        var newer = Publish(worker, ModelKind.Spam, LearntModels.ToxicityZip, Promoted.AddDays(7));

        await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(newer.Id, worker.Sync.InstalledModelId(ModelKind.Spam));
    }

    [Fact(Timeout = 120_000)]
    public async Task SyncAsync_PromotionWithdrawn_RevertsToTheStartupModels()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        var spam = Publish(worker, ModelKind.Spam, LearntModels.SpamZip, Promoted);
        var toxicity = Publish(worker, ModelKind.Toxicity, LearntModels.ToxicityZip, Promoted);
        await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);
        worker.Registry.SetStatus(spam.Id, ModelStatus.Rejected);
        worker.Registry.SetStatus(toxicity.Id, ModelStatus.Rejected);

        var results = await worker.Sync.SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ModelSyncResult.Reverted, results[ModelKind.Spam]);
        Assert.Equal(ModelSyncResult.Reverted, results[ModelKind.Toxicity]);
        Assert.Same(SpamTestData.BundledClassifier, worker.Spam.Current);
        Assert.Null(worker.Toxicity.Current);
    }

    [Fact(Timeout = 120_000)]
    public async Task Watcher_Start_LoadsThePromotedModelBeforeReturning()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        var record = Publish(worker, ModelKind.Toxicity, LearntModels.ToxicityZip, Promoted);
        using var watcher = Watcher(worker);

        await watcher.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            Assert.StartsWith(record.Sha256[..12], worker.Toxicity.Current!.ModelVersion, StringComparison.Ordinal);
        }
        finally
        {
            await watcher.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Watcher_ModelPromotedWhileRunning_IsSwappedInAtTheNextInterval()
    {
        using var worker = new LearningHarness(SyntheticModeration.Create(0, 0, seed: 1));
        using var watcher = Watcher(worker);
        await watcher.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var record = Publish(worker, ModelKind.Spam, LearntModels.SpamZip, Promoted);
            Assert.Same(SpamTestData.BundledClassifier, worker.Spam.Current);

            // Advance the fake clock an interval at a time until the watcher has looked again and swapped.
            while (worker.Sync.InstalledModelId(ModelKind.Spam) != record.Id)
            {
                worker.Time.Advance(worker.Options.ReloadInterval);
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            Assert.StartsWith(record.Sha256[..12], worker.Spam.Current.ModelVersion, StringComparison.Ordinal);
        }
        finally
        {
            await watcher.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    private static PromotedModelWatcher Watcher(LearningHarness worker) =>
        new(worker.Sync, Options.Create(worker.Options), worker.Time, NullLogger<PromotedModelWatcher>.Instance);

    private static ModelRecord Publish(LearningHarness worker, ModelKind kind, byte[] zip, DateTimeOffset promotedAt)
    {
        var record = LearntModels.Record(kind, zip, promotedAt);
        worker.Files.Files[record.GridFsId] = zip;
        worker.Registry.Put(record);
        return record;
    }
}
