using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Driver;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>The handles the lease and job-run stores write through: the primary, and every operation bounded in time.</summary>
public sealed class SchedulingStoreSettingsTests : IDisposable
{
    private readonly MongoClient _client = new("mongodb://127.0.0.1:1");

    [Fact]
    public void LeaseStore_ReadsThePrimary_AndBoundsEveryWriteConcernWaitByOperationTimeout()
    {
        // On the old code the handle had no timeout: a renewal waiting on w:majority could outlive the lease it renews.
        var options = new SchedulingOptions { OperationTimeout = TimeSpan.FromSeconds(7) };

        var locks = new MongoLeaseStore(new MongoCatalog(_client, new MongoOptions()), Options.Create(options), new FakeTimeProvider()).Locks;

        Assert.Equal(TimeSpan.FromSeconds(7), locks.Settings.WriteConcern.WTimeout);
        Assert.Equal(ReadPreference.Primary, locks.Settings.ReadPreference);
        Assert.Equal(MongoCatalog.Collections.Locks, locks.CollectionNamespace.CollectionName);
    }

    [Fact]
    public void JobRunStore_ReadsThePrimary_AndBoundsEveryWriteConcernWaitByOperationTimeout()
    {
        var runs = new MongoJobRunStore(new MongoCatalog(_client, new MongoOptions()), Options.Create(new SchedulingOptions())).Runs;

        Assert.Equal(TimeSpan.FromSeconds(10), runs.Settings.WriteConcern.WTimeout);
        Assert.Equal(ReadPreference.Primary, runs.Settings.ReadPreference);
        Assert.Equal(MongoCatalog.Collections.JobRuns, runs.CollectionNamespace.CollectionName);
    }

    public void Dispose() => _client.Dispose();
}
