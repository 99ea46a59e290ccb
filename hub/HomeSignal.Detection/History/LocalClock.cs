namespace HomeSignal.Detection.History;

/// <summary>Routines live in Europe/Amsterdam wall-clock time; all stored times are UTC. These helpers keep DST days
/// (23 and 25 hours long) correct: a "day" is a local calendar date, an "hour" a local wall-clock hour.</summary>
public static class LocalClock
{
    public static TimeZoneInfo Amsterdam { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTime ToLocal(DateTimeOffset t) => TimeZoneInfo.ConvertTimeFromUtc(t.UtcDateTime, Amsterdam);

    public static DateOnly LocalDate(DateTimeOffset t) => DateOnly.FromDateTime(ToLocal(t));

    /// <summary>Minutes since local midnight, on the wall clock (so 07:00 is 420 on DST days too).</summary>
    public static double LocalMinuteOfDay(DateTimeOffset t)
    {
        var l = ToLocal(t);
        return l.Hour * 60 + l.Minute + l.Second / 60.0;
    }

    /// <summary>The instant at which the wall clock shows <paramref name="minuteOfDay"/> on <paramref name="date"/>. In the
    /// skipped spring hour the instant just after the gap; in the repeated autumn hour the first occurrence.</summary>
    public static DateTimeOffset At(DateOnly date, double minuteOfDay)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).AddMinutes(minuteOfDay);
        while (Amsterdam.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = Amsterdam.IsAmbiguousTime(local)
            ? Amsterdam.GetAmbiguousTimeOffsets(local).Max()
            : Amsterdam.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUniversalTime();
    }

    public static DateTimeOffset StartOfDay(DateOnly date) => At(date, 0);

    /// <summary>Hours of daylight at 52° N on a date (astronomical approximation, good to a few minutes): the
    /// seasonal driver of outings and rising time.</summary>
    public static double DaylightHours(DateOnly date)
    {
        const double latitude = 52.1 * Math.PI / 180;
        var declination = 23.44 * Math.PI / 180 * Math.Sin(2 * Math.PI * (284 + date.DayOfYear) / 365.0);
        var cosH = -Math.Tan(latitude) * Math.Tan(declination);
        cosH = Math.Clamp(cosH, -1, 1);
        return 2 * Math.Acos(cosH) * 12 / Math.PI;
    }
}
