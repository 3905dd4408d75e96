using MongoDB.Bson;
using QuikApp.Workers.Analytics.Housekeeping.IndexUsage;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.IndexUsage;

/// <summary>
/// The index-usage report assembled from <c>$indexStats</c>, <c>{ profile: -1 }</c> and <c>system.profile</c> documents shaped
/// as the MongoDB manual shows them.
/// </summary>
public sealed class IndexUsageReportTests
{
    private static readonly DateTime At = new(2026, 11, 25, 23, 50, 0, DateTimeKind.Utc);
    private static readonly Guid RunId = Guid.Parse("019ab4c2-0000-7000-8000-0000000000aa");

    private static BsonDocument Stat(string name, string key, long ops, string extraSpec = "") => BsonDocument.Parse($$"""
        { name: '{{name}}', key: {{key}}, host: 'mongo1:27017',
          accesses: { ops: NumberLong({{ops}}), since: ISODate('2026-11-20T08:00:00Z') },
          spec: { v: 2, key: {{key}}, name: '{{name}}'{{extraSpec}} } }
        """);

    /// <summary>A profiled find as the manual's example shows it (QuikApp names).</summary>
    private static readonly BsonDocument ProfiledFind = BsonDocument.Parse("""
        { op: 'query', ns: 'QuikApp_messages.messages',
          command: { find: 'messages', filter: { channelId: UUID('11111111-1111-4111-8111-111111111111'), content: 'my secret plan', createdAt: { $gt: ISODate('2026-11-01T00:00:00Z') } },
                     sort: { createdAt: -1 }, limit: 50, lsid: { id: UUID('5ccd5b81-b023-41f3-8959-bf99ed696ce9') }, $db: 'QuikApp_messages' },
          keysExamined: 0, docsExamined: 120000, nreturned: 50, millis: 412, planSummary: 'COLLSCAN',
          ts: ISODate('2026-11-25T14:03:11.120Z'), client: '10.0.0.7', appName: 'message-service', allUsers: [], user: '' }
        """);

    [Fact]
    public void IndexStatsPipeline_IsTheSeedsQuery()
    {
        Assert.Equal([BsonDocument.Parse("{ $indexStats: {} }")], IndexUsageReport.IndexStatsPipeline());
    }

    [Fact]
    public void SlowOpsFilter_TheSeedsMillisFilterBoundedToTheWindow()
    {
        Assert.Equal(
            BsonDocument.Parse("{ ts: { $gte: ISODate('2026-11-24T23:50:00Z') }, millis: { $gt: 100 } }"),
            IndexUsageReport.SlowOpsFilter(At, TimeSpan.FromHours(24), 100));
        Assert.Equal(BsonDocument.Parse("{ millis: -1, ts: -1 }"), IndexUsageReport.SlowOpsSort);
    }

    [Fact]
    public void ProfilingStatus_ReadsTheReplyOfProfileMinusOne()
    {
        var status = ProfilingStatus.From(BsonDocument.Parse("{ was: 1, slowms: 100, sampleRate: 1.0, ok: 1 }"));

        Assert.Equal(new ProfilingStatus(1, 100, 1.0), status);
        Assert.True(status.IsOn);
        Assert.False(ProfilingStatus.From(BsonDocument.Parse("{ was: 0, slowms: 100, sampleRate: 1.0, ok: 1 }")).IsOn);
    }

    [Theory]
    [InlineData("userId_1", "{ userId: 1 }", 0, "", true)]
    [InlineData("userId_1", "{ userId: 1 }", 7, "", false)]
    [InlineData("_id_", "{ _id: 1 }", 0, "", false)]
    [InlineData("expiresAt_1", "{ expiresAt: 1 }", 0, ", expireAfterSeconds: 0", false)]
    public void IsUnused_ZeroOpsExceptTheIdAndTtlIndexes(string name, string key, long ops, string spec, bool unused)
    {
        Assert.Equal(unused, IndexUsageReport.IsUnused(Stat(name, key, ops, spec)));
    }

    [Fact]
    public void IsUnused_IndexStillBuilding_IsNotListed()
    {
        var building = Stat("mentions_1_createdAt_-1", "{ mentions: 1, createdAt: -1 }", 0);
        building.Add("building", true);

        Assert.False(IndexUsageReport.IsUnused(building));
    }

    [Fact]
    public void Build_ListsUnusedIndexesPerDatabaseAndCountsEverything()
    {
        var messages = new DatabaseUsage(
            "QuikApp_messages",
            [
                new CollectionIndexStats("messages",
                [
                    Stat("_id_", "{ _id: 1 }", 0),
                    Stat("mentions_1_createdAt_-1", "{ mentions: 1, createdAt: -1 }", 0),
                    Stat("channelId_1_createdAt_-1", "{ channelId: 1, createdAt: -1 }", 9_100),
                ]),
                new CollectionIndexStats("reactions", [], "Unauthorized (13)"),
            ],
            new ProfilingStatus(1, 100, 1.0),
            [ProfiledFind]);
        var files = new DatabaseUsage(
            "QuikApp_files",
            [new CollectionIndexStats("files", [Stat("expiresAt_1", "{ expiresAt: 1 }", 0, ", expireAfterSeconds: 0")])],
            new ProfilingStatus(0, 100, 1.0),
            []);

        var summary = IndexUsageReport.Build(RunId, At, [messages, files]);

        Assert.Equal((3, 4, 1, 1, 1, 1), (summary.Collections, summary.Indexes, summary.UnusedIndexes, summary.ProfiledDatabases, summary.SlowOps, summary.Errors));
        var report = summary.Report;
        Assert.Equal(new BsonBinaryData(RunId, GuidRepresentation.Standard), report["_id"]);
        Assert.Equal(new BsonDateTime(At), report["at"]);
        Assert.Equal(
            BsonDocument.Parse("{ collection: 'messages', name: 'mentions_1_createdAt_-1', key: { mentions: 1, createdAt: -1 }, since: ISODate('2026-11-20T08:00:00Z') }"),
            Assert.Single(report["databases"][0]["unusedIndexes"].AsBsonArray));
        Assert.Empty(report["databases"][1]["unusedIndexes"].AsBsonArray);
        Assert.Equal("Unauthorized (13)", report["databases"][0]["collections"][1]["error"]);
        Assert.Equal(BsonDocument.Parse("{ level: 1, slowms: 100, sampleRate: 1.0 }"), report["databases"][0]["profiling"]);
        var ttlIndex = report["databases"][1]["collections"][0]["indexes"][0].AsBsonDocument;
        Assert.Equal(0, ttlIndex["expireAfterSeconds"].ToInt32());
        Assert.False(ttlIndex["unused"].AsBoolean);
    }

    [Fact]
    public void SlowOp_KeepsTheProfilerFieldsAndOnlyTheCommandsShape()
    {
        var op = IndexUsageReport.SlowOp(ProfiledFind);

        Assert.Equal(
            BsonDocument.Parse("""
                { ts: ISODate('2026-11-25T14:03:11.120Z'), op: 'query', ns: 'QuikApp_messages.messages', millis: 412, planSummary: 'COLLSCAN',
                  keysExamined: 0, docsExamined: 120000, nreturned: 50, appName: 'message-service',
                  command: { find: 'messages', filter: { channelId: '?', content: '?', createdAt: { $gt: '?' } }, sort: { createdAt: -1 }, limit: '?' } }
                """),
            op);
    }

    [Fact]
    public void QueryShape_Pipeline_KeepsStagesAndOperators_CollapsesValueLists()
    {
        var shape = QueryShape.Of(BsonDocument.Parse("""
            { aggregate: 'reactions',
              pipeline: [ { $match: { messageId: { $in: [ ObjectId('65a4f0000000000000000001'), ObjectId('65a4f0000000000000000002') ] }, emoji: 'heart' } },
                          { $group: { _id: '$emoji', n: { $sum: 1 } } }, { $sort: { n: -1 } } ],
              cursor: {}, $clusterTime: { clusterTime: Timestamp(1, 1) }, $db: 'QuikApp_messages' }
            """));

        Assert.Equal(
            BsonDocument.Parse("""
                { aggregate: 'reactions',
                  pipeline: [ { $match: { messageId: { $in: [ '?' ] }, emoji: '?' } }, { $group: { _id: '?', n: { $sum: '?' } } }, { $sort: { n: -1 } } ],
                  cursor: {} }
                """),
            shape);
    }

    [Fact]
    public void NothingRead_EveryCollectionAndProfilerRefused_IsTrue_SoTheRunFails()
    {
        // What readWrite alone gets: $indexStats needs indexStats, { profile: -1 } needs enableProfiler.
        var databases = new[]
        {
            new DatabaseUsage("QuikApp_messages", [new CollectionIndexStats("messages", [], "Unauthorized (13)")], null, [], "profile: Unauthorized (13)"),
            new DatabaseUsage("QuikApp_files", [new CollectionIndexStats("files", [], "Unauthorized (13)")], null, [], "profile: Unauthorized (13)"),
        };

        Assert.True(IndexUsageReport.NothingRead(databases));
        Assert.Equal("profile: Unauthorized (13)", IndexUsageReport.FirstError(databases));
    }

    [Fact]
    public void NothingRead_OneCollectionRead_IsFalse()
    {
        var databases = new[]
        {
            new DatabaseUsage("QuikApp_messages", [new CollectionIndexStats("messages", [Stat("_id_", "{ _id: 1 }", 3)])], null, [], "profile: Unauthorized (13)"),
            new DatabaseUsage("QuikApp_files", [new CollectionIndexStats("files", [], "Unauthorized (13)")], null, []),
        };

        Assert.False(IndexUsageReport.NothingRead(databases));
    }

    [Fact]
    public void NothingRead_EmptyDatabasesWithTheProfilerReadable_IsFalse()
    {
        var databases = new[] { new DatabaseUsage("QuikApp_ml", [], new ProfilingStatus(0, 100, 1.0), []) };

        Assert.False(IndexUsageReport.NothingRead(databases));
    }
}
