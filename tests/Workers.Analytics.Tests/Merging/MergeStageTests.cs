using QuikApp.Workers.Analytics.Merging;
using QuikApp.Workers.Analytics.MessageStats;
using QuikApp.Workers.Analytics.ModerationStats;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Merging;

/// <summary>The $merge stage, and the unique index each target needs for it.</summary>
public sealed class MergeStageTests
{
    [Fact]
    public void Into_AnotherDatabase_ReplacesOnTheGivenFieldsAndInsertsTheRest()
    {
        StageAssert.Equal("""
            { $merge: { into: { db: "QuikApp_analytics", coll: "daily_message_stats" }, on: ["workspaceId", "date"],
                        whenMatched: "replace", whenNotMatched: "insert" } }
            """, MergeStage.Into("QuikApp_analytics", "daily_message_stats", "workspaceId", "date"));
    }

    [Fact]
    public void Into_NoOnFields_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => MergeStage.Into("QuikApp_analytics", "daily_message_stats"));
    }

    [Theory]
    [InlineData(MongoCatalog.Collections.DailyMessageStats, "workspaceId_1_date_1")]
    [InlineData(MongoCatalog.Collections.ModerationDaily, "date_1_workspaceId_1")]
    public void For_EachTarget_IsAUniqueNonPartialIndexOnExactlyTheOnFields(string collection, string name)
    {
        var index = MergeTargetIndexes.For(new MongoCollectionRef(QuikAppDatabase.Analytics, collection));

        Assert.Equal(name, index.Name);
        Assert.True(index.Unique);
        Assert.Null(index.PartialFilterExpression);
        Assert.Equal(["date", "workspaceId"], index.Keys.Names.Order(StringComparer.Ordinal));
        Assert.Equal(IndexOwner.Analytics, index.Owner);
    }

    [Fact]
    public void Targets_AreTheJobsOutputCollections()
    {
        Assert.Equal(MongoCatalog.Collections.DailyMessageStats, DailyMessageStatsJob.Target.Collection);
        Assert.Equal(MongoCatalog.Collections.ModerationDaily, ModerationDailyJob.Target.Collection);
    }
}
