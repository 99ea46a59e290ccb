namespace HomeSignal.Detection.Features;

/// <summary>One resident-day, in local (Europe/Amsterdam) time: the compact input of the nightly pass (baselines,
/// trends, unusual-day model). Times of day are minutes since local midnight; NaN when not observed.</summary>
public sealed class DailyFeatures
{
    public required DateOnly Date { get; init; }

    public DayOfWeek Weekday => Date.DayOfWeek;

    /// <summary>Minutes of the day the kit was offline (no data).</summary>
    public double OfflineMinutes { get; set; }

    /// <summary>Minutes the resident was inferred away (door exit, no motion since).</summary>
    public double MinutesOut { get; set; }

    public int Outings { get; set; }

    public int DoorOpenings { get; set; }

    public int MotionCount { get; set; }

    public int ActiveHours { get; set; }

    public int RoomsVisited { get; set; }

    /// <summary>Moves from one room to another (a motion from a different sensor than the previous one).</summary>
    public int RoomChanges { get; set; }

    /// <summary>First sustained activity after the morning start (rising).</summary>
    public double FirstActivity { get; set; } = double.NaN;

    public double LastActivity { get; set; } = double.NaN;

    /// <summary>Longest gap between activity while home, starting between morning start and 22:00 (minutes).</summary>
    public double LongestGapHome { get; set; }

    /// <summary>Motion events in the night window.</summary>
    public int NightMotion { get; set; }

    /// <summary>Motion events in the bedroom in the night window: restlessness in bed, apart from getting up.</summary>
    public int NightBedroomMotion { get; set; }

    /// <summary>Night visits: bursts of motion outside the bedroom in the night window.</summary>
    public int NightVisits { get; set; }

    public bool PostDelivered { get; set; }

    public bool PostCollected { get; set; }

    /// <summary>Minutes from delivery to collection, when both happened today.</summary>
    public double RetrievalDelay { get; set; } = double.NaN;

    /// <summary>Delivery days whose post was still not collected at the end of this day.</summary>
    public int UncollectedDeliveryDays { get; set; }

    /// <summary>A visitor was inferred or entered today.</summary>
    public bool Visitor { get; set; }

    /// <summary>Holiday, hospital (entered) or away most of the day: not a normal day at home.</summary>
    public bool Away { get; set; }

    /// <summary>Motion events per local hour.</summary>
    public int[] HourlyMotion { get; init; } = new int[24];

    /// <summary>Longest gap while home starting in each local hour (minutes); 0 when none started there.</summary>
    public double[] HourlyMaxGap { get; init; } = new double[24];

    /// <summary>Longest daytime door-open period (minutes).</summary>
    public double LongestDoorOpenDay { get; set; }

    /// <summary>Motion the cross-resident model expected for this day (NaN until the nightly pass computed it; stored
    /// with the day so later passes need not predict history again).</summary>
    public double ExpectedMotion { get; set; } = double.NaN;

    /// <summary>A day that can teach the routine: at home, kit mostly online.</summary>
    public bool IsNormalHomeDay => !Away && OfflineMinutes < 120;
}
