namespace HomeSignal.Detection.Acute;

/// <summary>Acute rule settings (config section <c>Detection:Acute</c>). Personal thresholds come from the baseline;
/// these are the fixed parts: night window, door and exit limits, data-health limits.</summary>
public sealed class AcuteOptions
{
    /// <summary>Night for door and exit rules: from this local minute (23:00) …</summary>
    public int NightStartMinute { get; set; } = 1380;

    /// <summary>… until this local minute (06:00).</summary>
    public int NightEndMinute { get; set; } = 360;

    /// <summary>A last movement in the bedroom after this local time (19:00) is going to bed, not a silence to count.</summary>
    public int BedtimeFromMinute { get; set; } = 1140;

    public TimeSpan DoorOpenAtNight { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A night exit (door, then no motion) not followed by a return within this raises at once.</summary>
    public TimeSpan NightExitNoReturn { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Night visits: raise when P(X ≥ k) under the personal Poisson rate is below this.</summary>
    public double NightRestlessTail { get; set; } = 0.0005;

    public int NightRestlessMinVisits { get; set; } = 4;

    /// <summary>The kit has not been heard from for this long: a data-health signal, no behaviour rule runs.</summary>
    public TimeSpan KitOfflineAlertAfter { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>A sensor silent for this many times its longest past gap (at least <see cref="SensorStaleFloor"/>) is stale.</summary>
    public double SensorStaleGapFactor { get; set; } = 3;

    public TimeSpan SensorStaleFloor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Door and post-box sensors are quiet for days in normal life (no post on Sunday and Monday).</summary>
    public TimeSpan SensorStaleFloorOther { get; set; } = TimeSpan.FromDays(5);

    /// <summary>A motion sensor is suspect when the resident visited other rooms so often since its last report that, at its
    /// usual share of visits, that has probability below this (it then blocks the inactivity and not-up rules instead of
    /// accusing the person).</summary>
    public double SensorSuspectProbability { get; set; } = 1e-4;

    public IEnumerable<string> Validate()
    {
        if (NightStartMinute is < 0 or >= 1440 || NightEndMinute is < 0 or >= 1440)
        {
            yield return "Detection:Acute:NightStartMinute and NightEndMinute must be local minutes (0–1439).";
        }

        if (DoorOpenAtNight <= TimeSpan.Zero || NightExitNoReturn <= TimeSpan.Zero || KitOfflineAlertAfter <= TimeSpan.Zero)
        {
            yield return "Detection:Acute:DoorOpenAtNight, NightExitNoReturn and KitOfflineAlertAfter must be positive.";
        }

        if (NightRestlessTail is <= 0 or >= 1)
        {
            yield return "Detection:Acute:NightRestlessTail must be in (0, 1).";
        }

        if (SensorStaleGapFactor < 1)
        {
            yield return "Detection:Acute:SensorStaleGapFactor must be at least 1.";
        }
    }

    public bool IsNight(double localMinute) => NightStartMinute > NightEndMinute
        ? localMinute >= NightStartMinute || localMinute < NightEndMinute
        : localMinute >= NightStartMinute && localMinute < NightEndMinute;
}
