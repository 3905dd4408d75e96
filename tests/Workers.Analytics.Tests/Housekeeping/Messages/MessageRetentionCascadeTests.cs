using MongoDB.Bson;
using QuikApp.Workers.Analytics.Housekeeping.Messages;
using QuikApp.Workers.Shared.Mongo;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Messages;

/// <summary>message-retention's selection and cascade, rendered to BSON; the order is what makes a stopped run resumable.</summary>
public sealed class MessageRetentionCascadeTests
{
    private static readonly DateTime Cutoff = new(2026, 10, 26, 10, 20, 0, DateTimeKind.Utc);
    private static readonly BsonDocument[] Selected =
    [
        BsonDocument.Parse("{ _id: ObjectId('65a4f0000000000000000001'), channelId: UUID('11111111-1111-4111-8111-111111111111') }"),
        BsonDocument.Parse("{ _id: ObjectId('65a4f0000000000000000002'), channelId: UUID('11111111-1111-4111-8111-111111111111') }"),
        BsonDocument.Parse("{ _id: ObjectId('65a4f0000000000000000003'), channelId: UUID('22222222-2222-4222-8222-222222222222') }"),
    ];

    private const string Ids = "[ ObjectId('65a4f0000000000000000001'), ObjectId('65a4f0000000000000000002'), ObjectId('65a4f0000000000000000003') ]";

    [Fact]
    public void Expired_SoftDeletedBeforeTheCutoff_OldestFirstAlongThePartialIndex()
    {
        Assert.Equal(BsonDocument.Parse("{ deleted: true, deletedAt: { $lt: ISODate('2026-10-26T10:20:00Z') } }"), MessageRetentionCascade.Expired(Cutoff));
        Assert.Equal(BsonDocument.Parse("{ deletedAt: 1 }"), MessageRetentionCascade.SelectionSort);
        Assert.Equal(BsonDocument.Parse("{ _id: 1, channelId: 1 }"), MessageRetentionCascade.SelectionProjection);
    }

    [Fact]
    public void From_CollectsIdsAndDistinctChannels()
    {
        var batch = MessageBatch.From(Selected);

        Assert.Equal(3, batch.MessageIds.Count);
        Assert.Equal(2, batch.ChannelIds!.Count);
    }

    [Fact]
    public void For_DependantsFirst_MessagesLast()
    {
        var steps = MessageRetentionCascade.For(MessageBatch.From(Selected), Cutoff);

        Assert.Equal(
            [
                "QuikApp_messages.reactions DeleteMany reactionsDeleted",
                "QuikApp_messages.read_receipts UpdateMany receiptsRepaired",
                "QuikApp_moderation.auto_mod_results DeleteMany autoModResultsDeleted",
                "QuikApp_smartreply.reply_pairs DeleteMany replyPairsDeleted",
                "QuikApp_messages.messages DeleteMany messagesDeleted",
            ],
            steps.Select(step => $"{new MongoOptions().DatabaseName(step.Database)}.{step.Collection} {step.Action} {step.Count}"));
    }

    [Fact]
    public void For_RendersEachStepsFilter()
    {
        var steps = MessageRetentionCascade.For(MessageBatch.From(Selected), Cutoff);

        Assert.Equal(BsonDocument.Parse($"{{ messageId: {{ $in: {Ids} }} }}"), steps[0].Filter);
        Assert.Equal(BsonDocument.Parse($"{{ messageId: {{ $in: {Ids} }} }}"), steps[2].Filter);
        Assert.Equal(BsonDocument.Parse($"{{ messageIds: {{ $in: {Ids} }} }}"), steps[3].Filter);
        Assert.Equal(BsonDocument.Parse($"{{ _id: {{ $in: {Ids} }}, deleted: true, deletedAt: {{ $lt: ISODate('2026-10-26T10:20:00Z') }} }}"), steps[4].Filter);
        Assert.All(steps.Where(step => step.Action == CascadeAction.DeleteMany), step => Assert.Null(step.Update));
    }

    [Fact]
    public void For_ReadReceipts_PointerClearedNarrowedByChannel_PositionKept()
    {
        var receipts = MessageRetentionCascade.For(MessageBatch.From(Selected), Cutoff)[1];

        Assert.Equal(
            BsonDocument.Parse($$"""
                { channelId: { $in: [ UUID('11111111-1111-4111-8111-111111111111'), UUID('22222222-2222-4222-8222-222222222222') ] },
                  lastReadMessageId: { $in: {{Ids}} } }
                """),
            receipts.Filter);
        Assert.Equal(BsonDocument.Parse("{ $set: { lastReadMessageId: null } }"), receipts.Update);
    }

    [Fact]
    public void For_AMessageWithoutChannel_ReceiptsAreNotNarrowed()
    {
        var batch = MessageBatch.From([.. Selected, BsonDocument.Parse("{ _id: ObjectId('65a4f0000000000000000004') }")]);

        var receipts = MessageRetentionCascade.For(batch, Cutoff)[1];

        Assert.Null(batch.ChannelIds);
        Assert.Equal(["lastReadMessageId"], receipts.Filter.Names);
    }
}
