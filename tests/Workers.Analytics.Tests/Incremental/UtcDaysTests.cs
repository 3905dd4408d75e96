using QuikApp.Workers.Analytics.Incremental;

namespace QuikApp.Workers.Analytics.Tests.Incremental;

/// <summary>UTC day arithmetic and day ranges: what "a day" means to every analytics job.</summary>
public sealed class UtcDaysTests
{
    private static DateTime Day(int day) => new(2024, 1, day, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void StartOf_InstantWithAnOffset_IsTheUtcDayItFallsIn()
    {
        // 01:30 in UTC+02:00 is 23:30 UTC the day before.
        var instant = new DateTimeOffset(2024, 1, 15, 1, 30, 0, TimeSpan.FromHours(2));

        Assert.Equal(Day(14), UtcDays.StartOf(instant));
        Assert.Equal(DateTimeKind.Utc, UtcDays.StartOf(instant).Kind);
    }

    [Fact]
    public void Millis_SubMillisecondTicks_AreDropped_SoTheValueSurvivesABsonRoundTrip()
    {
        var instant = new DateTimeOffset(2024, 1, 15, 10, 30, 0, 123, TimeSpan.Zero).AddTicks(4567);

        var millis = UtcDays.Millis(instant);

        Assert.Equal(new DateTime(2024, 1, 15, 10, 30, 0, 123, DateTimeKind.Utc), millis);
        Assert.Equal(millis, new MongoDB.Bson.BsonDateTime(millis).ToUniversalTime());
    }

    [Fact]
    public void Coalesce_AdjacentAndRepeatedDaysInAnyOrder_FoldIntoTheFewestRanges()
    {
        var ranges = DayRange.Coalesce([Day(3), Day(1), Day(2), Day(7), Day(2), Day(7).AddHours(13)]);

        Assert.Equal([new DayRange(Day(1), Day(4)), new DayRange(Day(7), Day(8))], ranges);
        Assert.Equal(["2024-01-01..2024-01-03", "2024-01-07"], ranges.Select(range => range.ToString()));
    }

    [Fact]
    public void Coalesce_NoDays_IsEmpty()
    {
        Assert.Empty(DayRange.Coalesce([]));
    }

    [Fact]
    public void DayRange_NotFromMidnightToMidnight_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new DayRange(Day(1).AddHours(1), Day(2)));
        Assert.Throws<ArgumentException>(() => new DayRange(Day(2), Day(2)));
    }

    [Fact]
    public void EachDay_ThreeDayRange_ListsItsDays()
    {
        Assert.Equal([Day(1), Day(2), Day(3)], new DayRange(Day(1), Day(4)).EachDay());
        Assert.Equal(3, new DayRange(Day(1), Day(4)).Days);
    }
}
