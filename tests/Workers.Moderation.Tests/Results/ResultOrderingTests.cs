using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using QuikApp.Workers.DevStack.InMemory;
using QuikApp.Workers.Moderation.Results;
using QuikApp.Workers.Moderation.Scoring;
using QuikApp.Workers.Moderation.SmartReplies;

namespace QuikApp.Workers.Moderation.Tests.Results;

/// <summary>
/// The one ordering of result versions (milliseconds, then event id) as the store renders it, as the double applies it,
/// and as the smart-reply reader merges duplicate documents (run here, no MongoDB needed).
/// </summary>
public sealed class ResultOrderingTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) =>
        filter.Render(new RenderArgs<BsonDocument>(BsonSerializer.LookupSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry));

    /// <summary>Fails on 7e088d6: the same-millisecond branch matched only the same event id, so a newer event in that millisecond hit E11000 and was refused.</summary>
    [Fact]
    public void UpsertModel_SubMillisecondVersion_FiltersOnTheStoredMillisecondAndAnEventIdNotAbove()
    {
        var eventId = Guid.NewGuid();
        var model = MongoAutoModerationResultStore.UpsertModel(ResultFactory.Result(ObjectId.GenerateNewId(), ContentKind.Edited, T0.AddTicks(5_000), eventId, 0.8, T0));

        var or = Render(model.Filter)["$or"].AsBsonArray;

        Assert.Equal(new BsonDocument("content.at", new BsonDocument("$lt", new BsonDateTime(T0.UtcDateTime))), or[0]);
        Assert.Equal(
            new BsonDocument { { "content.at", new BsonDateTime(T0.UtcDateTime) }, { "content.eventId", new BsonDocument("$lte", new BsonBinaryData(eventId, GuidRepresentation.Standard)) } },
            or[1]);
    }

    [Fact]
    public void CompareEventIds_OrdersAsMongoDbOrdersUuidBinData()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();

        var byRule = ids.Order(Comparer<Guid>.Create(ContentVersionOrder.CompareEventIds)).ToList();
        // MongoDB: same length and subtype, so the stored bytes decide, compared as unsigned bytes.
        var byBytes = ids.OrderBy(id => Convert.ToHexString(new BsonBinaryData(id, GuidRepresentation.Standard).Bytes), StringComparer.Ordinal).ToList();

        Assert.Equal(byBytes, byRule);
    }

    [Fact]
    public void Replaces_SameMillisecond_DecidedByEventIdNotTicks()
    {
        var (low, high) = (new Guid("10000000-0000-4000-8000-000000000001"), new Guid("20000000-0000-4000-8000-000000000001"));
        var stored = new ContentVersion(ContentKind.Sent, T0.AddTicks(9_000), high);

        Assert.False(ContentVersionOrder.Replaces(new ContentVersion(ContentKind.Edited, T0.AddTicks(9_999), low), stored));
        Assert.True(ContentVersionOrder.Replaces(new ContentVersion(ContentKind.Edited, T0.AddTicks(1), high), stored));
        Assert.True(ContentVersionOrder.Replaces(new ContentVersion(ContentKind.Edited, T0.AddMilliseconds(1), low), stored));
        Assert.False(ContentVersionOrder.Replaces(new ContentVersion(ContentKind.Edited, T0.AddTicks(-1), high), stored));
    }

    /// <summary>Fails on 7e088d6: the double compared ticks, so it applied a version the MongoDB store refused.</summary>
    [Fact]
    public async Task InMemoryStore_LowerEventIdLaterInTheSameMillisecond_IsRefusedAsMongoDbRefusesIt()
    {
        var store = new InMemoryAutoModerationResultStore();
        var id = ObjectId.GenerateNewId();
        var ct = TestContext.Current.CancellationToken;
        await store.UpsertAsync([ResultFactory.Result(id, ContentKind.Sent, T0.AddTicks(1_000), new Guid("20000000-0000-4000-8000-000000000001"), 0.1, T0)], ct);

        var applied = await store.UpsertAsync([ResultFactory.Result(id, ContentKind.Edited, T0.AddTicks(9_000), new Guid("10000000-0000-4000-8000-000000000001"), 0.9, T0)], ct);

        Assert.Equal([false], applied);
        Assert.Equal(T0, store.Results[id].Result!.Content.At);
    }

    private static BsonDocument Document(ObjectId messageId, DateTime? at, string? action, string hash, bool? deleted, byte eventFirst = 1) => new()
    {
        { "_id", ObjectId.GenerateNewId() },
        { "messageId", messageId },
        { "action", action is null ? BsonNull.Value : action },
        { "contentHash", hash },
        { "deleted", deleted is { } d ? d : BsonNull.Value },
        {
            "content", at is { } when ? new BsonDocument
            {
                { "at", when },
                { "eventId", new BsonBinaryData(new Guid([eventFirst, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1], bigEndian: true), GuidRepresentation.Standard) },
            } : BsonNull.Value
        },
    };

    /// <summary>Fails on 7e088d6 (no merge: the reader's ToDictionary threw ArgumentException on the second document of a message).</summary>
    [Fact]
    public void Merge_DuplicateDocumentsOfAMessage_TakesTheNewestVersionInAnyOrderAndAnyDeletion()
    {
        var id = ObjectId.GenerateNewId();
        var other = ObjectId.GenerateNewId();
        var documents = new List<BsonDocument>
        {
            Document(id, T0.UtcDateTime, "allow", "older", false),
            Document(id, T0.UtcDateTime.AddMinutes(1), "block", "newer", null),
            Document(id, null, null, "tombstone", true),
            Document(id, T0.UtcDateTime.AddMinutes(1), "flag", "same-ms-lower-event", false, eventFirst: 0),
            Document(other, T0.UtcDateTime, "allow", "only", null),
        };

        foreach (var order in new[] { documents, Enumerable.Reverse(documents).ToList() })
        {
            var merged = MongoModerationActions.Merge(order);

            Assert.Equal(new StoredModeration(id, ModerationAction.Block, "newer", true), merged[id]);
            Assert.Equal(new StoredModeration(other, ModerationAction.Allow, "only", false), merged[other]);
        }
    }
}
