using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using QuikApp.Workers.Analytics.Tests.Dataset;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Shared.Mongo;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Indexes;

/// <summary>
/// The seed's partial index { channelId: 1, createdAt: -1 } filtered on { deleted: false } and the workers' queries, which
/// say deleted: { $ne: true } (a message without the field, or with null, is not deleted). A partial index serves only a
/// query whose filter implies its filter expression, and $ne: true does not imply deleted: false, so the workers' queries
/// are served by the full seed index; the partial one is message-service's (docs/mongodb.md, "Indexes").
/// </summary>
public sealed class NotDeletedPartialIndexTests(MongoTestLane lane)
{
    private const string Partial = "channelId_1_createdAt_-1_notDeleted";
    private const string Full = "channelId_1_createdAt_-1";

    [Fact]
    public void UnreadCountsLookup_FiltersDeletedWithNeTrue_NotDeletedFalse()
    {
        var lookup = UnreadCountsPipelines.CountUnread(10)[0]["$lookup"].AsBsonDocument;
        var match = lookup["pipeline"].AsBsonArray[0]["$match"].AsBsonDocument;

        Assert.Equal(BsonDocument.Parse("{ $ne: true }"), match["deleted"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Explain_NeTrueOnAChannel_UsesTheFullIndex_NeverThePartialOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var upstream = await UpstreamDatabase.In(lane.Require()).WithSeedIndexesAsync(ct);
        var catalog = upstream.Catalog;
        await new MongoIndexBootstrapper(catalog, NullLogger<MongoIndexBootstrapper>.Instance)
            .EnsureAsync(MongoIndexCatalog.All.Where(index => index.Name == Partial), ct);
        var (workspace, channel, user) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var start = DateTime.UtcNow.AddDays(-1);
        // Distinct client ids: the seed's unique + sparse clientMessageId_1 would refuse a second explicit null.
        var messages = Enumerable.Range(0, 50)
            .Select(i => UpstreamDatabase.SeedMessage(workspace, i % 2 == 0 ? channel : Guid.NewGuid(), user, start.AddMinutes(i + 1), $"client-{i}"))
            .ToList();
        // Upstream documents do not all carry deleted: one without the field, one with an explicit null, one deleted.
        messages[0].Remove("deleted");
        messages[2]["deleted"] = BsonNull.Value;
        messages[4]["deleted"] = true;
        await upstream.WithDocumentsAsync(catalog.Messages, messages, ct);
        var channelId = new BsonBinaryData(channel, GuidRepresentation.Standard);

        var workers = await ExplainedPlan.FindAsync(catalog.Messages, new BsonDocument
        {
            { "channelId", channelId },
            { "createdAt", new BsonDocument("$gt", start) },
            { "deleted", new BsonDocument("$ne", true) },
        });
        var messageService = await ExplainedPlan.FindAsync(catalog.Messages, new BsonDocument
        {
            { "channelId", channelId },
            { "createdAt", new BsonDocument("$gt", start) },
            { "deleted", false },
        });

        Assert.Contains(Full, workers.Indexes);
        Assert.Equal(0, workers.CollectionScans);
        // Not even a candidate: the planner never considers a partial index whose filter the query does not imply.
        Assert.DoesNotContain(Partial, workers.Raw.ToJson(), StringComparison.Ordinal);
        // deleted: false does imply it: there the partial index is at least a candidate.
        Assert.Contains(Partial, messageService.Raw.ToJson(), StringComparison.Ordinal);
        // And the $ne query counts the messages without the field or with null, which deleted: false would drop.
        Assert.Equal(24, workers.Raw["executionStats"]["nReturned"].ToInt32());
        Assert.Equal(22, messageService.Raw["executionStats"]["nReturned"].ToInt32());
    }
}
