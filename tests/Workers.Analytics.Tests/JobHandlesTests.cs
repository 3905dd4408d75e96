using System.Reflection;
using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Housekeeping.Messages;
using QuikApp.Workers.Analytics.Housekeeping.Reactions;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Analytics.Reconciliation;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Tests;

/// <summary>
/// Where the incremental and housekeeping jobs get their handles: only from <see cref="MongoCatalog"/>, so every find,
/// aggregate and pipeline they run (the <c>updatedAt &gt;= watermark - overlap</c> scans above all) reads the primary, and
/// every write goes through <see cref="JobWrites"/> (w:majority bounded by a wtimeout).
/// </summary>
public sealed class JobHandlesTests : IDisposable
{
    private readonly MongoClient _client = new("mongodb://127.0.0.1:1");

    [Theory]
    [InlineData(typeof(DailyMessageStatsJob))]
    [InlineData(typeof(UnreadCountsJob))]
    [InlineData(typeof(CounterReconciliationJob))]
    [InlineData(typeof(ModerationDailyJob))]
    [InlineData(typeof(OrphanReactionsJob))]
    [InlineData(typeof(MessageRetentionJob))]
    public void Job_TakesEveryHandleFromTheCatalog(Type job)
    {
        // A job given an IMongoClient, IMongoDatabase or IMongoCollection could read with the client's default (the
        // secondaryPreferred that let a lagging secondary put writes behind the watermark for good, issue 11 defect 6).
        var parameters = job.GetConstructors(BindingFlags.Public | BindingFlags.Instance).SelectMany(ctor => ctor.GetParameters()).ToList();

        Assert.Contains(parameters, parameter => parameter.ParameterType == typeof(MongoCatalog));
        Assert.DoesNotContain(parameters, parameter => IsRawMongoHandle(parameter.ParameterType));
    }

    [Theory]
    [InlineData("daily-message-stats", new[] { nameof(MongoCatalog.Messages), nameof(MongoCatalog.DailyMessageStats), nameof(MongoCatalog.JobState) })]
    [InlineData("unread-counts", new[] { nameof(MongoCatalog.Messages), nameof(MongoCatalog.ReadReceipts), nameof(MongoCatalog.JobState) })]
    [InlineData("counter-reconciliation", new[] { nameof(MongoCatalog.Messages), nameof(MongoCatalog.Reactions), nameof(MongoCatalog.JobState) })]
    [InlineData("moderation-daily", new[] { nameof(MongoCatalog.AutoModResults), nameof(MongoCatalog.Reports), nameof(MongoCatalog.ModerationDaily), nameof(MongoCatalog.JobState) })]
    [InlineData("orphan-reactions", new[] { nameof(MongoCatalog.Reactions), nameof(MongoCatalog.Messages) })]
    public void Job_CollectionsItScansAndWrites_ReadThePrimary_AndWritesAreBounded(string job, string[] handles)
    {
        var catalog = new MongoCatalog(_client, new MongoOptions());

        Assert.All(handles, name =>
        {
            var collection = (IMongoCollection<BsonDocument>)typeof(MongoCatalog).GetProperty(name)!.GetValue(catalog)!;
            var written = JobWrites.Bounded(collection);
            Assert.True(ReadPreference.Primary.Equals(collection.Settings.ReadPreference), $"{job}: {name} reads {collection.Settings.ReadPreference}");
            Assert.True(ReadPreference.Primary.Equals(written.Settings.ReadPreference), $"{job}: {name} (bounded) reads {written.Settings.ReadPreference}");
            Assert.Equal(JobWrites.WriteConcernTimeout, written.Settings.WriteConcern.WTimeout);
            Assert.Equal(collection.CollectionNamespace, written.CollectionNamespace);
        });
    }

    public void Dispose() => _client.Dispose();

    private static bool IsRawMongoHandle(Type type) =>
        typeof(IMongoClient).IsAssignableFrom(type)
        || typeof(IMongoDatabase).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IMongoCollection<>));
}
