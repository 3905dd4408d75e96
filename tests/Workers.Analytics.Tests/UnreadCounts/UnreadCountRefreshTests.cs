using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using QuikApp.Workers.Analytics.UnreadCounts;

namespace QuikApp.Workers.Analytics.Tests.UnreadCounts;

/// <summary>When a counted receipt is written back, and how the write is guarded.</summary>
public sealed class UnreadCountRefreshTests
{
    private const int Cap = 1000;

    [Theory]
    [InlineData(5, 5, false)]
    [InlineData(5, 3, true)]
    [InlineData(0, 2, true)]
    [InlineData(1003, 1000, false)] // both "1000 or more": the live counter went past the cap, no fight
    [InlineData(1000, 1000, false)]
    [InlineData(1003, 998, true)]
    [InlineData(999, 1000, true)]
    public void NeedsWrite_StoredAndComputed_WritesOnlyARealChange(int stored, int computed, bool expected)
    {
        Assert.Equal(expected, UnreadCountRefresh.NeedsWrite(stored, computed, Cap));
    }

    [Fact]
    public void NeedsWrite_NothingStored_Writes()
    {
        Assert.True(UnreadCountRefresh.NeedsWrite(null, 0, Cap));
        Assert.True(UnreadCountRefresh.NeedsWrite("5", 5, Cap));
    }

    [Fact]
    public void For_DriftedRow_SetsTheCountGuardedByTheLastReadAtAndTheCountItRead()
    {
        var row = BsonDocument.Parse("""
            { _id: ObjectId("65a4f0c2e1b2c3d4e5f60718"), channelId: UUID("a1b2c3d4-0000-4000-8000-000000000001"),
              lastReadAt: ISODate("2024-01-15T10:40:00Z"), storedUnreadCount: 5, unreadCount: 7 }
            """);

        var update = UnreadCountRefresh.For(row, Cap)!;

        // On the old filter (no unreadCount) a message arriving between the count and the write, bumping the live counter
        // to 6, was overwritten with... whatever we counted before it: a badge could go back.
        StageAssert.Equal("""{ _id: ObjectId("65a4f0c2e1b2c3d4e5f60718"), lastReadAt: ISODate("2024-01-15T10:40:00Z"), unreadCount: 5 }""", Render(update.Filter));
        StageAssert.Equal("""{ $set: { unreadCount: 7 } }""", Render(update.Update).AsBsonDocument);
    }

    [Fact]
    public void For_ReceiptNeverRead_GuardsOnLastReadAtStillBeingNull()
    {
        var row = BsonDocument.Parse("""{ _id: ObjectId("65a4f0c2e1b2c3d4e5f60718"), unreadCount: 12 }""");

        var update = UnreadCountRefresh.For(row, Cap)!;

        StageAssert.Equal("""{ _id: ObjectId("65a4f0c2e1b2c3d4e5f60718"), lastReadAt: null, unreadCount: null }""", Render(update.Filter));
    }

    [Fact]
    public void For_RightCount_WritesNothing()
    {
        var row = BsonDocument.Parse("""{ _id: 1, lastReadAt: ISODate("2024-01-15T10:40:00Z"), storedUnreadCount: 7, unreadCount: 7 }""");

        Assert.Null(UnreadCountRefresh.For(row, Cap));
    }

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) =>
        filter.Render(new RenderArgs<BsonDocument>(BsonSerializer.LookupSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry));

    private static BsonValue Render(UpdateDefinition<BsonDocument> update) =>
        update.Render(new RenderArgs<BsonDocument>(BsonSerializer.LookupSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry));
}
