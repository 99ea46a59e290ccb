using HomeSignal.Detection.Features;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Detection.Decline;

/// <summary>The daily metrics slow decline watches, each with the direction that worries and the signal kind it feeds.</summary>
public enum DeclineMetric
{
    Outings,
    MinutesOut,
    Motion,
    ActiveHours,
    Rooms,
    RoomChanges,
    Rising,
    NightVisits,
    NightMotion,
    NightBedroomMotion,
}

public static class DeclineMetrics
{
    public static IReadOnlyList<DeclineMetric> All { get; } = Enum.GetValues<DeclineMetric>();

    public static double Value(DeclineMetric m, DailyFeatures d) => m switch
    {
        DeclineMetric.Outings => d.Outings,
        DeclineMetric.MinutesOut => d.MinutesOut,
        DeclineMetric.Motion => d.MotionCount,
        DeclineMetric.ActiveHours => d.ActiveHours,
        DeclineMetric.Rooms => d.RoomsVisited,
        DeclineMetric.RoomChanges => d.RoomChanges,
        DeclineMetric.Rising => d.FirstActivity,
        DeclineMetric.NightVisits => d.NightVisits,
        DeclineMetric.NightBedroomMotion => d.NightBedroomMotion,
        _ => d.NightMotion,
    };

    /// <summary>True when a rise is the worrying direction (later rising, more night visits, slower post).</summary>
    public static bool WorseWhenHigher(DeclineMetric m) =>
        m is DeclineMetric.Rising or DeclineMetric.NightVisits or DeclineMetric.NightMotion or DeclineMetric.NightBedroomMotion;

    /// <summary>Shifts measured in minutes rather than as a ratio.</summary>
    public static bool IsAbsolute(DeclineMetric m) => m is DeclineMetric.Rising;

    /// <summary>Movement about the home varies little from day to day, so a smaller shift already stands out.</summary>
    public static bool IsMovement(DeclineMetric m) =>
        m is DeclineMetric.Motion or DeclineMetric.ActiveHours or DeclineMetric.Rooms or DeclineMetric.RoomChanges;

    public static SignalKind KindOf(DeclineMetric m) => m switch
    {
        DeclineMetric.Outings or DeclineMetric.MinutesOut => SignalKind.DeclineOutings,
        DeclineMetric.Motion or DeclineMetric.ActiveHours or DeclineMetric.Rooms or DeclineMetric.RoomChanges => SignalKind.DeclineMovement,
        DeclineMetric.Rising => SignalKind.DeclineRising,
        _ => SignalKind.DeclineNights,
    };

    public static string Dutch(DeclineMetric m) => m switch
    {
        DeclineMetric.Outings => "keer per dag naar buiten",
        DeclineMetric.MinutesOut => "minuten per dag buitenshuis",
        DeclineMetric.Motion => "bewegingen in huis per dag",
        DeclineMetric.ActiveHours => "uren per dag met beweging",
        DeclineMetric.Rooms => "ruimtes per dag gebruikt",
        DeclineMetric.RoomChanges => "keer per dag naar een andere ruimte",
        DeclineMetric.Rising => "tijd van opstaan",
        DeclineMetric.NightVisits => "keer per nacht uit bed",
        DeclineMetric.NightBedroomMotion => "bewegingen in bed per nacht",
        _ => "bewegingen per nacht",
    };

    /// <summary>Seasonal prior from healthy people living alone (detection.md): outings halve from November to March and
    /// recover by May; rising is ~2.5 h earlier in June than in November. Returns a factor (ratios) or minutes (rising).</summary>
    public static double SeasonalPrior(DeclineMetric m, DateOnly date)
    {
        var doy = date.DayOfYear;
        switch (m)
        {
            case DeclineMetric.Outings:
            case DeclineMetric.MinutesOut:
                // 1.0 May–September, 0.5 November–March, linear in April and October.
                if (doy is >= 121 and <= 273)
                {
                    return 1.0;
                }

                if (doy > 273 && doy <= 304)
                {
                    return 1.0 - 0.5 * (doy - 273) / 31.0;
                }

                if (doy > 90 && doy < 121)
                {
                    return 0.5 + 0.5 * (doy - 90) / 31.0;
                }

                return 0.5;
            case DeclineMetric.Rising:
                return 75 * Math.Cos(2 * Math.PI * (doy - 330) / 365.0);
            default:
                return DeclineMetrics.IsAbsolute(m) ? 0 : 1;
        }
    }
}
