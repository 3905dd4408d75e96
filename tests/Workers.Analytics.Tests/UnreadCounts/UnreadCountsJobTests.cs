using MongoDB.Bson;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.Tests.Dataset;
using QuikApp.Workers.Analytics.UnreadCounts;
using QuikApp.Workers.Testing.Mongo;

namespace QuikApp.Workers.Analytics.Tests.UnreadCounts;

/// <summary>unread-counts on a real MongoDB 7 (skipped with the lane's reason where none is reachable), against plain C# counts.</summary>
public sealed class UnreadCountsJobTests(MongoTestLane lane)
{
    private static readonly UnreadCountsParameters ChangedChannelsOnly = new() { FirstRunLookback = TimeSpan.FromDays(30), SweepSize = 0 };

    private static async Task AssertCountsAsync(AnalyticsLane world, int cap, Func<ChatReceipt, int>? expected = null)
    {
        var stored = (await world.Catalog.ReadReceipts.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(TestContext.Current.CancellationToken))
            .ToDictionary(receipt => receipt["_id"].AsObjectId, receipt => receipt["unreadCount"].ToInt32());
        Assert.All(world.Data.Receipts, receipt => Assert.Equal((expected ?? (r => world.Data.ExpectedUnread(r, cap)))(receipt), stored[receipt.Id]));
    }

    [Fact(Timeout = 120_000)]
    public async Task FirstRun_EveryReceiptOfAChangedChannel_GetsThePlainCount_AndARerunWritesNothing()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var job = world.UnreadCounts(ChangedChannelsOnly);

        var first = await world.RunAsync(job, UnreadCountsJob.Name);
        world.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await world.RunAsync(job, UnreadCountsJob.Name);

        await AssertCountsAsync(world, cap: 1000);
        Assert.Equal(world.Data.WorkspaceOfChannel.Count, first.Counts["channels"]);
        Assert.Equal(world.Data.Receipts.Count, first.Counts["receiptsChecked"]);
        Assert.Equal(world.Data.Receipts.Count(r => r.StoredUnreadCount != world.Data.ExpectedUnread(r, 1000)), first.Counts["receiptsUpdated"]);
        Assert.Equal(0, second.Counts["channels"]);
        Assert.Equal(0, second.Counts["receiptsUpdated"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task NewMessage_CountsForTheOtherMembers_NotForItsAuthor()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var job = world.UnreadCounts(ChangedChannelsOnly);
        var data = world.Data;
        await world.RunAsync(job, UnreadCountsJob.Name);
        var author = data.Receipts.First(r => data.Receipts.Count(other => other.ChannelId == r.ChannelId) > 1);
        var before = data.Receipts.Where(r => r.ChannelId == author.ChannelId).ToDictionary(r => r.Id, r => data.ExpectedUnread(r, 1000));

        world.Time.Advance(TimeSpan.FromMinutes(5));
        var postedAt = world.Time.GetUtcNow().UtcDateTime.AddMinutes(-1);
        var message = new ChatMessage
        {
            Id = ObjectId.GenerateNewId(postedAt),
            WorkspaceId = data.WorkspaceOfChannel[author.ChannelId],
            ChannelId = author.ChannelId,
            UserId = author.UserId,
            CreatedAt = postedAt,
            UpdatedAt = postedAt,
        };
        data.Messages.Add(message);
        await world.Catalog.Messages.InsertOneAsync(message.ToBson(), cancellationToken: TestContext.Current.CancellationToken);
        var run = await world.RunAsync(job, UnreadCountsJob.Name);

        Assert.Equal(1, run.Counts["channels"]);
        await AssertCountsAsync(world, cap: 1000);
        Assert.Equal(before[author.Id], data.ExpectedUnread(author, 1000));
        Assert.All(data.Receipts.Where(r => r.ChannelId == author.ChannelId && r.Id != author.Id),
            r => Assert.Equal(before[r.Id] + 1, data.ExpectedUnread(r, 1000)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Cap_ChannelWithMoreUnread_StoresTheCap()
    {
        var world = await AnalyticsLane.StartAsync(lane);

        await world.RunAsync(world.UnreadCounts(new UnreadCountsParameters { FirstRunLookback = TimeSpan.FromDays(30), SweepSize = 0, Cap = 3 }), UnreadCountsJob.Name);

        // docs/analytics.md "Cap" and UnreadCountRefresh.NeedsWrite: a stored count at or over the cap and a count that
        // reached the cap both mean "cap or more", so a stored 5 stays 5 (the job does not fight the live counter); every
        // other receipt stores min(count, cap).
        Assert.Contains(world.Data.Receipts, r => world.Data.ExpectedUnread(r, int.MaxValue) > 3);
        Assert.Contains(world.Data.Receipts, r => r.StoredUnreadCount > 3 && world.Data.ExpectedUnread(r, int.MaxValue) >= 3);
        await AssertCountsAsync(world, cap: 3, r =>
            r.StoredUnreadCount >= 3 && world.Data.ExpectedUnread(r, int.MaxValue) >= 3 ? r.StoredUnreadCount : world.Data.ExpectedUnread(r, 3));
    }

    [Fact(Timeout = 120_000)]
    public async Task Sweep_NoMessageWritten_StillFindsEveryWrongCount_ThenStartsOver()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var receipts = world.Data.Receipts.Count;
        var sweeping = new UnreadCountsParameters { FirstRunLookback = TimeSpan.FromMinutes(1), SweepSize = 4, BatchSize = 3 };

        var partial = await world.RunAsync(world.UnreadCounts(sweeping), UnreadCountsJob.Name);
        var fourth = world.Data.Receipts.Select(r => r.Id).Order().ElementAt(3);
        Assert.Equal(new BsonObjectId(fourth), (await world.States.ReadAsync(UnreadCountsJob.Name, TestContext.Current.CancellationToken)).SweepAfter);
        Assert.Equal(4, partial.Counts["swept"]);
        Assert.Equal(0, partial.Counts["channels"]);

        world.Time.Advance(TimeSpan.FromMinutes(5));
        await world.RunAsync(world.UnreadCounts(sweeping), UnreadCountsJob.Name);
        world.Time.Advance(TimeSpan.FromMinutes(5));
        var rest = await world.RunAsync(world.UnreadCounts(new UnreadCountsParameters { FirstRunLookback = TimeSpan.FromMinutes(1), SweepSize = receipts }), UnreadCountsJob.Name);

        await AssertCountsAsync(world, cap: 1000);
        Assert.Equal(receipts - 8, rest.Counts["swept"]);
        Assert.Null((await world.States.ReadAsync(UnreadCountsJob.Name, TestContext.Current.CancellationToken)).SweepAfter);
    }

    [Fact(Timeout = 120_000)]
    public async Task Explain_EveryPipeline_IsBackedByTheSeedIndexes()
    {
        var world = await AnalyticsLane.StartAsync(lane);
        var channels = world.Data.WorkspaceOfChannel.Keys.Take(2).Select(channel => (BsonValue)BsonValues.Uuid(channel)).ToList();

        var changed = await ExplainedPlan.AggregateAsync(world.Catalog.Messages,
            UnreadCountsPipelines.ChangedChannels(new ChangeWindow(ChatDataset.FirstDay.AddDays(2), null, Requested: false)));
        var byChannel = await ExplainedPlan.AggregateAsync(world.Catalog.ReadReceipts, UnreadCountsPipelines.ForChannels(channels, 1000));
        var sweep = await ExplainedPlan.AggregateAsync(world.Catalog.ReadReceipts, UnreadCountsPipelines.ForSweep(null, 500, 1000));

        Assert.Equal(["updatedAt_1"], changed.Indexes);
        // Outer: the receipts by channel; inner ($lookup indexesUsed): the seed's { channelId: 1, createdAt: -1 }.
        Assert.Equal(["channelId_1_createdAt_-1", "channelId_1_userId_1"], byChannel.Indexes.Order(StringComparer.Ordinal));
        Assert.Equal(["_id_", "channelId_1_createdAt_-1"], sweep.Indexes.Order(StringComparer.Ordinal));
        Assert.All([changed, byChannel, sweep], plan => Assert.Equal(0, plan.CollectionScans));
    }
}
