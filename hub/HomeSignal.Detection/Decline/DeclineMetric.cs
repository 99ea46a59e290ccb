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
    Rising,
    NightVisits,
    NightMotion,
    RetrievalDelay,
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
        DeclineMetric.Rising => d.FirstActivity,
        DeclineMetric.NightVisits => d.NightVisits,
        DeclineMetric.NightMotion => d.NightMotion,
        _ => d.RetrievalDelay,
    };

    /// <summary>True when a rise is the worrying direction (later rising, more night visits, slower post).</summary>
    public static bool WorseWhenHigher(DeclineMetric m) =>
        m is DeclineMetric.Rising or DeclineMetric.NightVisits or DeclineMetric.NightMotion or DeclineMetric.RetrievalDelay;

    /// <summary>Shifts measured in minutes rather than as a ratio.</summary>
    public static bool IsAbsolute(DeclineMetric m) => m is DeclineMetric.Rising;

    public static SignalKind KindOf(DeclineMetric m) => m switch
    {
        DeclineMetric.Outings or DeclineMetric.MinutesOut => SignalKind.DeclineOutings,
        DeclineMetric.Motion or DeclineMetric.ActiveHours or DeclineMetric.Rooms => SignalKind.DeclineMovement,
        DeclineMetric.Rising => SignalKind.DeclineRising,
        DeclineMetric.NightVisits or DeclineMetric.NightMotion => SignalKind.DeclineNights,
        _ => SignalKind.DeclinePost,
    };

    public static string Dutch(DeclineMetric m) => m switch
    {
        DeclineMetric.Outings => "keer per dag naar buiten",
        DeclineMetric.MinutesOut => "minuten per dag buitenshuis",
        DeclineMetric.Motion => "bewegingen in huis per dag",
        DeclineMetric.ActiveHours => "uren per dag met beweging",
        DeclineMetric.Rooms => "ruimtes per dag gebruikt",
        DeclineMetric.Rising => "tijd van opstaan",
        DeclineMetric.NightVisits => "keer per nacht uit bed",
        DeclineMetric.NightMotion => "bewegingen per nacht",
        _ => "minuten tot de post is opgehaald",
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
