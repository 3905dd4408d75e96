using MongoDB.Bson;
using QuikApp.Workers.Analytics.Incremental;
using QuikApp.Workers.Analytics.MessageStats;

namespace QuikApp.Workers.Analytics.Tests.MessageStats;

/// <summary>The incremental day selection: from changed messages' (workspace, day) to the clauses a run recomputes.</summary>
public sealed class DayTargetsTests
{
    private static readonly BsonValue WorkspaceA = BsonValues.Uuid(Guid.Parse("0e1f5a52-7c3d-4a53-9a52-6a3c4c1b2f11"));
    private static readonly BsonValue WorkspaceB = BsonValues.Uuid(Guid.Parse("9b7a6c5d-4e3f-4210-8a1b-2c3d4e5f6a7b"));

    private static DateTime Day(int day) => new(2024, 1, day, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ChangedDay_GroupOutput_ReadsWorkspaceAndDay()
    {
        var row = new BsonDocument("_id", new BsonDocument { { "workspaceId", WorkspaceA }, { "date", new BsonDateTime(Day(15)) } });

        Assert.Equal((WorkspaceA, Day(15)), DayTargets.ChangedDay(row));
    }

    [Theory]
    [InlineData("{ _id: { workspaceId: null, date: ISODate('2024-01-15T00:00:00Z') } }")]
    [InlineData("{ _id: { date: ISODate('2024-01-15T00:00:00Z') } }")]
    [InlineData("{ _id: { workspaceId: UUID('0e1f5a52-7c3d-4a53-9a52-6a3c4c1b2f11'), date: null } }")]
    public void ChangedDay_MessageWithoutWorkspaceOrDate_HasNoDayToRecompute(string row)
    {
        Assert.Null(DayTargets.ChangedDay(BsonDocument.Parse(row)));
    }

    [Fact]
    public void FromChangedDays_PerWorkspace_AdjacentDaysBecomeOneRange()
    {
        var clauses = DayTargets.FromChangedDays([
            (WorkspaceB, Day(15)),
            (WorkspaceA, Day(17)),
            (WorkspaceA, Day(15)),
            (WorkspaceA, Day(16)),
            (WorkspaceB, Day(3)),
        ]);

        Assert.Equal(
            [
                new WorkspaceDays(WorkspaceA, new DayRange(Day(15), Day(18))),
                new WorkspaceDays(WorkspaceB, DayRange.OneDay(Day(3))),
                new WorkspaceDays(WorkspaceB, DayRange.OneDay(Day(15))),
            ],
            clauses);
        Assert.Equal(5, DayTargets.DayCount(clauses));
    }

    [Fact]
    public void ForBackfill_EveryWorkspaceOnceOverTheWholeWindow_NullSkipped()
    {
        var window = new DayRange(Day(1), Day(8));

        var clauses = DayTargets.ForBackfill([WorkspaceB, BsonNull.Value, WorkspaceA, WorkspaceB], window);

        Assert.Equal([new WorkspaceDays(WorkspaceA, window), new WorkspaceDays(WorkspaceB, window)], clauses);
        Assert.Equal(14, DayTargets.DayCount(clauses));
    }

    [Fact]
    public void BackfillDays_FromAndTo_AreWholeUtcDaysToExclusive()
    {
        var now = new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new DayRange(Day(1), new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc)),
            DailyMessageStatsJob.BackfillDays(new DateTimeOffset(Day(1)), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), now));
        Assert.Equal(new DayRange(Day(1), new DateTime(2024, 3, 2, 0, 0, 0, DateTimeKind.Utc)),
            DailyMessageStatsJob.BackfillDays(new DateTimeOffset(Day(1)), null, now));
        // A --to in the middle of a day includes that day.
        Assert.Equal(new DayRange(Day(1), Day(3)),
            DailyMessageStatsJob.BackfillDays(new DateTimeOffset(Day(1)), new DateTimeOffset(Day(2).AddHours(6)), now));
    }
}
