namespace QuikApp.Workers.Analytics.Incremental;

/// <summary>Day arithmetic in UTC, the only calendar the analytics jobs use (a "day" is [00:00, 24:00) UTC).</summary>
public static class UtcDays
{
    /// <summary>The UTC midnight starting the day that contains <paramref name="instant"/>.</summary>
    public static DateTime StartOf(DateTimeOffset instant) => DateTime.SpecifyKind(instant.UtcDateTime.Date, DateTimeKind.Utc);

    /// <summary>The UTC midnight starting the day that contains <paramref name="instant"/> (treated as UTC whatever its Kind says).</summary>
    public static DateTime StartOf(DateTime instant) => DateTime.SpecifyKind(AsUtc(instant).Date, DateTimeKind.Utc);

    /// <summary>The end of a window reaching <paramref name="instant"/> in whole days: the instant itself when it is a UTC midnight, else the next one.</summary>
    public static DateTime EndOf(DateTimeOffset instant) =>
        StartOf(instant) is var start && start == instant.UtcDateTime ? start : start.AddDays(1);

    /// <summary>
    /// <paramref name="instant"/> cut to whole milliseconds, in UTC: what a BSON date can hold. Comparisons between a time
    /// the job keeps in memory and the same time read back from MongoDB only hold at this precision.
    /// </summary>
    public static DateTime Millis(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    /// <summary>Treats an unspecified Kind as UTC (BSON dates come back as UTC; tests may build them either way).</summary>
    public static DateTime AsUtc(DateTime instant) => instant.Kind switch
    {
        DateTimeKind.Utc => instant,
        DateTimeKind.Local => instant.ToUniversalTime(),
        _ => DateTime.SpecifyKind(instant, DateTimeKind.Utc),
    };
}

/// <summary>A half-open run of whole UTC days, [Start, End).</summary>
public readonly record struct DayRange
{
    public DayRange(DateTime start, DateTime end)
    {
        start = UtcDays.AsUtc(start);
        end = UtcDays.AsUtc(end);
        if (start != start.Date || end != end.Date)
        {
            throw new ArgumentException($"A day range runs from midnight to midnight (got {start:o} .. {end:o}).");
        }

        if (end <= start)
        {
            throw new ArgumentException($"A day range must end after it starts (got {start:o} .. {end:o}).");
        }

        Start = start;
        End = end;
    }

    public DateTime Start { get; }

    public DateTime End { get; }

    public int Days => (int)(End - Start).TotalDays;

    /// <summary>The single day starting at <paramref name="day"/> (a UTC midnight).</summary>
    public static DayRange OneDay(DateTime day) => new(day, UtcDays.AsUtc(day).AddDays(1));

    /// <summary>Each day of the range, in order.</summary>
    public IEnumerable<DateTime> EachDay()
    {
        for (var day = Start; day < End; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>
    /// Folds days (UTC midnights, any order, duplicates allowed) into the fewest ranges, in order: {1, 2, 3, 7} becomes
    /// [1, 4) and [7, 8). Fewer ranges mean fewer index intervals in the $match that recomputes them.
    /// </summary>
    public static IReadOnlyList<DayRange> Coalesce(IEnumerable<DateTime> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var ranges = new List<DayRange>();
        DateTime? start = null;
        DateTime end = default;
        foreach (var day in days.Select(UtcDays.StartOf).Distinct().Order())
        {
            if (start is not null && day == end)
            {
                end = day.AddDays(1);
                continue;
            }

            if (start is { } open)
            {
                ranges.Add(new DayRange(open, end));
            }

            start = day;
            end = day.AddDays(1);
        }

        if (start is { } last)
        {
            ranges.Add(new DayRange(last, end));
        }

        return ranges;
    }

    public override string ToString() => Days == 1 ? $"{Start:yyyy-MM-dd}" : $"{Start:yyyy-MM-dd}..{End.AddDays(-1):yyyy-MM-dd}";
}
