namespace HomeSignal.Simulation.Routines;

/// <summary>Europe/Amsterdam wall-clock times to UTC and back, DST-correct.</summary>
internal static class LocalClock
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>UTC instant of a local time of day; hours may run past 24. Times in the spring-forward gap move an hour on.</summary>
    public static DateTime ToUtc(DateOnly date, double hours)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).AddHours(hours);
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, Zone);
    }

    public static DateTime ToUtc(DateOnly date, TimeSpan timeOfDay) => ToUtc(date, timeOfDay.TotalHours);

    public static DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Zone);

    public static DateOnly DateOf(DateTime utc) => DateOnly.FromDateTime(ToLocal(utc));

    public static double HourOf(DateTime utc) => ToLocal(utc).TimeOfDay.TotalHours;

    public static DateTimeOffset Offset(DateTime utc) => new(utc, TimeSpan.Zero);
}
