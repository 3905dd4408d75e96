using MongoDB.Bson;
using QuikApp.Workers.Analytics.Housekeeping.Files;

namespace QuikApp.Workers.Analytics.Tests.Housekeeping.Files;

/// <summary>expired-files' filters and updates rendered to BSON, against the documents we mean.</summary>
public sealed class FileCleanupQueriesTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 10, 0, 0, 250, DateTimeKind.Utc);
    private static readonly Guid RunId = Guid.Parse("019ab4c2-0000-7000-8000-000000000001");

    [Fact]
    public void Expiring_MatchesFilesExpiringWithinTheLeadTime()
    {
        Assert.Equal(
            BsonDocument.Parse("{ expiresAt: { $lt: ISODate('2026-11-25T10:15:00.250Z') } }"),
            FileCleanupQueries.Expiring(Now, TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void SoftDeleted_MatchesUnclaimedFilesDeletedBeforeTheRetention()
    {
        Assert.Equal(
            BsonDocument.Parse("{ deleted: true, deletedAt: { $lt: ISODate('2026-10-26T10:00:00.250Z') }, 'housekeeping.claimedAt': { $exists: false } }"),
            FileCleanupQueries.SoftDeleted(Now, TimeSpan.FromDays(30)));
    }

    [Fact]
    public void ClaimFilter_ReChecksTheCandidateCondition()
    {
        var ids = new BsonValue[] { new BsonObjectId(ObjectId.Parse("65a4f0000000000000000001")), new BsonObjectId(ObjectId.Parse("65a4f0000000000000000002")) };

        var filter = FileCleanupQueries.ClaimFilter(ids, FileCleanupQueries.Expiring(Now, TimeSpan.FromMinutes(15)));

        Assert.Equal(
            BsonDocument.Parse("""
                { _id: { $in: [ ObjectId('65a4f0000000000000000001'), ObjectId('65a4f0000000000000000002') ] },
                  expiresAt: { $lt: ISODate('2026-11-25T10:15:00.250Z') } }
                """),
            filter);
    }

    [Fact]
    public void ClaimUpdate_Expired_KeepsTheExpiryAsDueTimeAndTakesTheFileOutOfTheTtlIndex()
    {
        var update = FileCleanupQueries.ClaimUpdate(FileCleanupReason.Expired, Now, RunId);

        Assert.Equal(
            BsonSerializationHelpers.ParseArray("""
                [
                  { $set: { housekeeping: {
                      claimedAt: ISODate('2026-11-25T10:00:00.250Z'),
                      runId: UUID('019ab4c2-0000-7000-8000-000000000001'),
                      reason: { $literal: 'expired' },
                      dueAt: '$expiresAt',
                      expiresAt: '$expiresAt' } } },
                  { $unset: 'expiresAt' }
                ]
                """),
            update);
    }

    [Fact]
    public void ClaimUpdate_SoftDeleted_IsDueAtOnce()
    {
        var update = FileCleanupQueries.ClaimUpdate(FileCleanupReason.SoftDeleted, Now, RunId);

        var marker = update[0]["$set"]["housekeeping"].AsBsonDocument;
        Assert.Equal(new BsonDocument("$literal", "soft-deleted"), marker["reason"]);
        Assert.Equal(new BsonDateTime(Now), marker["dueAt"]);
        Assert.Equal(new BsonDocument("$unset", "expiresAt"), update[1]);
    }

    [Fact]
    public void Due_ClaimedDueNotRefusedAndStillOutOfTheTtlIndex()
    {
        Assert.Equal(
            BsonDocument.Parse("""
                { 'housekeeping.dueAt': { $exists: true, $lte: ISODate('2026-11-25T10:00:00.250Z') },
                  expiresAt: { $exists: false },
                  'housekeeping.refused': { $exists: false } }
                """),
            FileCleanupQueries.Due(Now));
    }

    [Fact]
    public void DeleteFilter_DeletesOnlyTheBatchAndOnlyIfStillDue()
    {
        var filter = FileCleanupQueries.DeleteFilter([new BsonObjectId(ObjectId.Parse("65a4f0000000000000000003"))], Now);

        Assert.Equal(
            BsonDocument.Parse("""
                { _id: { $in: [ ObjectId('65a4f0000000000000000003') ] },
                  'housekeeping.dueAt': { $exists: true, $lte: ISODate('2026-11-25T10:00:00.250Z') },
                  expiresAt: { $exists: false },
                  'housekeeping.refused': { $exists: false } }
                """),
            filter);
    }

    [Fact]
    public void RefuseUpdate_RecordsTheReasonAndWhen()
    {
        Assert.Equal(
            BsonDocument.Parse("{ $set: { 'housekeeping.refused': 'not allowed', 'housekeeping.refusedAt': ISODate('2026-11-25T10:00:00.250Z') } }"),
            FileCleanupQueries.RefuseUpdate("not allowed", Now));
    }

    [Fact]
    public void Projection_ReadsWhatTheDeletionNeeds()
    {
        Assert.Equal(
            BsonDocument.Parse("{ _id: 1, fileId: 1, workspaceId: 1, storage: 1, 'processing.derivatives': 1, housekeeping: 1 }"),
            FileCleanupQueries.Projection);
    }
}

/// <summary>Parses a JSON array (mongosh syntax) the way <see cref="BsonDocument.Parse"/> parses a document.</summary>
internal static class BsonSerializationHelpers
{
    public static BsonArray ParseArray(string json) => BsonDocument.Parse($"{{ a: {json} }}")["a"].AsBsonArray;
}
