using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Shared.Tests.Mongo;

/// <summary>
/// A required index that is not in place closes the gate (the consumers wait on it), fails readiness with the reason, and
/// is retried until it is built; start-up itself returns, so the process is not restarted in a loop.
/// </summary>
public sealed class MongoRequiredIndexGateTests
{
    private static readonly MongoIndexDefinition Required =
        Assert.Single(MongoIndexCatalog.All, index => index.Collection == MongoCatalog.Collections.AutoModResults && index.Name == "messageId_1");

    private static readonly MongoIndexDefinition Ordinary =
        Assert.Single(MongoIndexCatalog.All, index => index.Collection == MongoCatalog.Collections.Reports && index.Name == "status_1_reviewedAt_1");

    [Fact(Timeout = 10_000)]
    public async Task StartAsync_RequiredIndexHasDuplicates_ClosesTheGateFailsReadinessAndReturns()
    {
        var gate = new MongoRequiredIndexGate();
        var service = Service((indexes, _) => Task.FromResult(Report(indexes, duplicates: true)), gate, new FakeTimeProvider());

        await service.StartAsync(TestContext.Current.CancellationToken);

        Assert.False(gate.IsOpen);
        Assert.False(gate.WaitAsync(TestContext.Current.CancellationToken).IsCompleted);
        var health = await new MongoRequiredIndexesHealthCheck(gate).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("QuikApp_moderation.auto_mod_results", health.Description, StringComparison.Ordinal);
        Assert.Contains("duplicate values", health.Description, StringComparison.Ordinal);
        Assert.Contains("not consuming", health.Description, StringComparison.Ordinal);
        await service.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 10_000)]
    public async Task StartAsync_OnlyAnOrdinaryIndexConflicts_LeavesTheGateOpen()
    {
        var gate = new MongoRequiredIndexGate();
        var service = Service(
            (indexes, _) => Task.FromResult(new MongoIndexBootstrapReport([.. indexes.Select(index => index == Ordinary
                ? new IndexBootstrapResult(index, "QuikApp_moderation", IndexBootstrapOutcome.Conflict, IndexConflictKind.SameNameDifferentOptions)
                : new IndexBootstrapResult(index, "QuikApp_moderation", IndexBootstrapOutcome.Created))])),
            gate,
            new FakeTimeProvider());

        await service.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(gate.IsOpen);
        var health = await new MongoRequiredIndexesHealthCheck(gate).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        await service.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 10_000)]
    public async Task Retry_DuplicatesRemovedLater_OpensTheGateAfterTheRetryInterval()
    {
        var gate = new MongoRequiredIndexGate();
        var time = new FakeTimeProvider();
        var attempts = new List<IReadOnlyList<MongoIndexDefinition>>();
        var service = Service(
            (indexes, _) =>
            {
                attempts.Add(indexes);
                return Task.FromResult(Report(indexes, duplicates: attempts.Count == 1));
            },
            gate,
            time);
        await service.StartAsync(TestContext.Current.CancellationToken);
        var opened = gate.WaitAsync(TestContext.Current.CancellationToken);
        Assert.False(opened.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));
        await opened;

        Assert.True(gate.IsOpen);
        // The retry rebuilds only the required index that was missing.
        Assert.Equal([Required], attempts[1]);
        await service.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory(Timeout = 10_000)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task StartAsync_RequiredIndexExistsUnderAnotherName_OpensOnlyWhenItIsAsUnique(bool existingUnique, bool expectOpen)
    {
        // An upstream unique { messageId: 1 } under its own name gives the uniqueness the worker needs (code 85);
        // a non-unique one does not. Before, both kept the worker from ever consuming.
        var gate = new MongoRequiredIndexGate();
        var existing = new MongoDB.Bson.BsonDocument { { "v", 2 }, { "key", new MongoDB.Bson.BsonDocument("messageId", 1) }, { "name", "upstream_messageId" }, { "unique", existingUnique } };
        var service = Service(
            (indexes, _) => Task.FromResult(new MongoIndexBootstrapReport([.. indexes.Select(index => index == Required
                ? new IndexBootstrapResult(index, "QuikApp_moderation", IndexBootstrapOutcome.Conflict, IndexConflictKind.SameKeysDifferentName, existing)
                : new IndexBootstrapResult(index, "QuikApp_moderation", IndexBootstrapOutcome.Created))])),
            gate,
            new FakeTimeProvider());

        await service.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expectOpen, gate.IsOpen);
        await service.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 10_000)]
    public async Task Retry_AWriteConcernFailureOnARetry_KeepsRetryingAndOpensLater()
    {
        // A build whose write concern failed (a majority down) threw out of the retry loop, which then never ran again.
        var gate = new MongoRequiredIndexGate();
        var time = new FakeTimeProvider();
        var attempts = 0;
        var service = Service(
            (indexes, _) => ++attempts switch
            {
                1 => Task.FromResult(Report(indexes, duplicates: true)),
                2 => throw new InvalidOperationException("createIndexes ... did not satisfy the write concern"),
                _ => Task.FromResult(Report(indexes, duplicates: false)),
            },
            gate,
            time);
        await service.StartAsync(TestContext.Current.CancellationToken);
        var opened = gate.WaitAsync(TestContext.Current.CancellationToken);

        while (!opened.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(gate.IsOpen);
        Assert.True(attempts >= 3, $"{attempts} attempts");
        await service.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 10_000)]
    public async Task StopAsync_GateStillClosed_EndsTheRetriesAndWaitersAreCancelled()
    {
        var gate = new MongoRequiredIndexGate();
        var service = Service((indexes, _) => Task.FromResult(Report(indexes, duplicates: true)), gate, new FakeTimeProvider());
        await service.StartAsync(TestContext.Current.CancellationToken);
        using var stopping = new CancellationTokenSource();
        var waiter = gate.WaitAsync(stopping.Token);

        await service.StopAsync(TestContext.Current.CancellationToken);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.False(gate.IsOpen);
    }

    [Fact]
    public async Task HealthCheck_GateNeverClosed_IsHealthy()
    {
        var health = await new MongoRequiredIndexesHealthCheck(new MongoRequiredIndexGate()).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    private static MongoIndexBootstrapService Service(
        Func<IReadOnlyList<MongoIndexDefinition>, CancellationToken, Task<MongoIndexBootstrapReport>> ensure,
        MongoRequiredIndexGate gate,
        TimeProvider time) =>
        new(ensure, Options.Create(new MongoOptions()), new MongoIndexOwners([IndexOwner.Moderation]), NullLogger<MongoIndexBootstrapService>.Instance, gate, time);

    private static MongoIndexBootstrapReport Report(IReadOnlyList<MongoIndexDefinition> indexes, bool duplicates) => new(
        [.. indexes.Select(index => duplicates && index.Required
            ? MongoIndexBootstrapper.DuplicateKeysConflict(index, "QuikApp_moderation")
            : new IndexBootstrapResult(index, "QuikApp_moderation", IndexBootstrapOutcome.Created))]);
}
