namespace HomeSignal.Detection.Decline;

/// <summary>Slow-decline settings (config section <c>Detection:Decline</c>).</summary>
public sealed class DeclineOptions
{
    /// <summary>Recent window compared with the reference window before it.</summary>
    public int RecentDays { get; set; } = 14;

    public int ReferenceDays { get; set; } = 42;

    /// <summary>Usable days left out between the reference and the recent window (a guard band): a decline that builds up
    /// over weeks would otherwise already have lifted its own reference.</summary>
    public int GuardDays { get; set; } = 14;

    /// <summary>Minimum usable days in each window.</summary>
    public int MinRecentDays { get; set; } = 9;

    public int MinReferenceDays { get; set; } = 24;

    /// <summary>Relative drop (after seasonal adjustment) that counts as a level shift (0.30 = 30% lower).</summary>
    public double RelativeShift { get; set; } = 0.30;

    /// <summary>A drop this large is "strong": one metric suffices, still with persistence.</summary>
    public double StrongRelativeShift { get; set; } = 0.45;

    /// <summary>Relative drop for movement-about-the-home metrics (steadier than outings), and strong.</summary>
    public double MovementRelativeShift { get; set; } = 0.17;

    public double StrongMovementRelativeShift { get; set; } = 0.30;

    /// <summary>Relative rise for night metrics (small counts: a few restless nights already move them), and strong.</summary>
    public double NightRelativeShift { get; set; } = 0.4;

    public double StrongNightRelativeShift { get; set; } = 0.55;

    /// <summary>Later rising that counts as a shift (minutes), and strong.</summary>
    public double RisingShiftMinutes { get; set; } = 40;

    public double StrongRisingShiftMinutes { get; set; } = 80;

    /// <summary>Mann-Kendall |Z| needed over the last 8 weeks, in the worrying direction, for a shift to count.</summary>
    public double TrendZ { get; set; } = 1.6;

    /// <summary>Days between the two evaluations that must agree (persistence).</summary>
    public int PersistenceDays { get; set; } = 7;

    /// <summary>Post uncollected on this many delivery days (while home) is a strong signal on its own.</summary>
    public int UncollectedDeliveryDays { get; set; } = 3;

    /// <summary>After a raised decline of a kind, the same kind waits this long.</summary>
    public int CooldownDays { get; set; } = 42;

    /// <summary>Days after a hospital stay or holiday that are left out (settling in) and that restart the windows.</summary>
    public int SettleDays { get; set; } = 7;

    /// <summary>A shift must reach this many times the resident's own noise level of the comparison (and a strong one
    /// <see cref="StrongNoiseZ"/>).</summary>
    public double NoiseZ { get; set; } = 2.5;

    public double StrongNoiseZ { get; set; } = 3.5;

    /// <summary>How far back the noise level is learned, and the weight (in days) of the prior while history is short.</summary>
    public int NoiseHistoryDays { get; set; } = 365;

    public int NoisePriorDays { get; set; } = 60;

    /// <summary>Restart the windows after an entered hospital stay of five days or more (compare life after it only with
    /// life after it). Off by default: the settling-in days are left out either way, and restarting leaves the trend
    /// blind for six weeks just when a decline is most likely.</summary>
    public bool ResetAfterHospital { get; set; }

    /// <summary>Fewer residents than this in a nightly run: seasonal adjustment uses the daylight prior instead of the population.</summary>
    public int MinPopulationForSeason { get; set; } = 20;

    public IEnumerable<string> Validate()
    {
        if (RecentDays < 7 || ReferenceDays < 14)
        {
            yield return "Detection:Decline:RecentDays must be ≥ 7 and ReferenceDays ≥ 14.";
        }

        if (RelativeShift is <= 0 or >= 1 || StrongRelativeShift < RelativeShift)
        {
            yield return "Detection:Decline:RelativeShift must be in (0, 1) and StrongRelativeShift at least as large.";
        }

        if (GuardDays < 0 || NoiseZ <= 0 || StrongNoiseZ < NoiseZ)
        {
            yield return "Detection:Decline:GuardDays must be ≥ 0, NoiseZ > 0 and StrongNoiseZ at least NoiseZ.";
        }

        if (PersistenceDays < 1)
        {
            yield return "Detection:Decline:PersistenceDays must be at least 1.";
        }
    }
}
