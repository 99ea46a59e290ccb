namespace HomeSignal.Detection.Features;

/// <summary>How raw events are read as a day (config section <c>Detection:Features</c>). Times are local minutes.</summary>
public sealed class FeatureOptions
{
    /// <summary>A door event followed by this long without motion is an exit.</summary>
    public TimeSpan ExitConfirm { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>Rising can start from this local time (05:00); earlier motion is night.</summary>
    public int MorningStartMinute { get; set; } = 300;

    /// <summary>The night window for night visits: [start, end) local minutes, start may be before midnight as negative.</summary>
    public int NightStartMinute { get; set; }

    public int NightEndMinute { get; set; } = 300;

    /// <summary>Rising = this many motion events within <see cref="RisingWindow"/> (a single toilet visit is not rising).</summary>
    public int RisingEvents { get; set; } = 3;

    public TimeSpan RisingWindow { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Night motion (for the daily features) ends this long before the day's rising.</summary>
    public TimeSpan NightEndsBeforeRising { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Night motion separated by more than this starts a new night visit.</summary>
    public TimeSpan NightVisitSeparation { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Motion in two different rooms closer together than this means a second person (visitor).</summary>
    public TimeSpan VisitorCoincidence { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Visitor evidence needed before a day counts as a visitor day.</summary>
    public int VisitorMinCoincidences { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (ExitConfirm <= TimeSpan.Zero)
        {
            yield return "Detection:Features:ExitConfirm must be positive.";
        }

        if (MorningStartMinute is < 0 or >= 720)
        {
            yield return "Detection:Features:MorningStartMinute must be between 0 and 719.";
        }

        if (NightEndMinute <= NightStartMinute)
        {
            yield return "Detection:Features:NightEndMinute must be after NightStartMinute.";
        }

        if (RisingEvents < 1)
        {
            yield return "Detection:Features:RisingEvents must be at least 1.";
        }
    }
}

/// <summary>Rising as "sustained activity": the first motion outside the bedroom that starts a run of <c>count</c> motions
/// within <c>window</c> (movement in bed is not rising). Used by both the daily features and the acute not-up rule.</summary>
public static class Rising
{
    public static DateTimeOffset? FirstSustained(IReadOnlyList<(DateTimeOffset At, bool Bedroom)> motion, int count, TimeSpan window)
    {
        for (var i = 0; i + count - 1 < motion.Count; i++)
        {
            if (!motion[i].Bedroom && motion[i + count - 1].At - motion[i].At <= window)
            {
                return motion[i].At;
            }
        }

        return null;
    }
}
