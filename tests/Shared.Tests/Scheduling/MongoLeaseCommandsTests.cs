using MongoDB.Bson;
using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

/// <summary>The lease's findOneAndUpdate filter and update, rendered to BSON and compared with the documents we mean.</summary>
public sealed class MongoLeaseCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 15, 3, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset Slot = new(2026, 11, 25, 0, 15, 0, TimeSpan.Zero);

    [Fact]
    public void AcquireFilter_ScheduledFiring_MatchesAFreeOrOwnLeaseWhoseSlotHasNotRun_WhateverTheFieldsType()
    {
        var request = new LeaseRequest("daily-message-stats", "analytics/a#1", TimeSpan.FromMinutes(2), Slot);

        var filter = MongoLeaseCommands.AcquireFilter(request, Now);

        Assert.Equal(BsonDocument.Parse("""
            {
              _id: "daily-message-stats",
              $or: [ { lockedUntil: { $not: { $gte: ISODate("2026-11-25T00:15:03.250Z") } } }, { owner: "analytics/a#1" } ],
              lastFireTime: { $not: { $gte: ISODate("2026-11-25T00:15:00Z") } }
            }
            """), filter);
    }

    [Fact]
    public void AcquireFilter_CliRun_OnlyExcludesALiveLeaseOfAnotherOwner()
    {
        var request = new LeaseRequest("files-stuck-pending", "files/b#2", TimeSpan.FromMinutes(2), FireTime: null);

        var filter = MongoLeaseCommands.AcquireFilter(request, Now);

        Assert.Equal(BsonDocument.Parse("""
            { _id: "files-stuck-pending", $or: [ { lockedUntil: { $not: { $gte: ISODate("2026-11-25T00:15:03.250Z") } } }, { owner: "files/b#2" } ] }
            """), filter);
    }

    [Fact]
    public void AcquireUpdate_ScheduledFiring_SetsOwnerTimesAndSlot()
    {
        var request = new LeaseRequest("daily-message-stats", "analytics/a#1", TimeSpan.FromMinutes(2), Slot);

        var update = MongoLeaseCommands.AcquireUpdate(request, Now);

        Assert.Equal(BsonDocument.Parse("""
            {
              $set: {
                owner: "analytics/a#1",
                lockedUntil: ISODate("2026-11-25T00:17:03.250Z"),
                acquiredAt: ISODate("2026-11-25T00:15:03.250Z"),
                renewedAt: ISODate("2026-11-25T00:15:03.250Z"),
                lastFireTime: ISODate("2026-11-25T00:15:00Z")
              }
            }
            """), update);
    }

    [Fact]
    public void AcquireUpdate_CliRun_LeavesLastFireTimeAlone()
    {
        var update = MongoLeaseCommands.AcquireUpdate(new LeaseRequest("j", "o", TimeSpan.FromSeconds(30), null), Now);

        Assert.False(update["$set"].AsBsonDocument.Contains(MongoLeaseCommands.LastFireTime));
    }

    [Fact]
    public void RenewAndRelease_OnlyTouchALeaseStillOwned()
    {
        Assert.Equal(BsonDocument.Parse("{ _id: 'j', owner: 'o' }"), MongoLeaseCommands.OwnedFilter("j", "o"));
        Assert.Equal(
            BsonDocument.Parse("{ $set: { lockedUntil: ISODate('2026-11-25T00:17:03.250Z'), renewedAt: ISODate('2026-11-25T00:15:03.250Z') } }"),
            MongoLeaseCommands.RenewUpdate(Now, TimeSpan.FromMinutes(2)));
        Assert.Equal(
            BsonDocument.Parse("{ $set: { lockedUntil: ISODate('2026-11-25T00:15:03.250Z'), releasedAt: ISODate('2026-11-25T00:15:03.250Z') } }"),
            MongoLeaseCommands.ReleaseUpdate(Now));
    }

    [Fact]
    public void ToState_ReadsTheDocumentTheUpdateWrites()
    {
        var request = new LeaseRequest("j", "o", TimeSpan.FromMinutes(2), Slot);
        var document = new BsonDocument("_id", "j").AddRange(MongoLeaseCommands.AcquireUpdate(request, Now)["$set"].AsBsonDocument);

        var state = MongoLeaseCommands.ToState(document);

        Assert.Equal(LeaseRules.Acquire(null, "j", "o", Now, TimeSpan.FromMinutes(2), Slot), state);
    }

    [Fact]
    public void ToState_CliOnlyLease_HasNoLastFireTime()
    {
        var state = MongoLeaseCommands.ToState(BsonDocument.Parse("{ _id: 'j', owner: 'o', lockedUntil: ISODate('2026-11-25T00:00:00Z') }"));

        Assert.Null(state.LastFireTime);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), state.LockedUntil);
    }
}
