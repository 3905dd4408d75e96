using QuikApp.Workers.Shared.Scheduling;

namespace QuikApp.Workers.Shared.Tests.Scheduling;

public sealed class JobCronTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 15 0 * * ?")]
    [InlineData("0 0/5 * * * ?")]
    [InlineData("0 0 3 ? * MON-FRI")]
    [InlineData(" 0 15 0 * * ? ")]
    public void TryParse_QuartzCron_IsAccepted(string expression)
    {
        Assert.True(JobCron.TryParse(expression, out var cron, out var error), error);
        Assert.Equal(TimeZoneInfo.Utc, cron!.TimeZone);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15 0 * * *")]
    [InlineData("0 61 0 * * ?")]
    [InlineData("not a cron")]
    [InlineData("0 0 0 ? * * 2001")]
    public void TryParse_Invalid_SaysWhy(string expression)
    {
        Assert.False(JobCron.TryParse(expression, out var cron, out var error));
        Assert.Null(cron);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void LatestSlotAtOrBefore_ASlot_IsItself()
    {
        var cron = JobCron.Parse("0 15 0 * * ?");

        Assert.Equal(Day.AddMinutes(15), JobCron.LatestSlotAtOrBefore(cron, Day.AddMinutes(15)));
    }

    [Fact]
    public void LatestSlotAtOrBefore_BetweenSlots_IsThePreviousSlot()
    {
        var cron = JobCron.Parse("0 15 0 * * ?");

        Assert.Equal(Day.AddMinutes(15), JobCron.LatestSlotAtOrBefore(cron, Day.AddHours(13).AddMilliseconds(7)));
        Assert.Equal(Day.AddDays(-1).AddMinutes(15), JobCron.LatestSlotAtOrBefore(cron, Day.AddMinutes(14)));
    }

    [Fact]
    public void LatestSlotAtOrBefore_DenseAndSparseSchedules_AreFound()
    {
        Assert.Equal(Day.AddMinutes(10), JobCron.LatestSlotAtOrBefore(JobCron.Parse("0 0/5 * * * ?"), Day.AddMinutes(14).AddSeconds(59)));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), JobCron.LatestSlotAtOrBefore(JobCron.Parse("0 0 0 1 1 ?"), Day));
    }

    [Fact]
    public void MissedSlot_DowntimeOverSeveralSlots_IsOnlyTheLatest()
    {
        var cron = JobCron.Parse("0 15 0 * * ?");
        var lastRan = Day.AddDays(-3).AddMinutes(15);

        Assert.Equal(Day.AddMinutes(15), JobCron.MissedSlot(cron, lastRan, Day.AddHours(9)));
    }

    [Fact]
    public void MissedSlot_NothingMissedOrNeverRan_IsNull()
    {
        var cron = JobCron.Parse("0 15 0 * * ?");

        Assert.Null(JobCron.MissedSlot(cron, Day.AddMinutes(15), Day.AddHours(9)));
        Assert.Null(JobCron.MissedSlot(cron, lastFireTime: null, Day.AddHours(9)));
    }
}
